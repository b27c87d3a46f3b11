#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_url_orb_allow_list
short_description: Allow URL orbs under a prefix, or stop allowing them
version_added: 0.1.0
description:
  - Ensures that an entry of an organization's URL orb allow-list, named exactly, exists with the given prefix and
    authentication, or does not exist. Configs of the organization may import orbs by URL only from allowed prefixes.
  - The organization's entries are read in full and matched by exact name. When two entries share the name, the task
    fails and lists their ids.
  - CircleCI has no update of an entry. A changed entry is created anew first and the old one deleted after, so the
    allowed prefixes never shrink while the change is made; for that moment both are allowed.
author:
  - community.circleci contributors (@ansible-collections)
options:
  org_slug:
    description:
      - The organization, as V(gh/acme) or V(circleci/<org-id>).
      - Exactly one of O(org_slug) and O(org_id) is required.
    type: str
  org_id:
    description: The organization's UUID.
    type: str
  name:
    description: The entry's name, its identity within the organization.
    type: str
    required: true
  prefix:
    description:
      - The URL prefix orbs may be imported from. It must start with V(https://) and end with V(/).
      - Required when O(state=present).
    type: str
  auth:
    description:
      - Which credentials CircleCI sends when it fetches an orb under O(prefix).
    type: str
    choices: [none, github-oauth, github-app, bitbucket-oauth]
    default: none
  state:
    description:
      - Whether the entry should exist. V(absent) needs only O(name).
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
  - name: URL orbs
    description: Importing orbs by URL, and the allow-list that governs it.
    link: https://circleci.com/docs/orbs/use/url-orbs/
'''

EXAMPLES = r'''
- name: Allow the organization's own orbs, served from its GitHub repositories
  community.circleci.circleci_url_orb_allow_list:
    org_slug: gh/acme
    name: acme-orbs
    prefix: https://raw.githubusercontent.com/acme/
    auth: github-app

- name: Stop allowing an old host
  community.circleci.circleci_url_orb_allow_list:
    org_id: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    name: legacy-orbs
    state: absent
'''

RETURN = r'''
entry:
  description:
    - The entry after the task; V({}) when it is absent.
    - In check mode, an entry that would be created has no RV(entry.id).
  returned: always
  type: dict
  contains:
    id:
      description: The entry's UUID. A changed entry has a new one.
      type: str
      returned: when the entry exists
      sample: 8e2f0c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    name:
      description: The entry's name.
      type: str
      returned: when the entry exists
      sample: acme-orbs
    prefix:
      description: The URL prefix.
      type: str
      returned: when the entry exists
      sample: https://raw.githubusercontent.com/acme/
    auth:
      description: The credentials sent with each fetch.
      type: str
      returned: when the entry exists
      sample: github-app
diff:
  description: The entry before and after the task.
  returned: always
  type: dict
  contains:
    before:
      description: The entry before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The entry after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._validation import check_org_slug, check_text, check_url, check_uuid

AUTH = ('none', 'github-oauth', 'github-app', 'bitbucket-oauth')


def check_prefix(value, option):
    check_url(value, option, example='https://raw.githubusercontent.com/acme/', why=' ending in /')
    if not value.endswith('/'):
        raise CircleCIInputError(option, 'must end with / (CircleCI allows the orbs under a prefix)')
    return value


class OrbAllowListEntry(Resource):
    key, plural, where = 'entry', 'URL orb allow-list entries', 'in this organization'
    on_change = 'replace'
    argument_spec = dict(
        org_slug=dict(type='str'), org_id=dict(type='str'),
        name=dict(type='str', required=True),
        prefix=dict(type='str'),
        auth=dict(type='str', choices=list(AUTH), default='none'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    rules = dict(mutually_exclusive=[('org_slug', 'org_id')], required_one_of=[('org_slug', 'org_id')],
                 required_if=[('state', 'present', ('prefix',))])
    fields = (Field('id'), Field('name', option='name', check=check_text), Field('prefix', option='prefix', check=check_prefix),
              Field('auth', option='auth'))

    def scope(self):
        if self.params['org_slug']:
            return '/organization/%s/url-orb-allow-list' % quote_slug(check_org_slug(self.params['org_slug']))
        return '/organization/%s/url-orb-allow-list' % check_uuid(self.params['org_id'], 'org_id')

    def items(self, scope):
        return self.client.paginate(scope)

    def create(self, scope, body):
        # CircleCI answers only {id, message}.
        return dict(body, id=self.client.post(scope, body=body).get('id'))

    def delete(self, scope, current):
        self.client.delete('%s/%s' % (scope, quote_segment(current['id'])))


def main():
    run_module(OrbAllowListEntry)


if __name__ == '__main__':
    main()
