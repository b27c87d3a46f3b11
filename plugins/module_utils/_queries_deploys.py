# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The read queries of deploys and usage: deploy components, their versions, environments, and
usage exports (joined to the table in _queries.py)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from urllib.parse import urlsplit, urlunsplit

from ansible_collections.community.circleci.plugins.module_utils._errors import MASK
from ansible_collections.community.circleci.plugins.module_utils._query import Form, Query, given
from ansible_collections.community.circleci.plugins.module_utils._resolve import org_id_of, project_of
from ansible_collections.community.circleci.plugins.module_utils._validation import check_bool, check_uuid

CHECKS = {
    'org_id': check_uuid,
    'project_id': check_uuid,
    'component_id': check_uuid,
    'environment_id': check_uuid,
    'usage_export_id': check_uuid,
    'return_download_urls': check_bool,
}

PARAMS = {
    'org_id': ('org-id',),
    'project_id': ('project-id',),
    'environment_id': ('environment-id',),
}


def masked_url(url):
    """A signed URL with its signature (the query string) masked: where the file is, not the key to it."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(query=MASK)) if parts.query else url


def _masked_export(answer):
    """A usage export with its download URLs masked: they are credentials for 36 hours."""
    if isinstance(answer, dict) and answer.get('download_urls'):
        answer = dict(answer, download_urls=[masked_url(url) for url in answer['download_urls']])
    return answer


def _org(client, values):
    if given(values.get('org_id')):
        return {'org_id': values['org_id']}
    return {'org_id': org_id_of(client, org_slug=values['org_slug'])}


def _components_scope(client, values):
    """The org id and optional project id the component list takes, from ids, an org slug or a project."""
    resolved = {}
    project = None
    if given(values.get('project_slug')):
        project = project_of(client, project_slug=values['project_slug'])
        resolved['project_id'] = project['id']
    elif given(values.get('project_id')):
        resolved['project_id'] = values['project_id']
    if given(values.get('org_id')) or given(values.get('org_slug')):
        resolved.update(_org(client, values))
    else:
        # Named by its project only: the project knows its organization.
        project = project or project_of(client, project_id=values['project_id'])
        resolved['org_id'] = project['organization_id']
    return resolved


_PROJECT = ('project_slug', 'project_id')
_EXPORT = '/organizations/{org_id}/usage_export_job/{usage_export_id}'

QUERIES = [
    Query('deploy_components', [
        Form('/deploy/components', needs=['org_id'], accepts=_PROJECT, resolve=_components_scope),
        Form('/deploy/components', needs=['org_slug'], accepts=_PROJECT, resolve=_components_scope),
        Form('/deploy/components', needs=['project_slug'], resolve=_components_scope),
        Form('/deploy/components', needs=['project_id'], resolve=_components_scope),
    ], is_list=True, description="An organization's deploy components (of one project, with a project); release_count is 0 in the list."),
    Query('deploy_component', Form('/deploy/components/{component_id}', needs=['component_id']),
          description='A deploy component, by id, with its release count.'),
    Query('deploy_component_versions', Form('/deploy/components/{component_id}/versions', needs=['component_id'],
                                            accepts=['environment_id']),
          is_list=True, description="A component's versions, newest first, one per version and environment, with is_live."),
    Query('deploy_environments', [
        Form('/deploy/environments', needs=['org_id'], resolve=_org),
        Form('/deploy/environments', needs=['org_slug'], resolve=_org),
    ], is_list=True, description="An organization's deploy environments."),
    Query('deploy_environment', Form('/deploy/environments/{environment_id}', needs=['environment_id']),
          description='A deploy environment, by id.'),
    Query('usage_export', [
        Form(_EXPORT, needs=['org_id', 'usage_export_id'], view=_masked_export),
        Form(_EXPORT, needs=['org_slug', 'usage_export_id'], resolve=_org, view=_masked_export),
        Form(_EXPORT, needs=['org_id', 'usage_export_id', 'return_download_urls']),
        Form(_EXPORT, needs=['org_slug', 'usage_export_id', 'return_download_urls'], resolve=_org),
    ], description="A usage export's state and download URLs (their signatures masked unless return_download_urls)."),
]
