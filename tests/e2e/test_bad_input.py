# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input, across every module and lookup: each is refused with a message naming the option
and the reason, and the stand-in records no request at all.

The table below becomes one play (a task per row, errors ignored), run once; each row is then
checked against its task's recorded result and the stand-in's requests during that task.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import os
import re

import pytest
import yaml

from conftest import COLLECTION_DIR

# One play serves every test here: keep them on one worker.
pytestmark = pytest.mark.xdist_group('bad_input')

PROJECT = 'gh/acme/api'
HOOK = {'project_slug': PROJECT, 'name': 'deploy-hook', 'url': 'https://hooks.example.com/circleci',
        'events': ['workflow-completed']}
TIMETABLE = {'per_hour': 1, 'hours_of_day': [2], 'days_of_week': ['MON']}
SCHEDULE = {'project_slug': PROJECT, 'name': 'nightly', 'timetable': TIMETABLE, 'parameters': {'branch': 'main'}}
SOME_UUID = '5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e'
# Long enough that Ansible's no_log masking of it cannot touch the words of a message.
VALUE = 'bad-input-value-Q7'


def merged(base, **changes):
    result = dict(base)
    result.update(changes)
    return result


def lookup(plugin, *terms, **options):
    args = ', '.join(["'%s'" % term for term in terms] + ['%s=%r' % item for item in sorted(options.items())])
    return {'ansible.builtin.debug': {'msg': "{{ lookup('community.circleci.%s', %s) }}" % (plugin, args)}}


def module(plugin, **args):
    return {'community.circleci.' + plugin: args}


# (id, task, the option the message must name, a regex of the reason)
BAD_INPUT = [
    ('context: owner slug without vcs', module('circleci_context', name='deploy', owner_slug='acme'),
     'owner_slug', r'is not an organization slug of the form vcs/org'),
    ('context: owner id not a UUID', module('circleci_context', name='deploy', owner_id='1234'),
     'owner_id', r'is not a UUID'),
    ('context: account named by slug', module('circleci_context', name='deploy', owner_slug='gh/acme', owner_type='account'),
     'owner_slug', r'account owner must be named by owner_id'),
    ('connection: negative timeout', module('circleci_context', name='deploy', owner_slug='gh/acme', timeout=-1),
     'timeout', r'must not be negative'),
    ('envvar: project slug of two segments', module('circleci_envvar', project_slug='gh/acme', name='A', value=VALUE),
     'project_slug', r'is not a project slug of the form vcs/org/repo'),
    ('envvar: name starting with a digit', module('circleci_envvar', project_slug=PROJECT, name='1TOKEN', value=VALUE),
     'name', r'is not a valid environment variable name'),
    ('envvar: name with a dash in a list',
     module('circleci_envvar', project_slug=PROJECT, variables=[{'name': 'OK', 'value': VALUE}, {'name': 'BAD-NAME', 'value': VALUE}]),
     'variables[1].name', r'is not a valid environment variable name'),
    ('envvar: a name declared twice',
     module('circleci_envvar', project_slug=PROJECT, variables=[{'name': 'A', 'value': VALUE}, {'name': 'A', 'value': VALUE + '2'}]),
     'variables[1].name', r'already declared by variables\[0\]\.name'),
    ('envvar: present without a value', module('circleci_envvar', project_slug=PROJECT, name='A'),
     'value', r'is required when the state is present'),
    ('envvar: purge without variables', module('circleci_envvar', project_slug=PROJECT, name='A', value=VALUE, purge=True),
     'purge', r'needs variables'),
    ('envvar: context id not a UUID', module('circleci_envvar', context_id='ctx-1', name='A', value=VALUE),
     'context_id', r'is not a UUID'),
    ('webhook: http URL', module('circleci_webhook', **merged(HOOK, url='http://hooks.example.com/circleci')),
     'url', r'must be an https URL'),
    ('webhook: unknown event', module('circleci_webhook', **merged(HOOK, events=['push'])),
     'events', r'push'),
    ('webhook: empty signing secret', module('circleci_webhook', **merged(HOOK, signing_secret='')),
     'signing_secret', r'must not be empty'),
    ('webhook: scope id not a UUID',
     module('circleci_webhook', scope_id='project-1', name='h', url='https://hooks.example.com/x', events=['job-completed']),
     'scope_id', r'is not a UUID'),
    ('webhook: rotate without a secret', module('circleci_webhook', **merged(HOOK, update_secret='always')),
     'update_secret', r'always needs signing_secret'),
    ('schedule: 61 times an hour', module('circleci_schedule', **merged(SCHEDULE, timetable=merged(TIMETABLE, per_hour=61))),
     'timetable.per_hour', r'out of range: must be from 1 to 60'),
    ('schedule: hour 24', module('circleci_schedule', **merged(SCHEDULE, timetable=merged(TIMETABLE, hours_of_day=[0, 24]))),
     'timetable.hours_of_day', r'out of range: must be from 0 to 23'),
    ('schedule: unknown day', module('circleci_schedule', **merged(SCHEDULE, timetable=merged(TIMETABLE, days_of_week=['FUNDAY']))),
     'timetable.days_of_week', r"'FUNDAY' is not one of MON"),
    ('schedule: days of week and of month',
     module('circleci_schedule', **merged(SCHEDULE, timetable=merged(TIMETABLE, days_of_month=[1]))),
     'timetable', r'give days_of_week or days_of_month, not both'),
    ('schedule: parameters without branch or tag', module('circleci_schedule', **merged(SCHEDULE, parameters={'deploy': True})),
     'parameters', r'must hold "branch" or "tag"'),
    ('checkout key: malformed fingerprint',
     module('circleci_checkout_key', project_slug=PROJECT, fingerprint='zz:11', state='absent'),
     'fingerprint', r'is not an MD5 fingerprint'),
    ('checkout key: present without a type', module('circleci_checkout_key', project_slug=PROJECT),
     'type', r'is required with state=present'),
    ('trigger: empty slug segment', module('circleci_pipeline_trigger', project_slug='gh//api', branch='main'),
     'project_slug', r'is not a project slug'),
    ('trigger: nested parameter value',
     module('circleci_pipeline_trigger', project_slug=PROJECT, branch='main', parameters={'env': {'nested': 1}}),
     'parameters.env', r'must be a string, an integer or a boolean, not a dict'),
    ('trigger: zero poll interval',
     module('circleci_pipeline_trigger', project_slug=PROJECT, branch='main', wait=True, poll_interval=0),
     'poll_interval', r'must be a positive number of seconds'),
    ('trigger: branch and tag', module('circleci_pipeline_trigger', project_slug=PROJECT, branch='main', tag='v1'),
     'branch|tag', r'mutually exclusive'),
    ('workflow: id not a UUID', module('circleci_workflow', workflow_id='wf-1', action='cancel'),
     'workflow_id', r'is not a UUID'),
    ('workflow: cancel from failed', module('circleci_workflow', workflow_id=SOME_UUID, action='cancel', from_failed=True),
     'from_failed', r'is only used with action=rerun'),
    ('job: job number 0', module('circleci_job', project_slug=PROJECT, job_number=0),
     'job_number', r'must be at least 1'),
    ('context: a restriction group that is not a UUID',
     module('circleci_context', name='deploy', owner_slug='gh/acme', restrictions=[{'type': 'group', 'value': 'deployers'}]),
     'restrictions[0].value', r'is not a UUID'),
    ('oidc claims: ttl in words', module('circleci_oidc_claims', org_slug='gh/acme', ttl='ninety minutes'),
     'ttl', r'is not a duration'),
    ('url orb allow-list: prefix without its final slash',
     module('circleci_url_orb_allow_list', org_slug='gh/acme', name='ours', prefix='https://orbs.example.com/acme'),
     'prefix', r'must end with /'),
    ('group: org id not a UUID', module('circleci_group', org_id='acme', name='deployers'),
     'org_id', r'is not a UUID'),
    ('organization: absent of a GitHub organization', module('circleci_organization', name='acme', vcs_type='github', state='absent'),
     'state', r'absent deletes standalone .vcs_type circleci. organizations only'),
    ('config policies: a document without policy_name',
     module('circleci_config_policies', org_slug='gh/acme', policies={'jobs.rego': 'package org\n'}),
     'policies[jobs.rego]', r'declares no policy_name'),
    ('project: oss is read-only', module('circleci_project', project_slug=PROJECT, settings={'oss': True}),
     'settings.oss', r'is read-only'),
    ('project: organization neither slug nor id', module('circleci_project', organization='acme', name='api'),
     'organization', r'is neither an organization slug .* nor an organization UUID'),
    ('pipeline definition: github_app source without its repository',
     module('circleci_pipeline_definition', project_id=SOME_UUID, name='build', config_source={'file_path': 'a.yml'}),
     'config_source.repo_id', r'is required with provider github_app'),
    ('trigger: a webhook trigger without its event name',
     module('circleci_trigger', project_id=SOME_UUID, pipeline_definition='build', event_source={'provider': 'webhook'},
            checkout_ref='main', config_ref='main'),
     'event_name', r'is required for a webhook trigger'),
    ('pipeline trigger: run mode with a definition id not a UUID',
     module('circleci_pipeline_trigger', project_slug=PROJECT, pipeline_definition_id='build'),
     'pipeline_definition_id', r'is not a UUID'),
    ('info: org slug without vcs', module('circleci_info', query='pipelines', org_slug='acme'),
     'org_slug', r'is not an organization slug'),
    ('info: end date before start date',
     module('circleci_info', query='insights_workflow_runs', project_slug=PROJECT, workflow_name='build',
            start_date='2026-08-02T00:00:00Z', end_date='2026-08-01T00:00:00Z'),
     'end_date', r'must be after start_date'),
    ('info: an option the query does not take', module('circleci_info', query='project', project_slug=PROJECT, branch='main'),
     'branch', r'query project does not take this option'),
    ('rollback: the target is the current version',
     module('circleci_rollback', project_slug=PROJECT, component_name='api-server', environment_name='production',
            current_version='1.3.0', target_version='1.3.0'),
     'target_version', r'is current_version: there is nothing to roll back'),
    ('usage export: org id not a UUID',
     module('circleci_usage_export', org_id='acme', start='2026-11-01T00:00:00Z', end='2026-11-02T00:00:00Z'),
     'org_id', r'is not a UUID'),
    ('lookup pipelines: slug of two segments', lookup('pipelines', 'acme/api'),
     'project_slug', r'is not a project slug'),
    ('lookup pipelines: negative limit', lookup('pipelines', PROJECT, limit=-1),
     'limit', r'must be at least 0'),
    ('lookup pipelines: negative max_retries', lookup('pipelines', PROJECT, max_retries=-1),
     'max_retries', r'must not be negative'),
    ('lookup workflows: pipeline id not a UUID', lookup('workflows', 'pipeline-7'),
     'pipeline_id', r'is not a UUID'),
    ('lookup insights: workflow_runs without workflow', lookup('insights', PROJECT, kind='workflow_runs'),
     'workflow', r'kind workflow_runs needs'),
    ('lookup insights: start date not RFC 3339', lookup('insights', PROJECT, kind='workflow_runs', workflow='build',
                                                        start_date='yesterday'),
     'start_date', r'is not an RFC 3339 date-time'),
    ('lookup deploys: no organization', lookup('deploys', 'api-server'),
     'org_slug', r'give org_slug, org_id or project_slug'),
]


def plugins_of(kind):
    folder = os.path.join(COLLECTION_DIR, 'plugins', kind)
    return sorted(name[:-3] for name in os.listdir(folder) if name.endswith('.py') and not name.startswith('_'))


def covered(task):
    key = list(task)[0]
    if key == 'ansible.builtin.debug':
        return re.search(r"lookup\('community\.circleci\.(\w+)'", task[key]['msg']).group(1)
    return key.split('.')[-1]


@pytest.fixture(scope='module')
def bad_input_run(standin_session, runner, tmp_path_factory):
    standin = standin_session
    standin.reset()
    tasks = []
    for name, task, _option, _reason in BAD_INPUT:
        tasks.append(dict(task, name=name, ignore_errors=True))
    play = [{
        'name': 'Bad input',
        'hosts': 'localhost',
        'gather_facts': False,
        'module_defaults': {'group/community.circleci.circleci': {
            'api_url': '{{ circleci_api_url }}', 'api_token': '{{ circleci_api_token }}'}},
        'tasks': tasks,
    }]
    path = str(tmp_path_factory.mktemp('bad_input').joinpath('bad_input.yml'))
    with open(path, 'w') as handle:
        yaml.safe_dump(play, handle, sort_keys=False)
    run = runner.play(path, standin)
    return run, standin.requests()


def test_the_table_covers_every_module_and_lookup():
    assert len(BAD_INPUT) >= 25
    assert len(set(row[0] for row in BAD_INPUT)) == len(BAD_INPUT)
    assert set(covered(row[1]) for row in BAD_INPUT) == set(plugins_of('modules')) | set(plugins_of('lookup'))


def test_no_request_at_all(bad_input_run):
    run, requests = bad_input_run
    assert [r['task'] for r in run.records] == [row[0] for row in BAD_INPUT], run.tail()
    assert requests == []


@pytest.mark.parametrize('name, task, option, reason', BAD_INPUT, ids=[row[0] for row in BAD_INPUT])
def test_refused_naming_the_option(bad_input_run, name, task, option, reason):
    run, _requests = bad_input_run
    record = run.task(name)
    message = record['result'].get('msg', '')
    assert record['status'] == 'failed', record
    assert option in message, message
    assert re.search(reason, message), message
    assert record['seq_start'] == record['seq_end']
