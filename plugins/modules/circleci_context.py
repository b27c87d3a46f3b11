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
  - With O(restrictions), the task also manages who may use the context (projects, expressions on pipeline values, groups).
    CircleCI has no update of a restriction, which is there or not. Every missing restriction is created before any is
    deleted, so that the context is never open wider than both its old and its new restrictions at any moment.
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
  restrictions:
    description:
      - The restrictions the context should have, each present or absent. Restrictions not listed are kept, unless
        O(purge_restrictions=true).
      - Every new context starts with one restriction of type V(group) whose value is the organization's own id,
        shown by CircleCI as C(All members). It lets every member of the organization use the context.
      - "How CircleCI combines them: every type present must pass (project, expression, group), and within a type
        a project or a group passes if any one of them matches, an expression only if all do. So deleting the last
        project restriction opens the context to every project again."
      - Only with O(state=present). When omitted, the context's restrictions are left alone and not read.
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - V(project) restricts the context to the projects listed; V(expression) to pipelines whose values pass the
            expression (such as V(pipeline.git.branch == "main")); V(group) to the members of the groups listed.
        type: str
        required: true
        choices: [project, expression, group]
      value:
        description:
          - For V(project), the project's slug (V(gh/acme/api), resolved to its id with one request) or its id.
          - For V(expression), the expression's text, compared exactly.
          - For V(group), the group's id (a UUID; groups are not looked up by name). The organization's own id is the
            C(All members) group.
        type: str
        required: true
      state:
        description: Whether the restriction should exist.
        type: str
        choices: [present, absent]
        default: present
  purge_restrictions:
    description:
      - Also delete every restriction of the context that O(restrictions) does not list.
      - Without the C(All members) group restriction (the organization's id, type V(group)) in O(restrictions), this
        deletes it and narrows the context to the organization's admins, which also stops scheduled pipelines and
        other pipelines that run as no member from using it.
      - Needs O(restrictions); V(restrictions=[]) with it deletes every restriction.
    type: bool
    default: false
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
      - With O(restrictions), the diff holds the context's restrictions before and after, under C(restrictions).
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

- name: Lock the production context to one project and the main branch (All members kept)
  community.circleci.circleci_context:
    name: deploy-production
    owner_slug: gh/acme
    restrictions:
      - type: project
        value: gh/acme/api
      - type: expression
        value: pipeline.git.branch == "main"
  register: production

- name: Show the restrictions the context has now
  ansible.builtin.debug:
    msg: "{{ production.context.restrictions | map(attribute='name') | list }}"

- name: Exactly these restrictions, every other one deleted (after these are created)
  community.circleci.circleci_context:
    name: deploy-production
    owner_id: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    restrictions:
      - type: group
        value: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e  # the organization's id: All members
      - type: project
        value: 2b8e56d6-5d6b-4c5a-8a4a-4b0f3c1a2e9d
    purge_restrictions: true

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
    restrictions:
      description:
        - Every restriction of the context after the task, as CircleCI lists them.
        - In check mode, what the context would have; a restriction that would be created has no RV(context.restrictions[].id),
          and its RV(context.restrictions[].name) is known for expressions only.
      type: list
      elements: dict
      returned: when O(restrictions) is given
      contains:
        id:
          description: The restriction's UUID.
          type: str
          sample: 1c0b4d4f-2a71-4e5e-8f0e-6d3f0f1f7a10
        restriction_type:
          description: V(project), V(expression) or V(group).
          type: str
          sample: project
        restriction_value:
          description: The project's id, the expression's text or the group's id.
          type: str
          sample: 2b8e56d6-5d6b-4c5a-8a4a-4b0f3c1a2e9d
        name:
          description: What CircleCI calls it, the project's name, the expression's text, the group's name or C(All members).
          type: str
          sample: api
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
from ansible_collections.community.circleci.plugins.module_utils._governance import RESTRICTION_TYPES, Restrictions
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
        restrictions=dict(type='list', elements='dict', options=dict(
            type=dict(type='str', required=True, choices=list(RESTRICTION_TYPES)),
            value=dict(type='str', required=True),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
        )),
        purge_restrictions=dict(type='bool', default=False),
    )
    rules = dict(mutually_exclusive=[('owner_slug', 'owner_id')], required_one_of=[('owner_slug', 'owner_id')],
                 required_if=[('purge_restrictions', True, ('restrictions',))])
    fields = (Field('id'), Field('name', option='name', check=check_text), Field('created_at'))
    carries = (Restrictions,)

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
