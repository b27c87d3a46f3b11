# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The read queries of circleci_info and the lookups: one table and one runner.

Each query has one or more forms (``Form``): a path, the identifiers that select the form (all
must be given), and the filters it accepts. The first form whose identifiers are all given is
used; any other option given is refused, so nothing the user wrote is silently ignored. Every
value is checked before the first request.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import datetime
import re

from ansible_collections.community.circleci.plugins.module_utils._client import (
    CircleCIStateError,
    quote_segment,
    quote_slug,
)
from ansible_collections.community.circleci.plugins.module_utils._resolve import find_context, get_project
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    CircleCIInputError,
    check_envvar_name,
    check_org_slug,
    check_positive_int,
    check_project_slug,
    check_uuid,
)

REPORTING_WINDOWS = ('last-24-hours', 'last-7-days', 'last-30-days', 'last-60-days', 'last-90-days')
GRANULARITIES = ('daily', 'hourly')
OWNER_TYPES = ('organization', 'account')
DEFAULT_LIMIT = 100
# CircleCI: "end-date can be at most 90 days after the start-date".
MAX_DATE_RANGE = datetime.timedelta(days=90)

RFC3339_RE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))\Z')


def _shown(value):
    text = '%s' % (value,)
    return repr(text if len(text) <= 80 else text[:80] + '...')


def check_text(value, option):
    if not isinstance(value, str) or not value.strip():
        raise CircleCIInputError(option, 'must be a non-empty string')
    return value


def check_text_list(value, option):
    if not isinstance(value, (list, tuple)):
        raise CircleCIInputError(option, 'must be a list of strings')
    for item in value:
        check_text(item, option)
    return list(value)


def check_bool(value, option):
    if not isinstance(value, bool):
        raise CircleCIInputError(option, '%s is not a boolean' % _shown(value))
    return value


def check_choice(choices):
    def check(value, option):
        if value not in choices:
            raise CircleCIInputError(option, '%s is not one of %s' % (_shown(value), ', '.join(choices)))
        return value
    return check


def parse_rfc3339(value, option):
    """The moment an RFC 3339 date-time names (timezone-aware), or CircleCIInputError."""
    match = RFC3339_RE.match(value) if isinstance(value, str) else None
    if not match:
        raise CircleCIInputError(option, '%s is not an RFC 3339 date-time such as 2026-08-21T13:26:29Z' % _shown(value))
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = match.group(7)
    micro = int((fraction[1:] + '000000')[:6]) if fraction else 0
    if match.group(8) in ('Z', 'z'):
        offset = datetime.timedelta(0)
    else:
        offset = datetime.timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
        if match.group(9) == '-':
            offset = -offset
    try:
        return datetime.datetime(year, month, day, hour, minute, second, micro, tzinfo=datetime.timezone(offset))
    except ValueError as exc:
        raise CircleCIInputError(option, '%s is not a valid date-time: %s' % (_shown(value), exc))


def check_date(value, option):
    parse_rfc3339(value, option)
    return value


def check_fingerprint(value, option='fingerprint'):
    if not isinstance(value, str) or not value or re.search(r'\s', value):
        raise CircleCIInputError(option, '%s is not an SSH key fingerprint such as '
                                 'c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f' % _shown(value))
    return value


def _uuid(value, option):
    return check_uuid(value, option)


def _number(value, option):
    return check_positive_int(value, option)


# How every identifier and filter is checked (forms may override one, see Form.checks).
CHECKS = {
    'project_slug': check_project_slug,
    'org_slug': check_org_slug,
    'owner_slug': check_org_slug,
    'owner_id': _uuid,
    'owner_type': check_choice(OWNER_TYPES),
    'user_id': _uuid,
    'pipeline_id': _uuid,
    'workflow_id': _uuid,
    'context_id': _uuid,
    'scope_id': _uuid,
    'webhook_id': _uuid,
    'schedule_id': _uuid,
    'pipeline_number': _number,
    'job_number': _number,
    'name': check_text,
    'fingerprint': check_fingerprint,
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

OPTIONS = tuple(sorted(CHECKS))


def given(value):
    """Whether an option counts as given: false booleans and empty lists do not."""
    return value is not None and value is not False and value != [] and value != ''


class Form:
    """One way to ask a query: ``path`` (``{option}`` placeholders), the identifiers that select
    it (``needs``), the filters it accepts (``accepts``), fixed query parameters (``fixed``),
    per-form ``checks`` and ``params`` overrides, and ``resolve(client, values)``, which turns
    names into the ids the path needs (it may send requests)."""

    def __init__(self, path, needs=(), accepts=(), fixed=None, checks=None, params=None, resolve=None):
        self.path = path
        self.needs = tuple(needs)
        self.accepts = tuple(accepts)
        self.fixed = dict(fixed or {})
        self.checks = dict(checks or {})
        self.params = dict(params or {})
        self.resolve = resolve

    @property
    def options(self):
        return self.needs + self.accepts

    def path_options(self):
        return re.findall(r'\{(\w+)\}', self.path)


class Query:
    def __init__(self, name, forms, is_list=False, description=''):
        self.name = name
        self.forms = forms if isinstance(forms, list) else [forms]
        self.is_list = is_list
        self.description = description

    @property
    def options(self):
        seen = []
        for form in self.forms:
            for option in form.options:
                if option not in seen:
                    seen.append(option)
        return seen


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
    matches = [w for w in client.paginate('/pipeline/%s/workflow' % quote_segment(values['pipeline_id']))
               if w.get('name') == values['workflow_name']]
    if not matches:
        raise CircleCIStateError('workflow_name: pipeline %s has no workflow named %r'
                                 % (values['pipeline_id'], values['workflow_name']))
    return {'workflow_id': max(matches, key=lambda w: w.get('created_at') or '')['id']}


_OWNER = ('owner_type',)
_BRANCHES = ('branch', 'all_branches')

QUERIES = dict((q.name, q) for q in [
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
])

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


# -- the runner ------------------------------------------------------------------------------

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


def _choose_form(query, values):
    """The form whose identifiers are all given (the most specific one when several are)."""
    complete = [f for f in query.forms if all(given(values.get(option)) for option in f.needs)]
    if complete:
        return max(complete, key=lambda f: len(f.needs))
    # A form that only adds an identifier to another (pipelines with mine) is not another way to name it.
    ways = [f for f in query.forms if not any(set(g.needs) < set(f.needs) for g in query.forms)]
    best = max(ways, key=lambda f: sum(1 for option in f.needs if given(values.get(option))))
    missing = [option for option in best.needs if not given(values.get(option))][0]
    raise CircleCIInputError(missing, 'query %s needs %s' % (query.name, ', or '.join(' and '.join(f.needs) for f in ways)))


class Prepared:
    """A query checked and ready to send: its form and the checked option values."""

    def __init__(self, query, form, values, limit):
        self.query = query
        self.form = form
        self.values = values
        self.limit = limit


def prepare(name, values, limit=DEFAULT_LIMIT):
    """Check a query and its options; raise CircleCIInputError before any request.

    ``values`` maps option names to values (None: not given). Options the chosen form does not
    take are refused, naming the option.
    """
    query = QUERIES.get(name)
    if query is None:
        raise CircleCIInputError('query', '%s is not one of %s' % (_shown(name), ', '.join(sorted(QUERIES))))
    values = dict((k, v) for k, v in values.items() if given(v))
    unknown = sorted(set(values) - set(CHECKS))
    if unknown:
        raise CircleCIInputError(unknown[0], 'is not an option of any query')
    form = _choose_form(query, values)
    for option in sorted(values):
        if option not in form.options:
            takes = ', '.join(form.options) or 'no options'
            raise CircleCIInputError(option, 'query %s does not take this option (with %s it takes: %s)'
                                     % (query.name, ' and '.join(form.needs) or 'no identifier', takes))
    checked = {}
    for option, value in values.items():
        check = form.checks.get(option) or CHECKS[option]
        checked[option] = check(value, option)
    _cross_checks(checked)
    if limit is None:
        limit = DEFAULT_LIMIT
    limit = check_positive_int(limit, 'limit', minimum=0)
    return Prepared(query, form, checked, limit)


def _path(form, values):
    def fill(match):
        option = match.group(1)
        value = values[option]
        return quote_slug(value) if option in ('project_slug', 'org_slug') else quote_segment(value)
    return re.sub(r'\{(\w+)\}', fill, form.path)


def _params(form, values, sendable):
    params = dict(form.fixed)
    in_path = set(form.path_options())
    for option in sendable:
        if option in in_path or option not in values or option not in PARAMS:
            continue
        if option == 'mine' and form.path.endswith('/mine'):
            continue  # the path already says it
        value = values[option]
        if isinstance(value, bool):
            value = 'true' if value else 'false'
        for name in form.params.get(option) or PARAMS[option]:
            params[name] = value
    if 'owner-type' not in params and ('owner-slug' in params or 'owner-id' in params):
        params['owner-type'] = 'organization'
    return params


def execute(client, prepared):
    """Send a prepared query: a dict, or for list queries the items of every page up to its limit."""
    form, values = prepared.form, dict(prepared.values)
    if form.resolve:
        # The identifiers served the resolver; the request takes what it resolved.
        resolved = form.resolve(client, values)
        values.update(resolved)
        sendable = list(resolved)
    else:
        sendable = list(form.options)
    path = _path(form, values)
    params = _params(form, values, sendable) or None
    if prepared.query.is_list:
        return client.list(path, params=params, limit=prepared.limit or None)
    return client.get(path, params=params)


def run_query(client, name, values, limit=DEFAULT_LIMIT):
    """Check, then run, one query (see prepare and execute)."""
    return execute(client, prepare(name, values, limit))
