#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_config_policies
short_description: Keep an organization's config policies (OPA Rego) and their enforcement as code
version_added: 0.1.0
description:
  - Makes an organization's bundle of config policies the Rego documents given in O(src) or O(policies), and switches the
    enforcement of their decisions on or off (O(enabled)).
  - CircleCI replaces a bundle whole. So the module first asks CircleCI what a push would change (a dry run,
    C(POST .../policy-bundle?dry=true), which stores nothing), and pushes only when the answer names a policy created,
    modified or deleted. A second run with the same documents sends the dry run and nothing else.
  - CircleCI names each policy by the C(policy_name["..."]) that its document declares, not by the file it came from
    (the file names are only the keys of the push, as CircleCI's CLI sends them). RV(policies) and RV(bundle_diff) use
    those names, and renaming a file changes nothing. Every document must declare one, and no two the same;
    both are checked before any request.
  - When O(enabled) and the bundle both change, the bundle is pushed before enforcement is switched on, and enforcement
    is switched off before the bundle is pushed, so that enforcement never applies to a bundle that is not yet the one asked for.
author:
  - community.circleci contributors (@ansible-collections)
options:
  org_id:
    description:
      - The organization's UUID.
      - Exactly one of O(org_id) and O(org_slug) is required.
    type: str
  org_slug:
    description:
      - The organization, as V(gh/acme) or V(circleci/<org-id>); resolved to its id through the organizations of the
        token's user (one request).
    type: str
  src:
    description:
      - A directory whose C(*.rego) files form the bundle (files in its subdirectories are not read).
      - It is read by the module, on the machine that runs it (the controller, as every module of this collection runs),
        so give an absolute path, such as V({{ playbook_dir }}/policies) or V({{ role_path }}/files/policies).
      - Mutually exclusive with O(policies). A directory without C(.rego) files is refused (use O(state=absent) to empty
        the bundle).
    type: path
  policies:
    description:
      - The bundle as a dictionary of file name to Rego text (see the examples).
      - Mutually exclusive with O(src). An empty dictionary is refused (use O(state=absent) to empty the bundle).
    type: dict
  enabled:
    description:
      - Whether CircleCI enforces the decisions of the policies (blocks a config that a hard rule fails).
      - May be given alone, to switch enforcement without touching the bundle. When omitted, enforcement is left alone.
    type: bool
  state:
    description:
      - V(present) makes the bundle what O(src) or O(policies) holds (when given).
      - V(absent) empties the bundle when it holds any policy (O(src) and O(policies) are refused with it), and leaves
        enforcement alone unless O(enabled) is given.
      - V(present) needs one of O(src), O(policies) and O(enabled).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.MODULES
  - community.circleci.attributes
attributes:
  check_mode:
    support: full
    details:
      - Check mode sends the dry run, which CircleCI answers with what a push would change and which stores nothing;
        it compares nothing locally. No push and no change of enforcement is sent.
  diff_mode:
    support: full
    details:
      - The diff shows the text of each policy created, modified or deleted, before and after, and the enforcement
        setting when it changes.
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_info
  - name: CircleCI config policies
    description: Writing config policies in Rego, and how their decisions are enforced.
    link: https://circleci.com/docs/config-policy-management-overview/
'''

EXAMPLES = r'''
- name: The bundle from a folder of .rego files, enforced
  community.circleci.circleci_config_policies:
    org_slug: gh/acme
    src: "{{ playbook_dir }}/policies"
    enabled: true
  register: policies

- name: What changed
  ansible.builtin.debug:
    msg: "{{ policies.bundle_diff }}"

- name: One policy given inline
  community.circleci.circleci_config_policies:
    org_id: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    policies:
      jobs.rego: |
        package org

        import future.keywords

        policy_name["jobs"]

        enable_rule["no_latest_images"]

        hard_fail["no_latest_images"]

        no_latest_images[reason] {
          some job_name, job in input.jobs
          endswith(job.docker[0].image, ":latest")
          reason := sprintf("job %s uses a :latest image", [job_name])
        }

- name: Switch enforcement off, leaving the bundle alone
  community.circleci.circleci_config_policies:
    org_slug: gh/acme
    enabled: false

- name: Remove every policy
  community.circleci.circleci_config_policies:
    org_slug: gh/acme
    state: absent
'''

RETURN = r'''
policies:
  description:
    - The names of the policies in the bundle after the task (in check mode, after a push), sorted. CircleCI names a
      policy by the C(policy_name) its document declares.
  returned: always
  type: list
  elements: str
  sample: [jobs, orbs]
bundle_diff:
  description:
    - What the push changed (in check mode, and when nothing was pushed, what the dry run answered), by policy name.
  returned: always
  type: dict
  contains:
    created:
      description: The policies added, sorted.
      type: list
      elements: str
      returned: always
      sample: [orbs]
    modified:
      description: The policies whose text changed, sorted.
      type: list
      elements: str
      returned: always
      sample: [jobs]
    deleted:
      description: The policies removed, sorted.
      type: list
      elements: str
      returned: always
      sample: []
enabled:
  description: Whether CircleCI enforces the decisions after the task (in check mode, after the change).
  returned: always
  type: bool
  sample: true
diff:
  description:
    - One entry per policy created, modified or deleted, with its text before and after (empty when it did not or does not
      exist), and one for the enforcement setting when it changes.
  returned: when something changes
  type: list
  elements: dict
'''

import os

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._governance import policy_name
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._operation import Operation
from ansible_collections.community.circleci.plugins.module_utils._resolve import org_of
from ansible_collections.community.circleci.plugins.module_utils._validation import check_org_slug, check_uuid, kind_of

CHANGES = ('created', 'modified', 'deleted')


def read_src(src):
    """The ``*.rego`` files of a directory (not of its subdirectories): file name -> text."""
    if not os.path.isdir(src):
        raise CircleCIInputError('src', '%s is not a directory' % src)
    files = {}
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if name.endswith('.rego') and os.path.isfile(path):
            try:
                with open(path, 'rb') as handle:
                    files[name] = handle.read().decode('utf-8')
            except (IOError, OSError, UnicodeDecodeError) as exc:
                raise CircleCIInputError('src', 'cannot read %s: %s' % (path, exc))
    return files


def named(files, option):
    """policy name -> (file name, text); each document must declare a name of its own."""
    by_name = {}
    for filename in sorted(files):
        text = files[filename]
        if not isinstance(text, str):
            raise CircleCIInputError('%s[%s]' % (option, filename), 'must be the Rego text, not %s' % kind_of(text))
        name = policy_name(text)
        if name is None:
            raise CircleCIInputError('%s[%s]' % (option, filename), 'declares no policy_name["..."]: CircleCI names each policy by it')
        if name in by_name:
            raise CircleCIInputError('%s[%s]' % (option, filename), 'declares policy_name["%s"], as %s does' % (name, by_name[name][0]))
        by_name[name] = (filename, text)
    return by_name


def text_diff(name, before, after):
    return {'before_header': 'policy %s (CircleCI)' % name, 'after_header': 'policy %s%s' % (name, ' (%s)' % after[0] if after else ''),
            'before': before or '', 'after': after[1] if after else ''}


class ConfigPolicies(Operation):
    argument_spec = dict(
        org_id=dict(type='str'), org_slug=dict(type='str'),
        src=dict(type='path'), policies=dict(type='dict'),
        enabled=dict(type='bool'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    rules = dict(mutually_exclusive=[('org_id', 'org_slug'), ('src', 'policies')], required_one_of=[('org_id', 'org_slug')])
    lost_hint = '. CircleCI may have done it; running the task again is safe (a push replaces the bundle whole).'
    switch = False

    def check(self):
        params = self.params
        if params['org_id']:
            check_uuid(params['org_id'], 'org_id')
        else:
            check_org_slug(params['org_slug'])
        option = 'src' if params['src'] is not None else 'policies'
        if params['state'] == 'absent':
            if params[option] is not None:
                raise CircleCIInputError(option, 'is not used with state=absent, which empties the bundle')
            return {'files': {}, 'names': {}}
        if params[option] is None:
            if params['enabled'] is None:
                raise CircleCIInputError('src', 'state=present needs src, policies or enabled')
            return {'files': None}
        files = read_src(params['src']) if option == 'src' else dict(params['policies'])
        if not files:
            raise CircleCIInputError(option, '%s no policy; use state=absent to empty the bundle' % (
                'holds no .rego file, so it would push' if option == 'src' else 'names'))
        return {'files': files, 'names': named(files, option)}

    def find(self):
        """The policy service's path of the organization (its one context is ``config``)."""
        org_id = self.params['org_id'] or org_of(self.client, org_slug=self.params['org_slug'])['id']
        return '/owner/%s/context/config' % quote_segment(org_id.lower())

    def plan(self, target):
        files, diff, wanted = self.inputs['files'], [], self.params['enabled']
        bundle_diff = dict((key, []) for key in CHANGES)
        if files is not None:
            answer = self.client.post(target + '/policy-bundle', body={'policies': files}, params={'dry': 'true'}, retry=True)
            bundle_diff.update((key, sorted(answer.get(key) or [])) for key in CHANGES)
            self.result['policies'] = sorted(self.inputs['names'])
        if files is None or any(bundle_diff.values()):
            current = self.client.get(target + '/policy-bundle') or {}
            if files is None:
                self.result['policies'] = sorted(current)
            for name in bundle_diff['created'] + bundle_diff['modified'] + bundle_diff['deleted']:
                diff.append(text_diff(name, (current.get(name) or {}).get('content'), self.inputs['names'].get(name)))
        self.result['bundle_diff'] = bundle_diff
        enabled = self.client.get(target + '/decision/settings').get('enabled')
        self.switch = wanted is not None and enabled is not wanted
        if self.switch:
            diff.append({'before_header': 'enforcement', 'after_header': 'enforcement',
                         'before': 'enabled: %s\n' % str(enabled).lower(), 'after': 'enabled: %s\n' % str(wanted).lower()})
        self.result['enabled'] = wanted if self.switch else enabled
        return bool(diff), diff or None

    def act(self, target):
        # Enforcement goes off before the push and on after it.
        if self.switch and not self.params['enabled']:
            self.client.patch(target + '/decision/settings', body={'enabled': False})
        if any(self.result['bundle_diff'].values()):
            answer = self.client.post(target + '/policy-bundle', body={'policies': self.inputs['files']}, retry=True)
            self.result['bundle_diff'] = dict((key, sorted(answer.get(key) or [])) for key in CHANGES)
        if self.switch and self.params['enabled']:
            self.client.patch(target + '/decision/settings', body={'enabled': True})


def main():
    run_module(ConfigPolicies)


if __name__ == '__main__':
    main()
