# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The read queries of circleci_info and the lookups: one table (see _query.py for the engine).

A new read operation is a ``Query`` here, with its forms; a new option a row in CHECKS (and in
PARAMS when it is a query parameter).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import datetime

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils import _queries_projects
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._query import DEFAULT_LIMIT, Form, Query, Table, given
from ansible_collections.community.circleci.plugins.module_utils import _queries_governance
from ansible_collections.community.circleci.plugins.module_utils import _queries_deploys as deploys
from ansible_collections.community.circleci.plugins.module_utils._resolve import find_context, get_project
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    OWNER_TYPES,
    check_bool,
    check_choice,
    check_date,
    check_envvar_name,
    check_fingerprint,
    check_org_slug,
    check_positive_int,
    check_project_slug,
    check_text,
    check_text_list,
    check_uuid,
    parse_rfc3339,
)
from ansible_collections.community.circleci.plugins.module_utils._wait import latest_per_name

REPORTING_WINDOWS = ('last-24-hours', 'last-7-days', 'last-30-days', 'last-60-days', 'last-90-days')
GRANULARITIES = ('daily', 'hourly')
# CircleCI: "end-date can be at most 90 days after the start-date".
MAX_DATE_RANGE = datetime.timedelta(days=90)


def _fingerprint(value, option):
    # The API reads a key by its MD5 or its SHA256 fingerprint.
    return check_fingerprint(value, option, sha256=True)


# How every identifier and filter is checked (forms may override one, see Form.checks).
CHECKS = {
    'project_slug': check_project_slug,
    'org_slug': check_org_slug,
    'owner_slug': check_org_slug,
    'owner_id': check_uuid,
    'owner_type': check_choice(OWNER_TYPES),
    'user_id': check_uuid,
    'pipeline_id': check_uuid,
    'workflow_id': check_uuid,
    'context_id': check_uuid,
    'scope_id': check_uuid,
    'webhook_id': check_uuid,
    'schedule_id': check_uuid,
    'pipeline_number': check_positive_int,
    'job_number': check_positive_int,
    'name': check_text,
    'fingerprint': _fingerprint,
    'workflow_name': check_text,
    'branch': check_text,
    'branches': check_text_list,
    'workflow_names': check_text_list,
    'project_names': check_text_list,
    'mine': check_bool,
    'all_branches': check_bool,
    'reporting_window': check_choice(REPORTING_WINDOWS),
    'granularity': check_choice(GRANULARITIES),
    'start_date': check_date,
    'end_date': check_date,
}

# The query parameter(s) a filter becomes, unless its form names it in the path.
PARAMS = {
    'org_slug': ('org-slug',),
    'owner_slug': ('owner-slug',),
    'owner_id': ('owner-id',),
    'owner_type': ('owner-type',),
    'scope_id': ('scope-id',),
    'branch': ('branch',),
    'branches': ('branches',),
    'workflow_name': ('workflow-name',),
    'workflow_names': ('workflow-names',),
    'project_names': ('project-names',),
    'mine': ('mine',),
    'all_branches': ('all-branches',),
    'reporting_window': ('reporting-window',),
    # The reference says timeseries-granularity, the OpenAPI description granularity: send both.
    'granularity': ('granularity', 'timeseries-granularity'),
    'start_date': ('start-date',),
    'end_date': ('end-date',),
}


# -- resolvers: names to ids ---------------------------------------------------------------

def _context_by_name(client, values):
    owner = {'owner-type': values.get('owner_type') or 'organization'}
    if values.get('owner_slug'):
        owner['owner-slug'] = values['owner_slug']
    else:
        owner['owner-id'] = values['owner_id']
    context = find_context(client, values['name'], owner)
    if context is None:
        raise CircleCIStateError('name: no context named %r under owner %s'
                                 % (values['name'], values.get('owner_slug') or values.get('owner_id')))
    return {'context_id': context['id']}


def _project_scope(client, values):
    return {'scope_id': get_project(client, values['project_slug'])['id']}


def _pipeline_by_number(client, values):
    path = '/project/%s/pipeline/%s' % (quote_slug(values['project_slug']), quote_segment(values['pipeline_number']))
    pipeline = client.get(path)
    return {'pipeline_id': pipeline['id']}


def _workflow_by_name(client, values):
    """The newest workflow of that name in the pipeline (a rerun adds one with the same name)."""
    workflows = latest_per_name(client.paginate('/pipeline/%s/workflow' % quote_segment(values['pipeline_id'])))
    matches = [w for w in workflows if w.get('name') == values['workflow_name']]
    if not matches:
        raise CircleCIStateError('workflow_name: pipeline %s has no workflow named %r'
                                 % (values['pipeline_id'], values['workflow_name']))
    return {'workflow_id': matches[0]['id']}


_OWNER = ('owner_type',)
_BRANCHES = ('branch', 'all_branches')

CORE_QUERIES = [
    Query('me', Form('/me'), description='The user the token belongs to.'),
    Query('collaborations', Form('/me/collaborations'), is_list=True,
          description="The organizations the token's user belongs to or collaborates with."),
    Query('user', Form('/user/{user_id}', needs=['user_id']), description='A user, by id.'),
    Query('project', Form('/project/{project_slug}', needs=['project_slug']), description='A project.'),
    Query('pipelines', [
        Form('/project/{project_slug}/pipeline', needs=['project_slug'], accepts=['branch']),
        Form('/project/{project_slug}/pipeline/mine', needs=['project_slug', 'mine']),
        Form('/pipeline', needs=['org_slug'], accepts=['mine']),
    ], is_list=True, description="A project's pipelines (or yours), or the pipelines of an organization's recently built projects; newest first."),
    Query('pipeline', [
        Form('/pipeline/{pipeline_id}', needs=['pipeline_id']),
        Form('/project/{project_slug}/pipeline/{pipeline_number}', needs=['project_slug', 'pipeline_number']),
    ], description='A pipeline, by id or by project and number.'),
    Query('pipeline_config', [
        Form('/pipeline/{pipeline_id}/config', needs=['pipeline_id']),
        Form('/pipeline/{pipeline_id}/config', needs=['project_slug', 'pipeline_number'], resolve=_pipeline_by_number),
    ], description="A pipeline's configuration (source, compiled, setup)."),
    Query('workflows', [
        Form('/pipeline/{pipeline_id}/workflow', needs=['pipeline_id']),
        Form('/pipeline/{pipeline_id}/workflow', needs=['project_slug', 'pipeline_number'], resolve=_pipeline_by_number),
    ], is_list=True, description="A pipeline's workflows."),
    Query('workflow', [
        Form('/workflow/{workflow_id}', needs=['workflow_id']),
        Form('/workflow/{workflow_id}', needs=['pipeline_id', 'workflow_name'], resolve=_workflow_by_name),
    ], description='A workflow, by id or by pipeline and name.'),
    Query('workflow_jobs', [
        Form('/workflow/{workflow_id}/job', needs=['workflow_id']),
        Form('/workflow/{workflow_id}/job', needs=['pipeline_id', 'workflow_name'], resolve=_workflow_by_name),
    ], is_list=True, description="A workflow's jobs."),
    Query('job', Form('/project/{project_slug}/job/{job_number}', needs=['project_slug', 'job_number']),
          description="A job's details."),
    Query('job_artifacts', Form('/project/{project_slug}/{job_number}/artifacts', needs=['project_slug', 'job_number']),
          is_list=True, description="A job's artifacts."),
    Query('job_tests', Form('/project/{project_slug}/{job_number}/tests', needs=['project_slug', 'job_number']),
          is_list=True, description="A job's test results."),
    Query('contexts', [
        Form('/context', needs=['owner_slug'], accepts=_OWNER),
        Form('/context', needs=['owner_id'], accepts=_OWNER),
    ], is_list=True, description="An owner's contexts."),
    Query('context', [
        Form('/context/{context_id}', needs=['context_id']),
        Form('/context/{context_id}', needs=['name', 'owner_slug'], accepts=_OWNER, resolve=_context_by_name),
        Form('/context/{context_id}', needs=['name', 'owner_id'], accepts=_OWNER, resolve=_context_by_name),
    ], description='A context, by id or by name and owner.'),
    Query('context_envvars', [
        Form('/context/{context_id}/environment-variable', needs=['context_id']),
        Form('/context/{context_id}/environment-variable', needs=['name', 'owner_slug'], accepts=_OWNER,
             resolve=_context_by_name),
        Form('/context/{context_id}/environment-variable', needs=['name', 'owner_id'], accepts=_OWNER,
             resolve=_context_by_name),
    ], is_list=True, description="A context's environment variables (names; values masked or absent)."),
    Query('project_envvars', Form('/project/{project_slug}/envvar', needs=['project_slug']), is_list=True,
          description="A project's environment variables (values masked)."),
    Query('project_envvar', Form('/project/{project_slug}/envvar/{name}', needs=['project_slug', 'name'],
                                 checks={'name': check_envvar_name}),
          description="One project environment variable (value masked)."),
    Query('checkout_keys', Form('/project/{project_slug}/checkout-key', needs=['project_slug']), is_list=True,
          description="A project's checkout keys (public keys only)."),
    Query('checkout_key', Form('/project/{project_slug}/checkout-key/{fingerprint}', needs=['project_slug', 'fingerprint']),
          description='One checkout key, by fingerprint.'),
    Query('schedules', Form('/project/{project_slug}/schedule', needs=['project_slug']), is_list=True,
          description="A project's schedules."),
    Query('schedule', Form('/schedule/{schedule_id}', needs=['schedule_id']), description='A schedule, by id.'),
    Query('webhooks', [
        Form('/webhook', needs=['scope_id'], fixed={'scope-type': 'project'}),
        Form('/webhook', needs=['project_slug'], fixed={'scope-type': 'project'}, resolve=_project_scope),
    ], is_list=True, description="A project's webhooks (signing secrets shown masked)."),
    Query('webhook', Form('/webhook/{webhook_id}', needs=['webhook_id']), description='A webhook, by id.'),
    Query('insights_org_summary', Form('/insights/{org_slug}/summary', needs=['org_slug'],
                                       accepts=['reporting_window', 'project_names']),
          description='Summary metrics and trends of an organization and each of its projects.'),
    Query('insights_project_summary', Form('/insights/pages/{project_slug}/summary', needs=['project_slug'],
                                           accepts=['reporting_window', 'branches', 'workflow_names']),
          description='Summary metrics and trends of a project, per workflow and per branch.'),
    Query('insights_branches', Form('/insights/{project_slug}/branches', needs=['project_slug'],
                                    accepts=['workflow_name']),
          description='The branches Insights knows for a project (or one of its workflows).'),
    Query('insights_flaky_tests', Form('/insights/{project_slug}/flaky-tests', needs=['project_slug']),
          description="A project's flaky tests."),
    Query('insights_workflows', Form('/insights/{project_slug}/workflows', needs=['project_slug'],
                                     accepts=_BRANCHES + ('reporting_window',)),
          is_list=True, description="Summary metrics of a project's workflows."),
    Query('insights_workflow_runs', Form('/insights/{project_slug}/workflows/{workflow_name}',
                                         needs=['project_slug', 'workflow_name'],
                                         accepts=_BRANCHES + ('start_date', 'end_date')),
          is_list=True, description='Recent runs of a workflow (up to 90 days back).'),
    Query('insights_workflow_jobs', Form('/insights/{project_slug}/workflows/{workflow_name}/jobs',
                                         needs=['project_slug', 'workflow_name'],
                                         accepts=_BRANCHES + ('reporting_window',)),
          is_list=True, description="Summary metrics of a workflow's jobs."),
    # The reference names this branch filter "branches", the OpenAPI description "branch": send both.
    Query('insights_workflow_summary', Form('/insights/{project_slug}/workflows/{workflow_name}/summary',
                                            needs=['project_slug', 'workflow_name'], accepts=_BRANCHES,
                                            params={'branch': ('branch', 'branches')}),
          description='Metrics and trends of one workflow.'),
    Query('insights_test_metrics', Form('/insights/{project_slug}/workflows/{workflow_name}/test-metrics',
                                        needs=['project_slug', 'workflow_name'], accepts=_BRANCHES),
          description="Test metrics of a workflow's recent runs."),
    Query('insights_job_timeseries', Form('/insights/time-series/{project_slug}/workflows/{workflow_name}/jobs',
                                          needs=['project_slug', 'workflow_name'],
                                          accepts=('branch', 'granularity', 'start_date', 'end_date')),
          is_list=True, description="Time series of a workflow's job metrics."),
]

# The kinds of the insights lookup and the query each one runs.
INSIGHTS_KINDS = {
    'summary': 'insights_project_summary',
    'workflows': 'insights_workflows',
    'workflow_runs': 'insights_workflow_runs',
    'workflow_jobs': 'insights_workflow_jobs',
    'workflow_summary': 'insights_workflow_summary',
    'test_metrics': 'insights_test_metrics',
    'flaky_tests': 'insights_flaky_tests',
    'branches': 'insights_branches',
    'org_summary': 'insights_org_summary',
    'job_timeseries': 'insights_job_timeseries',
}


# -- checks between options -------------------------------------------------------------

def _cross_checks(values):
    """Checks between options: what CircleCI documents as exclusive or dependent."""
    if values.get('all_branches') and given(values.get('branch')):
        raise CircleCIInputError('all_branches', 'give branch or all_branches, not both')
    if values.get('owner_type') == 'account' and given(values.get('owner_slug')):
        raise CircleCIInputError('owner_slug', 'an account owner must be named by owner_id; owner_slug names organizations only')
    if given(values.get('end_date')):
        if not given(values.get('start_date')):
            raise CircleCIInputError('end_date', 'needs start_date (CircleCI requires a start-date with an end-date)')
        start = parse_rfc3339(values['start_date'], 'start_date')
        end = parse_rfc3339(values['end_date'], 'end_date')
        if end <= start:
            raise CircleCIInputError('end_date', 'must be after start_date')
        if end - start > MAX_DATE_RANGE:
            raise CircleCIInputError('end_date', 'can be at most 90 days after start_date')


CHECKS.update(_queries_governance.CHECKS)
PARAMS.update(_queries_governance.PARAMS)
CHECKS.update(deploys.CHECKS)
PARAMS.update(deploys.PARAMS)
CHECKS.update(_queries_projects.CHECKS)
PARAMS.update(_queries_projects.PARAMS)
TABLE = Table(CORE_QUERIES + _queries_governance.QUERIES + deploys.QUERIES + _queries_projects.QUERIES, CHECKS, PARAMS, _cross_checks)
QUERIES = TABLE.queries
OPTIONS = TABLE.options
prepare = TABLE.prepare
execute = TABLE.execute


def run_query(client, name, values, limit=DEFAULT_LIMIT):
    """Check, then run, one query."""
    return execute(client, prepare(name, values, limit))
