#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_context
short_description: Create or delete CircleCI contexts
version_added: 0.1.0
description:
  - Ensures that a context, named exactly, exists or does not exist under an organization (or, on CircleCI Server, an account).
  - The owner's contexts are read in full (every page) and matched by exact, case-sensitive name, so a context is never created twice.
  - Context environment variables are managed with M(community.circleci.circleci_envvar).
author:
  - community.circleci contributors (@ansible-collections)
options:
  name:
    description:
      - The name of the context. Names are unique within an owner.
    type: str
    required: true
  owner_slug:
    description:
      - The slug of the organization that owns the context, such as V(gh/acme).
      - Exactly one of O(owner_slug) and O(owner_id) is required.
      - Slugs name organizations only; name an account by O(owner_id).
    type: str
  owner_id:
    description:
      - The UUID of the organization or account that owns the context.
    type: str
  owner_type:
    description:
      - The type of the owner.
      - V(account) exists on CircleCI Server only; circleci.com refuses it.
    type: str
    choices: [organization, account]
    default: organization
  state:
    description:
      - Whether the context should exist.
      - V(absent) deletes the context with every variable in it.
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
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_envvar
  - name: CircleCI contexts
    description: What contexts are and how jobs use them.
    link: https://circleci.com/docs/contexts/
'''

EXAMPLES = r'''
- name: Ensure the deploy context exists
  community.circleci.circleci_context:
    name: deploy-production
    owner_slug: gh/acme
    api_token: "{{ circleci_token }}"
  register: ctx

- name: The same for a whole play, with the token set once
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ lookup('ansible.builtin.env', 'CIRCLECI_TOKEN') }}"
  tasks:
    - name: Ensure the context exists, owner named by id
      community.circleci.circleci_context:
        name: deploy-staging
        owner_id: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e

- name: Delete a context and all its variables
  community.circleci.circleci_context:
    name: old-context
    owner_slug: gh/acme
    state: absent
'''

RETURN = r'''
context:
  description:
    - The context after the task; V({}) when it is absent.
    - In check mode, a context that would be created has no RV(context.id) or RV(context.created_at).
  returned: always
  type: dict
  contains:
    id:
      description: The context's UUID.
      type: str
      returned: when the context exists
      sample: 497f6eca-6276-4993-bfeb-53cbbbba6f08
    name:
      description: The context's name.
      type: str
      returned: when the context exists
      sample: deploy-production
    created_at:
      description: When the context was created (RFC 3339).
      type: str
      returned: when the context exists
      sample: '2026-09-21T17:29:21.042Z'
diff:
  description: The context before and after the task.
  returned: always
  type: dict
  contains:
    before:
      description: The context before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The context after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import owner_body
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._validation import OWNER_TYPES, check_owner, check_text


class Context(Resource):
    key, plural, where = 'context', 'contexts', 'under this owner'
    argument_spec = dict(
        name=dict(type='str', required=True),
        owner_slug=dict(type='str'),
        owner_id=dict(type='str'),
        owner_type=dict(type='str', choices=list(OWNER_TYPES), default='organization'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    rules = dict(mutually_exclusive=[('owner_slug', 'owner_id')], required_one_of=[('owner_slug', 'owner_id')])
    fields = (Field('id'), Field('name', option='name', check=check_text), Field('created_at'))

    def scope(self):
        return check_owner(self.params['owner_slug'], self.params['owner_id'], self.params['owner_type'])

    def items(self, scope):
        return self.client.paginate('/context', params=scope)

    def create(self, scope, body):
        return self.client.post('/context', body=dict(body, owner=owner_body(scope)))

    def delete(self, scope, current):
        self.client.delete('/context/%s' % quote_segment(current['id']))


def main():
    run_module(Context)


if __name__ == '__main__':
    main()
