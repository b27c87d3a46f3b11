# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets never show: every module and lookup (playbooks/secrets.yml) at -vvv with --diff, in
check mode, with every write failing, and with every request failing. The token, the variable
values, the webhook signing secrets and the continuation key appear nowhere in what the runs
printed (stdout, stderr), logged (ANSIBLE_LOG_PATH) or returned (every task result, recorded
by the e2e_record callback), not even as a part of eight characters.

Secrets are random for each run of this test, so that nothing else can contain them by chance.
The stand-in's state proves they were really sent (the apply run stores them), so the search
cannot pass for want of a secret in play.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import random
import string

import pytest

pytestmark = pytest.mark.xdist_group('secrets')

PROJECT = 'gh/acme/api'
SECRET_NAMES = ('ctx_one', 'ctx_two', 'ctx_three', 'project_one', 'project_two', 'webhook_one', 'webhook_two')
RELEASE = {'name': 'release', 'jobs': [{'name': 'build'}, {'name': 'hold', 'type': 'approval', 'requires': ['build']},
                                       {'name': 'ship', 'requires': ['hold']}]}
BAD_INPUT_TASKS = ('bad variable name with a secret value', 'http webhook with a signing secret',
                   'continuation key with wait', 'a bad lookup option beside the token')
WRITING_TASKS = ('context variables by context name, with purge', 'context variable by context id, always written',
                 'project variable', 'project variables, one deleted', 'webhook secret rotated', 'trigger and wait',
                 'continue a setup pipeline', 'approve a workflow')
MODULES = ('circleci_context', 'circleci_envvar', 'circleci_webhook', 'circleci_schedule', 'circleci_checkout_key',
           'circleci_pipeline_trigger', 'circleci_workflow', 'circleci_job', 'circleci_info')
LOOKUP_TASKS = ('lookup pipelines, token given directly', 'lookup workflows, token from the variable',
                'lookup insights, token from the variable')


def random_secret():
    chooser = random.SystemRandom()
    return ''.join(chooser.choice(string.ascii_letters + string.digits) for dummy in range(28))


def pieces(secret, size=8):
    return set(secret[i:i + size] for i in range(len(secret) - size + 1))


def leaks(text, secrets):
    """The secrets of which any eight characters in a row appear in ``text``."""
    return sorted(name for name, secret in secrets.items() if any(piece in text for piece in pieces(secret)))


class Runs:
    pass


@pytest.fixture(scope='module')
def runs(standin_session, runner):
    standin = standin_session
    standin.reset()
    old_value = random_secret()
    standin.seed(project_variables=[{'project_slug': PROJECT, 'variables': {'PROJECT_OLD': old_value}}])
    result = Runs()
    result.first = dict((name, random_secret()) for name in SECRET_NAMES)
    result.second = dict((name, random_secret()) for name in SECRET_NAMES)
    keys = []

    def play_vars(secrets, **extra):
        setup = standin.seed(pipelines=[{'project_slug': PROJECT, 'setup': True}])['pipelines'][0]
        approval = standin.seed(pipelines=[{'project_slug': PROJECT, 'workflows': [RELEASE]}])['pipelines'][0]
        keys.append(setup['continuation_key'])
        build = [job for job in approval['workflows'][0]['jobs'] if job['name'] == 'build'][0]
        variables = {'s': dict(secrets, continuation_key=setup['continuation_key']),
                     'approval_pipeline_id': approval['id'], 'finished_job_number': build['job_number']}
        variables.update(extra)
        return variables

    result.apply = runner.play('secrets.yml', standin, extra_vars=play_vars(result.first), verbosity=3, diff=True)
    standin.settle()
    result.applied_state = standin.state(secrets=True)
    result.continued = [p for p in result.applied_state['pipelines'] if p['continuation_key'] == keys[0]]

    mark = standin.seq
    result.check = runner.play('secrets.yml', standin, extra_vars=play_vars(result.second), verbosity=3, diff=True,
                               check=True)
    standin.settle()
    result.check_writes = standin.writes(mark)
    result.checked_state = standin.state(secrets=True)

    standin.faults(*[{'method': method, 'status': 500, 'count': 0, 'message': 'Injected write failure'}
                     for method in ('POST', 'PUT', 'PATCH', 'DELETE')])
    standin.faults({'method': 'GET', 'status': 500, 'count': 0, 'path': '^/(project/[^/]+/[^/]+/[^/]+/(pipeline|job/)|insights/)'},
                   {'method': 'GET', 'status': 500, 'count': 0, 'path': '^/pipeline/[^/]+/workflow$'})
    result.write_failure = runner.play('secrets.yml', standin, verbosity=3, diff=True,
                                       extra_vars=play_vars(result.second, e2e_failure_run=True))
    standin.settle()
    standin.clear_faults()
    standin.faults({'status': 500, 'count': 0, 'message': 'Injected failure'})
    result.total_failure = runner.play('secrets.yml', standin, verbosity=3, diff=True,
                                       extra_vars=play_vars(result.second, e2e_failure_run=True))
    standin.settle()
    # CircleCI quotes what it refuses ("Invalid continuation key ck-..."): every write refused
    # with its body, secrets and all, in the message; modules and action plugins alike.
    standin.clear_faults()
    mark = standin.seq
    standin.faults(*[{'method': method, 'status': 400, 'count': 0, 'message': 'Refused', 'echo': True}
                     for method in ('POST', 'PUT', 'PATCH')])
    result.echo_failure = runner.play('secrets.yml', standin, verbosity=3, diff=True,
                                      extra_vars=play_vars(result.second, e2e_failure_run=True))
    result.echo_requests = standin.requests(mark)
    standin.settle()
    result.secrets = dict(result.first, old_value=old_value, token=standin.token)
    result.secrets.update(('second_' + name, value) for name, value in result.second.items())
    result.secrets.update(('continuation_key_%d' % index, key) for index, key in enumerate(keys))
    return result


def test_the_secrets_were_sent(runs):
    state = runs.applied_state
    project = [p for p in state['projects'] if p['slug'] == PROJECT][0]
    assert project['envvars'] == {'PROJECT_ONE': runs.first['project_one'], 'PROJECT_TWO': runs.first['project_two']}
    context = [c for c in state['contexts'] if c['name'] == 'secrets-ctx'][0]
    assert context['variables'] == dict(CTX_ONE=runs.first['ctx_one'], CTX_TWO=runs.first['ctx_two'],
                                        CTX_THREE=runs.first['ctx_three'])
    assert [h['signing_secret'] for h in state['webhooks'] if h['name'] == 'secrets-hook'] == [runs.first['webhook_two']]
    assert len(runs.continued) == 1 and runs.continued[0]['continued']


def test_apply_at_vvv_with_diff(runs):
    run = runs.apply
    assert run.rc == 0, run.tail()
    assert sorted(r['task'] for r in run.failed) == sorted(BAD_INPUT_TASKS)
    assert all(r['ignored'] for r in run.failed)
    # Every module and lookup ran, and the run showed the results, diffs and module arguments
    # that the search goes through.
    assert set('community.circleci.' + name for name in MODULES) <= set(r['action'] for r in run.records)
    for task in LOOKUP_TASKS:
        assert run.task(task)['status'] == 'ok' and run.task(task)['result']['msg'], task
    assert "'module_args'" in run.stdout or '"module_args"' in run.stdout
    assert 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' in run.stdout
    assert '--- before' in run.stdout and '+++ after' in run.stdout
    assert 'xxxx' + runs.first['project_one'][-4:] in run.stdout
    assert leaks(run.text, runs.secrets) == []


def test_check_mode_at_vvv_with_diff(runs):
    run = runs.check
    assert run.rc == 0, run.tail()
    assert runs.check_writes == []
    assert runs.checked_state['projects'] == runs.applied_state['projects']
    changed = set(r['task'] for r in run.changed)
    assert {'context variables by context name, with purge', 'project variable', 'webhook secret rotated',
            'continue a setup pipeline', 'approve a workflow'} <= changed
    assert leaks(run.text, runs.secrets) == []


def test_failing_writes_at_vvv(runs):
    run = runs.write_failure
    assert run.rc == 0, run.tail()  # every error ignored, so that every task ran
    failed = set(r['task'] for r in run.failed)
    assert set(WRITING_TASKS) <= failed
    assert set(r['task'] for r in run.records) >= set(WRITING_TASKS) | set(BAD_INPUT_TASKS)
    messages = ' '.join(r['result'].get('msg', '') for r in run.failed)
    assert 'Injected write failure' in messages
    assert leaks(run.text, runs.secrets) == []


def test_failing_everything_at_vvv(runs):
    run = runs.total_failure
    assert run.rc == 0, run.tail()
    # Every task failed, lookups included.
    assert [r['status'] for r in run.records] == ['failed'] * len(run.records)
    assert len(run.records) == 24
    assert leaks(run.text, runs.secrets) == []


def test_secrets_echoed_by_circleci_at_vvv(runs):
    run = runs.echo_failure
    assert run.rc == 0, run.tail()
    failed = dict((r['task'], r) for r in run.failed)
    # The writes that carry a secret were refused, through modules and the action plugin.
    for task in ('project variable', 'context variable by context id, always written', 'webhook secret rotated',
                 'continue a setup pipeline'):
        assert task in failed, task
        assert 'Refused: {' in failed[task]['result']['msg'], failed[task]['result']['msg']
        assert failed[task]['result']['changed'] is False, task
    assert 'community.circleci.circleci_pipeline_trigger' in [r['action'] for r in run.failed]
    # The stand-in really echoed them: the bodies it quoted held the secrets the run never shows.
    bodies = ' '.join('%s' % r['body'] for r in runs.echo_requests if r['status'] == 400)
    assert runs.second['project_one'] in bodies and runs.second['webhook_two'] in bodies
    assert leaks(run.text, runs.secrets) == []


def test_the_search_finds_a_leak():
    secret = random_secret()
    assert leaks('before %s after' % secret[5:13], {'planted': secret}) == ['planted']
    assert leaks('before xxxx%s after' % secret[-4:], {'planted': secret}) == []
