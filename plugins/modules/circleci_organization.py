#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_organization
short_description: Create, adopt or delete CircleCI organizations
version_added: 0.1.0
description:
  - Ensures that the token's user belongs to an organization, named exactly, of a VCS type, or that a standalone
    organization does not exist.
  - The organizations are those C(GET /me/collaborations) lists for the token's user, matched by O(vcs_type) and exact name.
  - With O(vcs_type=circleci) (the default), O(state=present) creates a standalone organization, one not tied to a VCS
    provider (GitHub App and GitLab projects live in such organizations).
  - With O(vcs_type=github) or O(vcs_type=bitbucket), O(state=present) adopts an organization that exists on that VCS
    provider, so that CircleCI knows it.
  - O(state=absent) deletes a standalone organization with every project in it and all their build history.
    Organizations of another type cannot be deleted this way; asking for it is refused before any request.
author:
  - community.circleci contributors (@ansible-collections)
options:
  name:
    description:
      - The organization's name (for GitHub and Bitbucket, its name there), matched exactly.
    type: str
    required: true
  vcs_type:
    description:
      - The organization's type, part of its identity.
    type: str
    choices: [circleci, github, bitbucket]
    default: circleci
  state:
    description:
      - Whether the organization should exist.
      - V(absent) deletes a standalone organization, every project in it and their build history, and cannot be undone.
        CircleCI refuses to delete an organization on a paid plan.
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
  - module: community.circleci.circleci_info
  - name: CircleCI organizations
    description: Organization types, and standalone organizations for GitHub App and GitLab projects.
    link: https://circleci.com/docs/introduction-to-the-circleci-web-app/
'''

EXAMPLES = r'''
- name: A standalone organization for the platform team
  community.circleci.circleci_organization:
    name: acme-platform
  register: platform

- name: Its slug, for the modules that take org_slug
  ansible.builtin.debug:
    msg: "{{ platform.organization.slug }}"

- name: Let CircleCI know a GitHub organization
  community.circleci.circleci_organization:
    name: acme
    vcs_type: github

- name: Delete a standalone organization and every project in it
  community.circleci.circleci_organization:
    name: acme-sandbox
    state: absent
'''

RETURN = r'''
organization:
  description:
    - The organization after the task; V({}) when it is absent.
    - In check mode, an organization that would be created has only RV(organization.name) and RV(organization.vcs_type).
  returned: always
  type: dict
  contains:
    id:
      description: The organization's UUID.
      type: str
      returned: when the organization exists
      sample: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    name:
      description: The organization's name.
      type: str
      returned: when the organization exists
      sample: acme-platform
    slug:
      description: The organization's slug, as O(name) in V(gh/acme) or V(circleci/<org-id>) for a standalone one.
      type: str
      returned: when the organization exists
      sample: circleci/8Ad4DS7mTmHbY4Nd7mHbLp
    vcs_type:
      description: V(circleci), V(github) or V(bitbucket).
      type: str
      returned: when the organization exists
      sample: circleci
diff:
  description: The organization before and after the task.
  returned: always
  type: dict
  contains:
    before:
      description: The organization before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The organization after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._validation import check_text

VCS_TYPES = ('circleci', 'github', 'bitbucket')


class Organization(Resource):
    key, plural, where = 'organization', 'organizations', 'of this type among your organizations'
    argument_spec = dict(
        name=dict(type='str', required=True),
        vcs_type=dict(type='str', choices=list(VCS_TYPES), default='circleci'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    fields = (Field('id'), Field('name', option='name', check=check_text), Field('slug'),
              Field('vcs_type', api=('vcs_type', 'vcs-type'), option='vcs_type', normalise=lambda v: (v or '').lower() or None))

    def check(self):
        if self.params['state'] == 'absent' and self.params['vcs_type'] != 'circleci':
            raise CircleCIInputError('state', 'absent deletes standalone (vcs_type circleci) organizations only; a %s organization '
                                     'is not deleted through CircleCI' % self.params['vcs_type'])
        return super(Organization, self).check()

    def items(self, scope):
        return [org for org in self.client.list('/me/collaborations')
                if (org.get('vcs-type') or org.get('vcs_type') or '').lower() == self.params['vcs_type']]

    def create(self, scope, body):
        # One spelling only: the body's keys are the OpenAPI description's.
        return self.client.post('/organization', body={'name': body['name'], 'vcs_type': body['vcs_type']})

    def delete(self, scope, current):
        self.client.delete('/organization/%s' % quote_segment(current['id']))


def main():
    run_module(Organization)


if __name__ == '__main__':
    main()
