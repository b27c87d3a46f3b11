# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Turning the names users write (a context name and its owner, a project slug) into API objects."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIStateError, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    CircleCIInputError,
    check_org_slug,
    check_project_slug,
    check_uuid,
)

OWNER_TYPES = ('organization', 'account')


def check_owner(owner_slug=None, owner_id=None, owner_type='organization', required=True):
    """Validate a context owner; answer the query parameters that name it."""
    if owner_slug and owner_id:
        raise CircleCIInputError('owner_slug', 'give owner_slug or owner_id, not both')
    if not owner_slug and not owner_id:
        if required:
            raise CircleCIInputError('owner_slug', 'a context owner is needed: give owner_slug or owner_id')
        return None
    owner_type = owner_type or 'organization'
    if owner_type not in OWNER_TYPES:
        raise CircleCIInputError('owner_type', '%r is not one of %s' % (owner_type, ', '.join(OWNER_TYPES)))
    if owner_slug:
        if owner_type == 'account':
            raise CircleCIInputError('owner_slug', 'an account owner must be named by owner_id; '
                                     'owner_slug names organizations only')
        check_org_slug(owner_slug, 'owner_slug')
        return {'owner-slug': owner_slug, 'owner-type': owner_type}
    return {'owner-id': check_uuid(owner_id, 'owner_id'), 'owner-type': owner_type}


def owner_body(owner_params):
    """The ``owner`` object of a context create body, from check_owner's query parameters."""
    if 'owner-slug' in owner_params:
        return {'slug': owner_params['owner-slug'], 'type': owner_params['owner-type']}
    return {'id': owner_params['owner-id'], 'type': owner_params['owner-type']}


def find_context(client, name, owner_params):
    """The owner's context named exactly ``name`` (all pages read), or None."""
    matches = [c for c in client.paginate('/context', params=owner_params) if c.get('name') == name]
    if len(matches) > 1:
        raise CircleCIStateError('%d contexts are named %r under this owner (ids: %s); name one by context_id'
                                 % (len(matches), name, ', '.join(sorted(c.get('id', '?') for c in matches))))
    return matches[0] if matches else None


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


def get_project(client, project_slug):
    """The project object (``id``, ``slug``, ``name``, ...) of a slug."""
    check_project_slug(project_slug)
    return client.get('/project/%s' % quote_slug(project_slug))
