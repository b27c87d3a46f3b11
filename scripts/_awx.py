# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The checks of scripts/test.sh's awx stage (the collection as AWX / Automation Platform runs it).

    python scripts/_awx.py ee-definition SOURCE TARBALL DEST
        write DEST/execution-environment.yml: SOURCE (the repository's ansible-builder 3
        definition) with community.circleci installed from TARBALL (copied into DEST) instead
        of from Galaxy
    python scripts/_awx.py check-context CONTEXT COLLECTIONS REQUIREMENTS
        check the build context that "ansible-builder create" wrote: it installs the tarball,
        and its own introspect script finds every requirement of REQUIREMENTS (the collection's
        requirements.txt) in the collection installed under COLLECTIONS, as the build will
    python scripts/_awx.py job-events ARTIFACTS (--changed | --unchanged) --envvars FILE --secrets NAME...
        check one ansible-runner job from its artifacts: successful, changed (or not), and the
        values of the named variables of FILE (the job's env/envvars) in no artifact but
        "command" (which ansible-runner fills with the job's whole environment)

Each prints what it checked, and exits 1 with the reasons when a check fails.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import yaml

COLLECTION = 'community.circleci'


class CheckFailed(Exception):
    pass


def ee_definition(source, tarball, dest):
    with open(source) as handle:
        definition = yaml.safe_load(handle)
    if definition.get('version') != 3:
        raise CheckFailed('%s: not an ansible-builder 3 definition (version: %r)' % (source, definition.get('version')))
    galaxy = definition.get('dependencies', {}).get('galaxy')
    collections = galaxy.get('collections', []) if isinstance(galaxy, dict) else []
    names = [entry.get('name') if isinstance(entry, dict) else entry for entry in collections]
    if COLLECTION not in names:
        raise CheckFailed('%s: dependencies.galaxy.collections does not install %s' % (source, COLLECTION))
    name = os.path.basename(tarball)
    if not os.path.isdir(dest):
        os.makedirs(dest)
    shutil.copy(tarball, os.path.join(dest, name))
    # The tarball goes into the build context's _build/collections/, and the galaxy stage of the
    # build installs it from there (it runs in /build, a copy of _build).
    collections[names.index(COLLECTION)] = {'name': 'collections/' + name, 'type': 'file'}
    definition.setdefault('additional_build_files', []).append({'src': name, 'dest': 'collections'})
    path = os.path.join(dest, 'execution-environment.yml')
    with open(path, 'w') as handle:
        yaml.safe_dump(definition, handle, default_flow_style=False, sort_keys=False)
    print('%s: %s with %s from %s' % (path, source, COLLECTION, name))


def requirement_names(lines):
    names = []
    for line in lines:
        line = line.split('#', 1)[0].strip()
        if line and not line.startswith('-'):
            names.append(re.split(r'[\s<>=!~;\[]', line, 1)[0].lower())
    return names


def check_context(context, collections_dir, requirements):
    problems = []
    containerfile = os.path.join(context, 'Containerfile')
    if not os.path.isfile(containerfile):
        raise CheckFailed('%s: no Containerfile' % context)
    with open(containerfile) as handle:
        steps = handle.read()
    for step in ('ansible-galaxy collection install', 'introspect.py introspect'):
        if step not in steps:
            problems.append('the Containerfile does not run "%s"' % step)
    with open(os.path.join(context, '_build', 'requirements.yml')) as handle:
        galaxy = yaml.safe_load(handle)
    entries = [entry for entry in galaxy.get('collections', []) if isinstance(entry, dict) and entry.get('type') == 'file']
    if not entries:
        problems.append('_build/requirements.yml installs no collection from a file: %r' % galaxy)
    for entry in entries:
        if not os.path.isfile(os.path.join(context, '_build', entry['name'])):
            problems.append('_build/%s is missing' % entry['name'])
    # What the builder stage writes to /tmp/src/requirements.txt and then pip installs.
    written = os.path.join(context, 'introspected-requirements.txt')
    introspect = subprocess.run(
        [sys.executable, os.path.join(context, '_build', 'scripts', 'introspect.py'), 'introspect',
         '--write-pip', written, collections_dir],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    if introspect.returncode != 0:
        raise CheckFailed('introspect.py failed (exit %d):\n%s' % (introspect.returncode, introspect.stdout))
    found = []
    if os.path.exists(written):
        with open(written) as handle:
            found = [line.strip() for line in handle if line.strip()]
    with open(requirements) as handle:
        wanted = requirement_names(handle)
    ours = [line for line in found if line.endswith('# from collection %s' % COLLECTION)]
    missing = sorted(set(wanted) - set(requirement_names(ours)))
    if not wanted:
        problems.append('%s names no requirement' % requirements)
    if missing:
        problems.append('the build would not install %s (introspect found: %s)' % (', '.join(missing), found or 'nothing'))
    if problems:
        raise CheckFailed('; '.join(problems))
    print('build context %s: installs %s; the build would pip install: %s' % (
        context, ', '.join(entry['name'] for entry in entries), '; '.join(ours)))


def job_events(artifacts, expect_changed, envvars, secret_names):
    problems = []
    with open(os.path.join(artifacts, 'status')) as handle:
        status = handle.read().strip()
    if status != 'successful':
        problems.append('status %s' % status)
    events = []
    for path in glob.glob(os.path.join(artifacts, 'job_events', '*.json')):
        with open(path) as handle:
            events.append(json.load(handle))
    events.sort(key=lambda event: event.get('counter', 0))
    kinds = [event.get('event') for event in events]
    for kind in ('playbook_on_start', 'playbook_on_stats'):
        if kind not in kinds:
            problems.append('no %s event' % kind)
    stats = ([event['event_data'] for event in events if event.get('event') == 'playbook_on_stats'] or [{}])[-1]
    changed_hosts = dict((host, count) for host, count in (stats.get('changed') or {}).items() if count)
    changed_tasks = []
    for event in events:
        data = event.get('event_data', {})
        result = data.get('res')
        if event.get('event', '').startswith('runner_') and isinstance(result, dict) and result.get('changed'):
            if data.get('task') not in changed_tasks:
                changed_tasks.append(data.get('task'))
    for kind in ('failures', 'dark'):
        if stats.get(kind):
            problems.append('%s: %r' % (kind, stats[kind]))
    if expect_changed and not (changed_hosts and changed_tasks):
        problems.append('nothing changed (the first run must change something)')
    if not expect_changed and (changed_hosts or changed_tasks):
        problems.append('changed %r in tasks %s (the second run must change nothing)' % (changed_hosts, changed_tasks))
    # No secret in any event or output. "command" is ansible-runner's record of the job's
    # environment, which holds what the credential injected: that is the point of it.
    with open(envvars) as handle:
        environment = yaml.safe_load(handle) or {}
    secrets = {}
    for name in secret_names:
        if not environment.get(name):
            raise CheckFailed('%s sets no %s (a secret to look for)' % (envvars, name))
        secrets[name] = str(environment[name]).encode('utf-8')
    scanned = 0
    for folder, dummy, files in os.walk(artifacts):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.relpath(path, artifacts) == 'command':
                continue
            scanned += 1
            with open(path, 'rb') as handle:
                content = handle.read()
            for env_name, value in secrets.items():
                if value in content:
                    problems.append('the value of %s is in %s' % (env_name, os.path.relpath(path, artifacts)))
    if problems:
        raise CheckFailed('job %s: %s' % (artifacts, '; '.join(problems)))
    print('job %s: %s, %d events, changed %s%s; none of %s in its %d artifacts (command aside)' % (
        os.path.basename(artifacts), status, len(events), changed_hosts or 'nothing',
        ' (%s)' % ', '.join(changed_tasks) if changed_tasks else '', ', '.join(sorted(secrets)) or 'no secret', scanned))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest='command')
    command = commands.add_parser('ee-definition')
    command.add_argument('source')
    command.add_argument('tarball')
    command.add_argument('dest')
    command = commands.add_parser('check-context')
    command.add_argument('context')
    command.add_argument('collections')
    command.add_argument('requirements')
    command = commands.add_parser('job-events')
    command.add_argument('artifacts')
    group = command.add_mutually_exclusive_group(required=True)
    group.add_argument('--changed', dest='changed', action='store_true')
    group.add_argument('--unchanged', dest='changed', action='store_false')
    command.add_argument('--envvars', required=True)
    command.add_argument('--secrets', nargs='+', required=True)
    args = parser.parse_args(argv)
    try:
        if args.command == 'ee-definition':
            ee_definition(args.source, args.tarball, args.dest)
        elif args.command == 'check-context':
            check_context(args.context, args.collections, args.requirements)
        elif args.command == 'job-events':
            job_events(args.artifacts, args.changed, args.envvars, args.secrets)
        else:
            parser.error('a command is needed')
    except (CheckFailed, IOError, OSError, ValueError, KeyError) as exc:
        print('awx: FAILED: %s' % exc)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
