# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/_awx.py, the checks of scripts/test.sh's awx stage: they must fail when the job
changed what it should not, failed, or showed a secret."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import importlib.util
import json
import os

import pytest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'scripts', '_awx.py')
SPEC = importlib.util.spec_from_file_location('awx_checks', SCRIPT)
awx = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(awx)

TOKEN = 'CCIPAT_unit_T0ken_0000'
SECRET = 'unit-webhook-secret-1234'


def write_job(folder, changed, status='successful', extra_stdout=''):
    """An ansible-runner artifacts folder: status, stdout, command and three events."""
    (folder / 'job_events').mkdir(parents=True)
    (folder / 'status').write_text(status)
    (folder / 'stdout').write_text('PLAY RECAP\nlocalhost : ok=2 changed=%d\n%s' % (int(changed), extra_stdout))
    (folder / 'command').write_text(json.dumps({'env': {'CIRCLECI_TOKEN': TOKEN, 'DEMO_WEBHOOK_SECRET': SECRET}}))
    events = [
        {'counter': 1, 'event': 'playbook_on_start', 'event_data': {}},
        {'counter': 2, 'event': 'runner_on_ok', 'event_data': {'task': 'Ensure the context', 'res': {'changed': changed}}},
        {'counter': 3, 'event': 'playbook_on_stats',
         'event_data': {'changed': {'localhost': 1} if changed else {}, 'failures': {}, 'dark': {}}},
    ]
    for event in events:
        (folder / 'job_events' / ('%d-x.json' % event['counter'])).write_text(json.dumps(event))
    envvars = folder.parent / 'envvars'
    envvars.write_text('---\nCIRCLECI_TOKEN: %s\nDEMO_WEBHOOK_SECRET: %s\nCIRCLECI_API_URL: http://127.0.0.1:1\n' % (TOKEN, SECRET))
    return str(folder), str(envvars)


def check(folder, envvars, changed):
    awx.job_events(folder, changed, envvars, ['CIRCLECI_TOKEN', 'DEMO_WEBHOOK_SECRET'])


def test_a_clean_first_and_second_job_pass(tmp_path, capsys):
    first = write_job(tmp_path / 'one' / 'artifacts', changed=True)
    check(*first, changed=True)
    second = write_job(tmp_path / 'two' / 'artifacts', changed=False)
    check(*second, changed=False)
    out = capsys.readouterr().out
    assert "changed {'localhost': 1} (Ensure the context)" in out
    assert 'changed nothing' in out and 'in its 5 artifacts (command aside)' in out


def test_changes_where_none_are_allowed_and_none_where_some_are_expected(tmp_path):
    folder, envvars = write_job(tmp_path / 'one' / 'artifacts', changed=True)
    with pytest.raises(awx.CheckFailed, match='the second run must change nothing'):
        check(folder, envvars, changed=False)
    folder, envvars = write_job(tmp_path / 'two' / 'artifacts', changed=False)
    with pytest.raises(awx.CheckFailed, match='the first run must change something'):
        check(folder, envvars, changed=True)


def test_a_failed_job_fails(tmp_path):
    folder, envvars = write_job(tmp_path / 'one' / 'artifacts', changed=True, status='failed')
    with pytest.raises(awx.CheckFailed, match='status failed'):
        check(folder, envvars, changed=True)


def test_a_secret_in_any_artifact_but_command_fails(tmp_path):
    folder, envvars = write_job(tmp_path / 'one' / 'artifacts', changed=False, extra_stdout='token %s\n' % TOKEN)
    with pytest.raises(awx.CheckFailed, match='the value of CIRCLECI_TOKEN is in stdout'):
        check(folder, envvars, changed=False)
    folder, envvars = write_job(tmp_path / 'two' / 'artifacts', changed=False)
    path = os.path.join(folder, 'job_events', '2-x.json')
    with open(path) as handle:
        event = json.load(handle)
    event['stdout'] = 'ok: [localhost] => {"signing_secret": "%s"}' % SECRET
    with open(path, 'w') as handle:
        json.dump(event, handle)
    with pytest.raises(awx.CheckFailed, match='the value of DEMO_WEBHOOK_SECRET is in job_events/2-x.json'):
        check(folder, envvars, changed=False)


def test_a_secret_the_job_was_not_given_is_an_error(tmp_path):
    folder, envvars = write_job(tmp_path / 'one' / 'artifacts', changed=False)
    with pytest.raises(awx.CheckFailed, match='sets no DEMO_NPM_TOKEN'):
        awx.job_events(folder, False, envvars, ['DEMO_NPM_TOKEN'])


def test_requirement_names():
    assert awx.requirement_names(['requests>=2.25  # from collection community.circleci', '# a comment', '',
                                  '-r other.txt', 'PyYAML[extra]==6; python_version > "3"']) == ['requests', 'pyyaml']


def test_the_definition_installs_the_collection_from_the_tarball(tmp_path):
    source = tmp_path / 'execution-environment.yml'
    source.write_text('---\nversion: 3\ndependencies:\n  galaxy:\n    collections:\n      - name: community.circleci\n      - ansible.utils\n')
    tarball = tmp_path / 'community-circleci-1.2.3.tar.gz'
    tarball.write_bytes(b'not really a tarball')
    awx.ee_definition(str(source), str(tarball), str(tmp_path / 'ee'))
    written = awx.yaml.safe_load((tmp_path / 'ee' / 'execution-environment.yml').read_text())
    assert written['dependencies']['galaxy']['collections'] == [
        {'name': 'collections/community-circleci-1.2.3.tar.gz', 'type': 'file'}, 'ansible.utils']
    assert written['additional_build_files'] == [{'src': 'community-circleci-1.2.3.tar.gz', 'dest': 'collections'}]
    assert (tmp_path / 'ee' / 'community-circleci-1.2.3.tar.gz').read_bytes() == b'not really a tarball'
    source.write_text('---\nversion: 3\ndependencies:\n  galaxy:\n    collections: [ansible.utils]\n')
    with pytest.raises(awx.CheckFailed, match='does not install community.circleci'):
        awx.ee_definition(str(source), str(tarball), str(tmp_path / 'ee2'))
    source.write_text('---\nversion: 1\n')
    with pytest.raises(awx.CheckFailed, match='not an ansible-builder 3 definition'):
        awx.ee_definition(str(source), str(tarball), str(tmp_path / 'ee3'))
