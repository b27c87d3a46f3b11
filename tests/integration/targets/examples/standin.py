# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Small client of the stand-in's control API for runme.sh (standard library only).

    python standin.py CONFIG url|token       print a value of integration_config.yml
    python standin.py CONFIG reset           reset the stand-in to its seed state
    python standin.py CONFIG seed JSON       POST /_standin/seed
    python standin.py CONFIG mark            print the sequence number of the last request
    python standin.py CONFIG writes SINCE    print "METHOD PATH" of each write after SINCE
    python standin.py CONFIG live PROJECT COMPONENT ENVIRONMENT
                                             print the version of the component live in the environment
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import json
import re
import sys
import urllib.request


def read_config(path):
    # integration_config.yml holds two "key: value" lines; no YAML library needed for that.
    config = {}
    with open(path) as handle:
        for line in handle:
            match = re.match(r'^(\w+):\s*(.*?)\s*$', line)
            if match:
                config[match.group(1)] = match.group(2).strip('\'"')
    return config


def call(base, path, body=None):
    data = None if body is None else json.dumps(body).encode('utf-8')
    method = 'GET' if body is None else 'POST'
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read().decode('utf-8') or 'null')


def main(argv):
    config = read_config(argv[1])
    base = config['circleci_api_url'].rstrip('/')
    command = argv[2]
    if command == 'url':
        print(base)
    elif command == 'token':
        print(config['circleci_api_token'])
    elif command == 'reset':
        call(base, '/_standin/reset', {'config': {}})
    elif command == 'seed':
        call(base, '/_standin/seed', json.loads(argv[3]))
    elif command == 'mark':
        print(call(base, '/_standin/requests?since=999999999')['last_seq'])
    elif command == 'writes':
        for item in call(base, '/_standin/requests?since=%d' % int(argv[3]))['items']:
            if item['method'] != 'GET':
                print('%s %s' % (item['method'], item['path']))
    elif command == 'live':
        project, component, environment = argv[3:6]
        state = call(base, '/_standin/state')
        project_id = [p['id'] for p in state['projects'] if p['slug'] == project][0]
        found = [c for c in state['deploy_components'] if c['project_id'] == project_id and c['name'] == component][0]
        names = dict((e['id'], e['name']) for e in state['deploy_environments'])
        print(' '.join(v['name'] for v in found['versions'] if v['is_live'] and names.get(v['environment_id']) == environment))
    else:
        raise SystemExit('unknown command %r' % command)


if __name__ == '__main__':
    main(sys.argv)
