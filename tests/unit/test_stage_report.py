# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/_stage_report.py: the lines scripts/test.sh's summary shows for a failed stage,
checked on logs cut from real runs."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import importlib.util
import os

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scripts', '_stage_report.py')
SPEC = importlib.util.spec_from_file_location('stage_report', SCRIPT)
stage_report = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(stage_report)

PLANNED = ['circleci_envvar', 'examples', 'circleci_info', 'circleci_job']

# Two groups side by side on a fresh HOME: the first passes (with an expected, ignored task
# error), the second stops at ssh-keygen's prompt before any target starts.
KEY_COLLISION = '''\
integration group 0: circleci_envvar examples
WARNING: Using locale "C.UTF-8" instead of "en_US.UTF-8". Tests which depend on the locale may behave unexpectedly.
Running circleci_envvar integration test role
TASK [circleci_envvar : A bad name is refused] *********************************
[ERROR]: Task failed: Module failed: name: must be letters, digits and underscores
fatal: [testhost]: FAILED! => {"changed": false, "msg": "name: must be letters, digits and underscores"}
...ignoring
PLAY RECAP *********************************************************************
testhost                   : ok=40   changed=12   unreachable=0    failed=0    skipped=0    rescued=0    ignored=1
Running examples integration test script
+ run demo1 examples/demo.yml
localhost                  : ok=8    changed=6    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0

==================== integration group 1: circleci_info circleci_job ====================
\x1b[0;31mFATAL: Command "ssh-keygen -m PEM -q -t rsa -N '' -f /home/u/.ansible/test/id_rsa" returned exit status 1.\x1b[0m
>>> Standard Output
/home/u/.ansible/test/id_rsa already exists.
Overwrite (y/n)?
'''

# --continue-on-error: a role target whose last task failed, a script target that died in
# Python after its plays, a script target whose plays passed and whose check then failed.
TARGETS_FAILED = '''\
Running circleci_info integration test role
TASK [setup_standin : The stand-in's address and token come from integration_config.yml] ***
[ERROR]: Task failed: Action failed: circleci_api_url and circleci_api_token must be set
Origin: /tmp/x/tests/integration/targets/setup_standin/tasks/main.yml:4:3
fatal: [testhost]: FAILED! => {
    "msg": "circleci_api_url and circleci_api_token must be set"
}
PLAY RECAP *********************************************************************
testhost                   : ok=1    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0
ERROR: Command "ansible-playbook circleci_info-69s6axbh.yml -i inventory" returned exit status 2.
Running examples integration test script
+ standin url
Traceback (most recent call last):
  File "standin.py", line 26, in read_config
FileNotFoundError: [Errno 2] No such file or directory: '../../integration_config.yml'
+ CIRCLECI_API_URL=
ERROR: Command "./runme.sh" returned exit status 1.
Running circleci_envvar integration test script
[ERROR]: Task failed: expected, the play goes on
localhost                  : ok=3    changed=0    unreachable=0    failed=1    skipped=0    rescued=0    ignored=0
+ run second
localhost                  : ok=8    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
++ recap_changed second
+ [[ 1 == 0 ]]
ERROR: Command "./runme.sh" returned exit status 1.
FATAL: The 3 integration test(s) listed below (out of 3) failed. See error output above for details:
circleci_info
examples
circleci_envvar
'''

SANITY_FAILED = '''\
Running sanity test "pep8"
ERROR: Found 1 pep8 issue(s) which need to be resolved:
ERROR: plugins/modules/circleci_job.py:12:161: E501: line too long (170 > 160 characters)
Running sanity test "pylint"
FATAL: The 1 sanity test(s) listed below (out of 40) failed. See error output above for details:
pep8
'''

PYTEST_FAILED = '''\
tests/e2e/test_secrets.py::test_token_never_shown PASSED
[ERROR]: Task failed: expected by the test
=========================== short test summary info ============================
FAILED tests/e2e/test_tls.py::test_self_signed - AssertionError: assert 0 == 2
========================= 1 failed, 62 passed in 75.76s ========================
'''

SCRIPT_FAILED = '''\
--- smoke.yml
ok: [localhost]
build: the tarball lacks plugins/lookup/pipelines.py
'''


def lines(text):
    return [stage_report.ANSI.sub('', line) for line in text.splitlines()]


def test_key_collision_names_the_fatal_line_and_the_targets_not_run():
    report = stage_report.report(lines(KEY_COLLISION), planned=PLANNED, label='integration.log')
    assert report == [
        'first fatal line (integration.log:15): FATAL: Command "ssh-keygen -m PEM -q -t rsa -N \'\' -f /home/u/.ansible/test/id_rsa"'
        ' returned exit status 1. -- /home/u/.ansible/test/id_rsa already exists.',
        'integration targets not run (2 of 4): circleci_info circleci_job',
    ]


def test_failed_targets_each_get_the_line_that_says_why():
    report = stage_report.report(lines(TARGETS_FAILED), planned=PLANNED + ['circleci_context'], label='integration.log')
    assert report == [
        'first fatal line (integration.log:10): ERROR: Command "ansible-playbook circleci_info-69s6axbh.yml -i inventory" returned exit status 2.',
        'integration targets failed (3): circleci_info examples circleci_envvar',
        '    circleci_info: [ERROR]: Task failed: Action failed: circleci_api_url and circleci_api_token must be set',
        "    examples: FileNotFoundError: [Errno 2] No such file or directory: '../../integration_config.yml'",
        '    circleci_envvar: + [[ 1 == 0 ]]',
        'integration targets not run (2 of 5): circleci_job circleci_context',
    ]


def test_a_run_that_aborted_comes_before_a_target_that_failed():
    # Group 0 has a failed target, group 1 stopped at ssh-keygen: the summary leads with the abort.
    log = lines(TARGETS_FAILED.split('Running examples', maxsplit=1)[0] + KEY_COLLISION.split('====\n', maxsplit=1)[1])
    report = stage_report.report(log, planned=['circleci_info', 'circleci_job'], label='integration.log')
    assert report[0].startswith('first fatal line (integration.log:11): FATAL: Command "ssh-keygen')
    assert report[1] == 'integration targets not run (1 of 2): circleci_job'


def test_an_ignored_task_error_is_not_the_cause():
    expected = ['TASK [a]', '[ERROR]: Task failed: the expected one', 'fatal: [testhost]: FAILED! => {"msg": "the expected one"}',
                '...ignoring']
    recap = ['PLAY RECAP ***', 'testhost                   : ok=3    changed=0    unreachable=0    failed=1    skipped=0']
    assert stage_report.section_cause(
        expected + ['TASK [b]', '[ERROR]: Task failed: the real one', 'fatal: [testhost]: FAILED! => {"msg": "the real one"}'] + recap
    ) == '[ERROR]: Task failed: the real one'
    # Ansible before 2.19 prints no "[ERROR]:" line: the "fatal:" line it prints instead.
    assert stage_report.section_cause(
        expected + ['TASK [b]', 'fatal: [testhost]: FAILED! => {"msg": "the real one"}'] + recap
    ) == 'fatal: [testhost]: FAILED! => {"msg": "the real one"}'


def test_sanity_names_the_first_error_and_the_failed_tests():
    assert stage_report.report(lines(SANITY_FAILED), label='sanity.log') == [
        'first fatal line (sanity.log:2): ERROR: Found 1 pep8 issue(s) which need to be resolved: -- '
        'plugins/modules/circleci_job.py:12:161: E501: line too long (170 > 160 characters)',
        'sanity tests failed (1): pep8',
    ]


def test_pytest_failure_beats_the_expected_ansible_errors_it_prints():
    assert stage_report.report(lines(PYTEST_FAILED), label='e2e.log') == [
        'first fatal line (e2e.log:4): FAILED tests/e2e/test_tls.py::test_self_signed - AssertionError: assert 0 == 2',
    ]


def test_the_scripts_own_messages_count():
    assert stage_report.report(lines(SCRIPT_FAILED), label='build.log') == [
        'first fatal line (build.log:3): build: the tarball lacks plugins/lookup/pipelines.py',
    ]


def test_nothing_recognisable_says_so_and_long_lines_are_cut():
    assert stage_report.report(['all fine here'], label='x.log') == ['no fatal line found in x.log']
    (number, text), = [stage_report.first_fatal(['FATAL: ' + 'x' * 500])]
    assert number == 1 and len(text) == stage_report.WIDTH and text.endswith('...')


def test_command_line(tmp_path, capsys):
    log = tmp_path / 'integration.log'
    log.write_bytes(KEY_COLLISION.encode('utf-8'))
    assert stage_report.main([str(log), '--label', 'integration.log', '--planned'] + PLANNED) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith('first fatal line (integration.log:15): FATAL: Command "ssh-keygen')
    assert out[1] == 'integration targets not run (2 of 4): circleci_info circleci_job'
    assert stage_report.main([str(tmp_path / 'missing.log')]) == 0
    assert capsys.readouterr().out.startswith('no log to read')
