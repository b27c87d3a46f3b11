# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Turning the names users write (a name in a scope, a context and its owner, a project slug)
into API objects."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._validation import check_org_slug, check_project_slug, check_uuid


NO_LOOKUP = ('. This CircleCI does not answer the look-up of a project by name (CircleCI Server has none); name the project by '
             'project_slug instead')


def find_one(items, value, noun, where, key='name', hint='delete all but one', verb='are named'):
    """The one item whose ``key`` is exactly ``value``, or None; two or more fail, listing their ids.

    ``noun`` names the kind in plural (``contexts``), ``where`` the scope (``under this owner``),
    ``verb`` how the items share the value (``are named``; ``match`` for an identity without a name).
    """
    matches = [item for item in items if item.get(key) == value]
    if len(matches) > 1:
        raise CircleCIStateError('%d %s %s %r %s (ids: %s); %s'
                                 % (len(matches), noun, verb, value, where, ', '.join(sorted('%s' % m.get('id', '?') for m in matches)), hint))
    return matches[0] if matches else None


def find_context(client, name, owner_params):
    """The owner's context named exactly ``name`` (all pages read), or None."""
    return find_one(client.paginate('/context', params=owner_params), name, 'contexts', 'under this owner',
                    hint='name one by context_id')


def context_id_from(client, context_id=None, context_name=None, owner_params=None):
    """The id of a context named by id, or by name and owner; a missing context is an error."""
    if context_id:
        return check_uuid(context_id, 'context_id')
    context = find_context(client, context_name, owner_params)
    if context is None:
        owner = owner_params.get('owner-slug') or owner_params.get('owner-id')
        raise CircleCIStateError('context_name: no context named %r under owner %s (contexts are not created '
                                 'on the fly; use community.circleci.circleci_context)' % (context_name, owner))
    return context['id']


def owner_body(owner_params):
    """The ``owner`` object of a context create body, from check_owner's query parameters."""
    if 'owner-slug' in owner_params:
        return {'slug': owner_params['owner-slug'], 'type': owner_params['owner-type']}
    return {'id': owner_params['owner-id'], 'type': owner_params['owner-type']}


def get_project(client, project_slug):
    """The project object (``id``, ``slug``, ``name``, ...) of a slug."""
    check_project_slug(project_slug)
    return client.get('/project/%s' % quote_slug(project_slug))


def project_of(client, project_slug=None, project_id=None):
    """The project (``id``, ``slug``, ``organization_id``, ...) named by its slug (any form,
    ``circleci/<org>/<project>`` included) or its UUID; CircleCI answers both on
    ``GET /project/{slug-or-id}``."""
    if project_slug is not None:
        return get_project(client, project_slug)
    return client.get('/project/%s' % check_uuid(project_id, 'project_id'))


def project_id_of(client, project_slug=None, project_id=None):
    """The UUID of a project named by its UUID (no request) or by its slug (one read)."""
    if project_slug is not None:
        return project_of(client, project_slug)['id']
    return check_uuid(project_id, 'project_id')


def definition_of(client, project_id, name=None, definition_id=None, option='pipeline_definition'):
    """A pipeline definition of the project, by id (one read) or by exact name (the project's
    definitions listed; none, or two of that name, fail naming them)."""
    path = '/projects/%s/pipeline-definitions' % quote_segment(project_id)
    if definition_id is not None:
        return client.get('%s/%s' % (path, quote_segment(definition_id)))
    definitions = client.list(path)
    found = find_one(definitions, name, 'pipeline definitions', 'in project %s' % project_id,
                     hint='delete all but one, or name one by pipeline_definition_id')
    if found is None:
        raise CircleCIStateError('%s: project %s has no pipeline definition named %r (its definitions: %s)'
                                 % (option, project_id, name, ', '.join(sorted('%s' % d.get('name') for d in definitions)) or 'none'))
    return found


def project_by_name(client, org_id, name, org_shown=None):
    """The project named exactly ``name`` in the organization ``org_id`` (UUID), or None, found with
    CircleCI's v3 look-up (``GET /api/v3/projects``, which its own CLI uses: v2 has none). A 404 or
    405 from it means this CircleCI has no such look-up (CircleCI Server): the error says to name
    the project by slug; other refusals (a bad token, no permission) are left as CircleCI says them. Two of the name fail listing their ids."""
    try:
        answer = client.get('/projects', params={'filter[org_id]': org_id, 'filter[name]': name}, api='v3')
    except CircleCIError as exc:
        raise exc.with_message(exc.message + NO_LOOKUP) if exc.status in (404, 405) else exc
    found = find_one(answer.get('items') or [], name, 'projects', 'in organization %s' % (org_shown or org_id))
    if found is not None and 'slug' not in found:
        found = client.get('/project/%s' % quote_segment(found['id']))
    return found


def org_of(client, org_slug=None, org_id=None):
    """The organisation (``id``, ``slug``, ``name``, ``vcs-type``) named by its slug or UUID, as
    ``GET /me/collaborations`` lists it: where an endpoint needs the other form."""
    if org_slug is not None:
        check_org_slug(org_slug)
    else:
        org_id = check_uuid(org_id, 'org_id')
    orgs = client.list('/me/collaborations')
    for org in orgs:
        if (org_slug is not None and (org.get('slug') or '').lower() == org_slug.lower()) or \
                (org_id is not None and (org.get('id') or '').lower() == org_id):
            return org
    option, value = ('org_slug', org_slug) if org_slug is not None else ('org_id', org_id)
    raise CircleCIStateError('%s: %s is not among the organizations of this token\'s user (GET /me/collaborations lists: %s)'
                             % (option, value, ', '.join(sorted('%s' % o.get('slug') for o in orgs)) or 'none'))


def org_id_of(client, org_slug=None, org_id=None):
    """The UUID of an organisation named by its UUID (no request) or by its slug (one read of
    ``GET /me/collaborations``)."""
    if org_slug is not None:
        return org_of(client, org_slug)['id']
    return check_uuid(org_id, 'org_id')
