# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The governance queries of circleci_info: context restrictions, OIDC claims, the URL orb
allow-list, groups and config policies (bundles, settings, decisions, an evaluation). _queries.py
adds them to the one table."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._query import Form, Query
from ansible_collections.community.circleci.plugins.module_utils._resolve import find_context, org_of, project_of
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    check_date,
    check_mapping,
    check_owner,
    check_text,
    check_uuid,
)

CHECKS = {
    'org_id': check_uuid,
    'project_id': check_uuid,
    'group_id': check_uuid,
    'decision_id': check_uuid,
    'policy_name': check_text,
    'status': check_text,
    'after': check_date,
    'before': check_date,
    'build_number': check_text,
    'config': check_text,
    'metadata': check_mapping,
}

# project_id is a query parameter of the deploys too (project-id); policy_decisions spells it its own way (its form's params).
PARAMS = {
    'status': ('status',),
    'after': ('after',),
    'before': ('before',),
    'build_number': ('build_number',),
}

DECISION_FILTERS = ('status', 'after', 'before', 'branch', 'project_id', 'build_number')


# -- resolvers ---------------------------------------------------------------------------------

def _context(client, values):
    owner = check_owner(values.get('owner_slug'), values.get('owner_id'), values.get('owner_type'))
    context = find_context(client, values['name'], owner)
    if context is None:
        raise CircleCIStateError('name: no context named %r under owner %s' % (values['name'], values.get('owner_slug') or values.get('owner_id')))
    return {'context_id': context['id']}


def _org(client, values):
    return {'org_id': values.get('org_id') or org_of(client, org_slug=values['org_slug'])['id']}


def _project(client, values):
    project = project_of(client, values.get('project_slug'), values.get('project_id'))
    return {'org_id': project['organization_id'], 'project_id': project['id']}


def _policies(client, values):
    """The policy service's owner (the org's id) and its one context, ``config``; and the filters, sent as given."""
    return dict(_org(client, values), context='config', **dict((k, values[k]) for k in DECISION_FILTERS if k in values))


def _evaluation(values):
    body = {'input': values['config']}
    if values.get('metadata'):
        body['metadata'] = values['metadata']
    return body


# -- the queries -------------------------------------------------------------------------------

_OWNER = ('owner_type',)
POLICY = '/owner/{org_id}/context/{context}'


def _org_forms(path, resolve=None, extra=(), **kwargs):
    """Two forms of a path under an organization's id: named by the id, or by the slug (resolved by
    ``resolve``, by default to the id alone); each also needs the identifiers in ``extra``."""
    return [Form(path, needs=['org_id'] + list(extra), resolve=resolve, **kwargs),
            Form(path, needs=['org_slug'] + list(extra), resolve=resolve or _org, **kwargs)]


QUERIES = [
    Query('context_restrictions', [
        Form('/context/{context_id}/restrictions', needs=['context_id']),
        Form('/context/{context_id}/restrictions', needs=['name', 'owner_slug'], accepts=_OWNER, resolve=_context),
        Form('/context/{context_id}/restrictions', needs=['name', 'owner_id'], accepts=_OWNER, resolve=_context),
    ], is_list=True, description="A context's restrictions (projects, expressions, groups)."),
    Query('oidc_claims', _org_forms('/org/{org_id}/oidc-custom-claims') + [
        Form('/org/{org_id}/project/{project_id}/oidc-custom-claims', needs=['org_id', 'project_id']),
        Form('/org/{org_id}/project/{project_id}/oidc-custom-claims', needs=['project_id'], resolve=_project),
        Form('/org/{org_id}/project/{project_id}/oidc-custom-claims', needs=['project_slug'], resolve=_project),
    ], description="The custom claims of an organization's OIDC tokens, or of one project's."),
    Query('url_orb_allow_list', [
        Form('/organization/{org_id}/url-orb-allow-list', needs=['org_id']),
        Form('/organization/{org_slug}/url-orb-allow-list', needs=['org_slug']),
    ], is_list=True, description="An organization's URL orb allow-list."),
    Query('groups', _org_forms('/organizations/{org_id}/groups'), is_list=True,
          description="A standalone organization's groups."),
    Query('group', _org_forms('/organizations/{org_id}/groups/{group_id}', extra=['group_id']), description='A group, by id.'),
    Query('policy_bundle', _org_forms(POLICY + '/policy-bundle', resolve=_policies),
          description="An organization's config policies, by name."),
    Query('policy', _org_forms(POLICY + '/policy-bundle/{policy_name}', resolve=_policies, extra=['policy_name']),
          description='One config policy, by name.'),
    Query('policy_settings', _org_forms(POLICY + '/decision/settings', resolve=_policies),
          description='Whether config policy decisions are enforced.'),
    Query('policy_decisions', _org_forms(POLICY + '/decision', resolve=_policies, accepts=DECISION_FILTERS, paging='offset',
                                         params={'project_id': ('project_id',)}),
          is_list=True, description='The log of config policy decisions, newest first.'),
    Query('policy_decision', _org_forms(POLICY + '/decision/{decision_id}', resolve=_policies, extra=['decision_id']),
          description='One decision log.'),
    Query('policy_decision_bundle', _org_forms(POLICY + '/decision/{decision_id}/policy-bundle', resolve=_policies, extra=['decision_id']),
          description='The policies one decision was made with.'),
    # A POST that reads: CircleCI evaluates the config against the bundle and stores only a decision log.
    Query('policy_evaluation', _org_forms(POLICY + '/decision', resolve=_policies, extra=['config'], accepts=['metadata'],
                                          body=_evaluation),
          description="A config's decision against the bundle, as CircleCI would make it; nothing is changed."),
]
