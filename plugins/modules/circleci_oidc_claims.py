#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_oidc_claims
short_description: Set or reset the custom claims of CircleCI's OIDC tokens
version_added: 0.1.0
description:
  - Sets the custom claims of the OpenID Connect tokens CircleCI issues to jobs, for an organization or one project
    (a project's claims override the organization's), or resets them to CircleCI's defaults.
  - The claims always exist (CircleCI answers its defaults when none is customised). With O(state=present), only the
    claims given are managed, and only those that differ are sent, in one C(PATCH).
  - O(audience) is compared as a set (CircleCI keeps it in an order of its own), and O(ttl) by its value (CircleCI
    stores V(90m) as V(1h30m0s)).
  - With O(state=absent), the claims named in O(claims) that are customised are reset in one C(DELETE), and nothing is
    sent when none of them is.
author:
  - community.circleci contributors (@ansible-collections)
options:
  org_slug:
    description:
      - The organization whose claims these are, as V(gh/acme) or V(circleci/<org-id>); resolved to its id through the
        organizations of the token's user (one request).
      - Exactly one of O(org_slug), O(org_id), O(project_slug) and O(project_id) is required.
    type: str
  org_id:
    description: The UUID of the organization whose claims these are.
    type: str
  project_slug:
    description:
      - The project whose own claims these are, such as V(gh/acme/api); resolved to its id and its organization's (one request).
    type: str
  project_id:
    description: The UUID of the project whose own claims these are (one request finds its organization).
    type: str
  audience:
    description:
      - The C(aud) claim of the tokens, a list of audiences (such as V(sts.amazonaws.com)). Compared as a set.
      - Only with O(state=present).
    type: list
    elements: str
  ttl:
    description:
      - How long a token is valid, as whole numbers of V(ms), V(s), V(m), V(h), V(d) or V(w) (V(1h), V(90m), V(1h30m)).
        Compared by its value.
      - Only with O(state=present). O(state=present) needs O(audience) or O(ttl).
    type: str
  claims:
    description:
      - With O(state=absent), the claims to reset to CircleCI's defaults. Those that are not customised are left alone.
    type: list
    elements: str
    choices: [audience, ttl]
    default: [audience, ttl]
  state:
    description:
      - V(present) sets the claims given; V(absent) resets those named in O(claims).
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
      - The claims before and after, as in RV(claims).
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_info
  - name: CircleCI OpenID Connect tokens
    description: The tokens' claims and how cloud providers trust them.
    link: https://circleci.com/docs/openid-connect-tokens/
'''

EXAMPLES = r'''
- name: Tokens of the organization for an AWS role, valid for an hour and a half
  community.circleci.circleci_oidc_claims:
    org_slug: gh/acme
    audience:
      - sts.amazonaws.com
    ttl: 90m

- name: One project's tokens for two audiences
  community.circleci.circleci_oidc_claims:
    project_slug: gh/acme/api
    audience: [sts.amazonaws.com, https://vault.example.com]

- name: The project's tokens back to the organization's claims
  community.circleci.circleci_oidc_claims:
    project_slug: gh/acme/api
    state: absent

- name: Only the organization's ttl back to CircleCI's default
  community.circleci.circleci_oidc_claims:
    org_id: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    claims: [ttl]
    state: absent
'''

RETURN = r'''
claims:
  description:
    - The claims after the task, as CircleCI answers them; a claim that is not customised is left out.
    - In check mode, what CircleCI would answer, except that the C(*_updated_at) times are those before the task.
  returned: always
  type: dict
  contains:
    org_id:
      description: The organization's UUID.
      type: str
      returned: always
      sample: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    project_id:
      description: The project's UUID, for a project's claims.
      type: str
      returned: for a project's claims
      sample: 2b8e56d6-5d6b-4c5a-8a4a-4b0f3c1a2e9d
    audience:
      description: The audiences, in CircleCI's order.
      type: list
      elements: str
      returned: when customised
      sample: [sts.amazonaws.com]
    audience_updated_at:
      description: When the audience was last set.
      type: str
      returned: when customised
      sample: '2026-09-21T17:29:21.042Z'
    ttl:
      description: The tokens' lifetime as CircleCI stores it.
      type: str
      returned: when customised
      sample: 1h30m0s
    ttl_updated_at:
      description: When the ttl was last set.
      type: str
      returned: when customised
      sample: '2026-09-21T17:29:21.042Z'
diff:
  description: The claims before and after the task, as in RV(claims).
  returned: always
  type: dict
  contains:
    before:
      description: The claims before the task.
      type: dict
      returned: always
    after:
      description: The claims after the task.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._governance import duration_body, go_duration, stored_duration
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import org_of, project_of
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Settings
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    check_duration,
    check_org_slug,
    check_project_slug,
    check_text_list,
    check_uuid,
)

CLAIMS = ('audience', 'ttl')
SCOPES = ('org_slug', 'org_id', 'project_slug', 'project_id')


def audience_set(value, option=None):
    if option is not None and not check_text_list(value, option):
        raise CircleCIInputError(option, 'must name at least one audience')
    return sorted(set(value)) if value is not None else None


class Claims(Settings):
    key = 'claims'
    argument_spec = dict(
        org_slug=dict(type='str'), org_id=dict(type='str'), project_slug=dict(type='str'), project_id=dict(type='str'),
        audience=dict(type='list', elements='str'),
        ttl=dict(type='str'),
        claims=dict(type='list', elements='str', choices=list(CLAIMS), default=list(CLAIMS)),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    rules = dict(mutually_exclusive=[SCOPES], required_one_of=[SCOPES])
    fields = (
        Field('org_id'), Field('project_id'),
        Field('audience', option='audience', check=audience_set, normalise=audience_set), Field('audience_updated_at'),
        Field('ttl', option='ttl', check=lambda value, option: go_duration(check_duration(value, option)), normalise=stored_duration,
              to_api=duration_body),
        Field('ttl_updated_at'),
    )

    def check(self):
        for option in CLAIMS:
            if self.params['state'] == 'absent' and self.params[option] is not None:
                raise CircleCIInputError(option, 'is only used with state=present (state=absent resets the claims named in claims)')
        if self.params['state'] == 'present' and self.params['audience'] is None and self.params['ttl'] is None:
            raise CircleCIInputError('audience', 'state=present needs audience or ttl (or both)')
        checks = dict(org_slug=check_org_slug, org_id=check_uuid, project_slug=check_project_slug, project_id=check_uuid)
        for option in SCOPES:
            if self.params[option] is not None:
                checks[option](self.params[option], option)
        return super(Claims, self).check()

    def scope(self):
        params = self.params
        if params['project_slug'] or params['project_id']:
            project = project_of(self.client, params['project_slug'], params['project_id'])
            return '/org/%s/project/%s/oidc-custom-claims' % (quote_segment(project['organization_id']), quote_segment(project['id']))
        org_id = params['org_id'].lower() if params['org_id'] else org_of(self.client, org_slug=params['org_slug'])['id']
        return '/org/%s/oidc-custom-claims' % quote_segment(org_id)

    def read(self, scope):
        return self.client.get(scope)

    def customised(self, current):
        return [name for name in CLAIMS if name in self.params['claims'] and current.get(name) is not None]

    def removed(self, current):
        reset = self.customised(current)
        return dict((k, v) for k, v in current.items() if k not in reset and k[:-len('_updated_at')] not in reset)

    def update(self, scope, current, body):
        return self.client.patch(scope, body=body)

    def delete(self, scope, current):
        self.client.delete(scope, params={'claims': ','.join(self.customised(current))})


def main():
    run_module(Claims)


if __name__ == '__main__':
    main()
