#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_group
short_description: Create or delete groups of a CircleCI organization
version_added: 0.1.0
description:
  - Ensures that a group of an organization, named exactly, exists or does not exist. Groups can be named in context
    restrictions (see M(community.circleci.circleci_context)).
  - Groups exist in standalone organizations only (those whose slug starts with V(circleci/)); CircleCI answers 403 for
    the groups of a GitHub OAuth or Bitbucket organization.
  - CircleCI has no update of a group, and creating it again would change its id and drop its members and every context
    restriction that names it. So a group whose description differs from O(description) is left as it is, with a warning
    that says so, and the task reports no change. To change the description, delete the group and create it again.
author:
  - community.circleci contributors (@ansible-collections)
options:
  org_slug:
    description:
      - The organization, as V(circleci/<org-id>); resolved to its id through the organizations of the token's user (one request).
      - Exactly one of O(org_slug) and O(org_id) is required.
    type: str
  org_id:
    description: The organization's UUID.
    type: str
  name:
    description: The group's name, its identity within the organization.
    type: str
    required: true
  description:
    description:
      - The group's description, set when the group is created. When omitted, a new group has an empty one.
    type: str
  state:
    description:
      - Whether the group should exist. V(absent) deletes it, and with it every context restriction that names it.
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
      - A description that differs is not changed, so the diff shows the group as it is on both sides; the warning names
        both descriptions.
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_context
  - module: community.circleci.circleci_info
'''

EXAMPLES = r'''
- name: A group of the people who may deploy
  community.circleci.circleci_group:
    org_slug: circleci/8Ad4DS7mTmHbY4Nd7mHbLp
    name: deployers
    description: May use the production contexts
  register: deployers

- name: Restrict the production context to that group
  community.circleci.circleci_context:
    name: deploy-production
    owner_slug: circleci/8Ad4DS7mTmHbY4Nd7mHbLp
    restrictions:
      - type: group
        value: "{{ deployers.group.id }}"

- name: Delete a group
  community.circleci.circleci_group:
    org_id: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    name: contractors
    state: absent
'''

RETURN = r'''
group:
  description:
    - The group after the task; V({}) when it is absent.
    - In check mode, a group that would be created has no RV(group.id).
  returned: always
  type: dict
  contains:
    id:
      description: The group's UUID, which context restrictions of type V(group) name.
      type: str
      returned: when the group exists
      sample: 3f2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d
    name:
      description: The group's name.
      type: str
      returned: when the group exists
      sample: deployers
    description:
      description: The group's description (V("") when it has none).
      type: str
      returned: when the group exists
      sample: May use the production contexts
diff:
  description: The group before and after the task.
  returned: always
  type: dict
  contains:
    before:
      description: The group before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The group after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._governance import delete_or_gone
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import org_of
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._validation import check_org_slug, check_text, check_uuid


class Group(Resource):
    key, plural, where = 'group', 'groups', 'in this organization'
    on_change = 'keep'
    keep_hint = (' Creating it again would change its id and drop its members and the context restrictions that name it;'
                 ' to change it, delete the group and create it again')
    argument_spec = dict(
        org_slug=dict(type='str'), org_id=dict(type='str'),
        name=dict(type='str', required=True),
        description=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    rules = dict(mutually_exclusive=[('org_slug', 'org_id')], required_one_of=[('org_slug', 'org_id')])
    fields = (Field('id'), Field('name', option='name', check=check_text), Field('description', option='description'))

    def check(self):
        if self.params['org_slug']:
            check_org_slug(self.params['org_slug'])
        else:
            check_uuid(self.params['org_id'], 'org_id')
        return super(Group, self).check()

    def scope(self):
        org_id = self.params['org_id'] or org_of(self.client, org_slug=self.params['org_slug'])['id']
        return '/organizations/%s/groups' % quote_segment(org_id.lower())

    def items(self, scope):
        return self.client.paginate(scope)

    def create(self, scope, body):
        return self.client.post(scope, body=body)

    def delete(self, scope, current):
        delete_or_gone(self.client, '%s/%s' % (scope, quote_segment(current['id'])))


def main():
    run_module(Group)


if __name__ == '__main__':
    main()
