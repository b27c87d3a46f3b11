#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_checkout_key
short_description: Ensure a CircleCI project has a checkout key, or remove checkout keys
version_added: 0.1.0
description:
  - Ensures that a project has an SSH checkout key of a type, creating one when it has none, or removes checkout keys.
  - CircleCI creates the key pair itself and keeps the private key; the module only ever sees public keys and fingerprints,
    and never returns or logs private material.
  - With O(state=present), an existing key of the type is enough, whichever it is. The project's preferred key is returned when it
    is of the type; otherwise the most recently created key of the type.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project, such as V(gh/acme/api).
    type: str
    required: true
  type:
    description:
      - The type of key.
      - V(deploy-key) is a read-only key for the project's repository.
      - V(user-key) acts as the user of O(api_token) and can read every repository that user can.
        CircleCI lists such keys with the type C(github-user-key); this module matches them as V(user-key).
        Creating one needs a personal API token.
      - Required when O(state=present). With O(state=absent) and no O(fingerprint), every key of the type is deleted.
    type: str
    choices: [deploy-key, user-key]
  fingerprint:
    description:
      - The MD5 fingerprint of the key to delete, as CircleCI lists it (V(c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f)).
      - Only with O(state=absent); CircleCI chooses the fingerprint of a key it creates.
      - With O(type) as well, the key must be of that type, or the task fails.
    type: str
  state:
    description:
      - V(present) ensures a key of O(type) exists.
      - V(absent) deletes the key with O(fingerprint), or every key of O(type).
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
  diff_mode:
    support: full
    details:
      - The diff lists the project's checkout keys (type, fingerprint, preferred) before and after.
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_info
  - name: CircleCI checkout keys
    description: Deploy keys and user keys, and when each is needed.
    link: https://circleci.com/docs/add-ssh-key/
'''

EXAMPLES = r'''
- name: Ensure the project has a deploy key
  community.circleci.circleci_checkout_key:
    project_slug: gh/acme/api
    type: deploy-key
    api_token: "{{ circleci_token }}"
  register: deploy_key

- name: Show the public key to add to the repository
  ansible.builtin.debug:
    msg: "{{ deploy_key.checkout_key.public_key }}"

- name: A user key, to check out private submodules of other repositories
  community.circleci.circleci_checkout_key:
    project_slug: gh/acme/api
    type: user-key

- name: Delete one key by fingerprint
  community.circleci.circleci_checkout_key:
    project_slug: gh/acme/api
    fingerprint: c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f
    state: absent

- name: Delete every user key of the project
  community.circleci.circleci_checkout_key:
    project_slug: gh/acme/api
    type: user-key
    state: absent
'''

RETURN = r'''
checkout_key:
  description:
    - With O(state=present), the key of the type that the project has after the task; V({}) with O(state=absent).
    - In check mode, a key that would be created has only RV(checkout_key.type).
  returned: always
  type: dict
  contains:
    type:
      description: The key's type as CircleCI lists it, V(deploy-key) or V(github-user-key).
      type: str
      returned: when a key exists
      sample: deploy-key
    fingerprint:
      description: The key's MD5 fingerprint.
      type: str
      returned: when a key exists
      sample: c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f
    public_key:
      description: The public key, in OpenSSH format.
      type: str
      returned: when a key exists
      sample: ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC...
    preferred:
      description: Whether CircleCI uses this key for checkouts in preference to the project's others.
      type: bool
      returned: when a key exists
      sample: true
    created_at:
      description: When the key was created (RFC 3339).
      type: str
      returned: when a key exists
      sample: '2026-09-21T17:29:21.042Z'
checkout_keys:
  description:
    - Every checkout key of the project after the task (all types), each as in RV(checkout_key).
    - In check mode, what the project would have.
  returned: always
  type: list
  elements: dict
deleted:
  description:
    - The fingerprints of the keys deleted (in check mode, that would be deleted).
    - When a deletion fails part-way, the keys already deleted.
  returned: always
  type: list
  elements: str
  sample: [c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f]
diff:
  description: The project's checkout keys before and after the task.
  returned: always
  type: dict
  contains:
    before:
      description: The keys before the task, under C(checkout_keys).
      type: dict
      returned: always
    after:
      description: The keys after the task, under C(checkout_keys).
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resource import ItemSet
from ansible_collections.community.circleci.plugins.module_utils._validation import check_fingerprint, check_project_slug

DIFF_KEYS = ('type', 'fingerprint', 'preferred')


def normalise(answer):
    return {
        'type': answer.get('type'),
        'fingerprint': answer.get('fingerprint'),
        'public_key': answer.get('public-key', answer.get('public_key')),
        'preferred': answer.get('preferred'),
        'created_at': answer.get('created-at', answer.get('created_at')),
    }


def is_type(key, wanted):
    """Whether a listed key is of the type the user named: a user key is listed as
    ``github-user-key`` (any ``*-user-key`` is taken as one)."""
    listed = key.get('type') or ''
    if wanted == 'user-key':
        return listed == 'user-key' or listed.endswith('-user-key')
    return listed == wanted


def choose(keys):
    """The key to report among keys of one type: the preferred one, else the newest (the later
    one in CircleCI's list when two were created in the same instant)."""
    if not keys:
        return None
    preferred = [k for k in keys if k.get('preferred')]
    if preferred:
        return preferred[0]
    return max(enumerate(keys), key=lambda pair: ((pair[1].get('created_at') or ''), pair[0]))[1]


class CheckoutKeys(ItemSet):
    """A project's checkout keys: one of a type made present, or the keys named deleted. The new
    key may take over "preferred", and deleting the preferred one may make another preferred, so
    the keys are listed again after any write."""

    noun, reread, reported = 'checkout key', True, ('deleted',)
    lost_hint = ('. CircleCI may have created the key all the same; it was not sent again, so as not to make two. Look at the '
                 "project's checkout keys (circleci_info query checkout_keys) before running this task again")
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        type=dict(type='str', choices=['deploy-key', 'user-key']),
        fingerprint=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )

    def check(self):
        params = self.params
        if params['fingerprint'] is not None and params['state'] == 'present':
            raise CircleCIInputError('fingerprint', 'is only used with state=absent: CircleCI chooses the fingerprint of a key it creates')
        if params['state'] == 'present' and not params['type']:
            raise CircleCIInputError('type', 'is required with state=present')
        if params['state'] == 'absent' and not params['type'] and params['fingerprint'] is None:
            raise CircleCIInputError('type', 'give type or fingerprint (or both) with state=absent')
        fingerprint = check_fingerprint(params['fingerprint']) if params['fingerprint'] is not None else None
        return {'path': '/project/%s/checkout-key' % quote_slug(check_project_slug(params['project_slug'])), 'fingerprint': fingerprint}

    def scope(self):
        return self.inputs['path']

    def read(self, scope):
        return dict((key['fingerprint'], key) for key in (normalise(k) for k in self.client.paginate(scope)))

    def plan(self, current):
        wanted, fingerprint = self.params['type'], self.inputs['fingerprint']
        if self.params['state'] == 'present':
            exists = any(is_type(k, wanted) for k in current.values())
            return ([] if exists else [('create', None, {'type': wanted})]), [], []
        if fingerprint:
            matches = [k for k in current.values() if (k['fingerprint'] or '').lower() == fingerprint]
            for key in matches:
                if wanted and not is_type(key, wanted):
                    raise CircleCIStateError('fingerprint: the key %s is a %s, not a %s; nothing was deleted'
                                             % (key['fingerprint'], key['type'], wanted))
        else:
            matches = [k for k in current.values() if is_type(k, wanted)]
        return [('delete', k['fingerprint'], None) for k in matches], [], []

    def write(self, scope, action, key, desired, item):
        if action == 'create':
            return normalise(self.client.post(scope, body=desired))
        # The reference writes the fingerprint's colons literally; keep them so.
        self.client.delete('%s/%s' % (scope, quote_segment(key).replace('%3A', ':')))
        return None

    def predict(self, scope, action, key, desired, item):
        return {'type': 'github-user-key' if desired['type'] == 'user-key' else desired['type']} if desired else None

    def report(self, before, after):
        keys = list(after.values())
        chosen = choose([k for k in keys if is_type(k, self.params['type'])]) if self.params['state'] == 'present' else None
        self.result['checkout_key'] = dict(chosen) if chosen else {}
        self.result['checkout_keys'] = [dict(k) for k in keys]
        self.result['diff'] = dict((side, {'checkout_keys': [dict((f, k.get(f)) for f in DIFF_KEYS) for k in items.values()]})
                                   for side, items in (('before', before), ('after', after)))


def main():
    run_module(CheckoutKeys)


if __name__ == '__main__':
    main()
