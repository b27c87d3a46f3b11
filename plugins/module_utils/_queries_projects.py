# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The read queries of part 2's projects: settings, pipeline definitions, triggers, pipeline values.

Included in the table by _queries.py. A project is named by ``project_slug`` or ``project_id``;
each form resolves whichever the path needs (one read). Webhook trigger URLs carry their secret:
the ``triggers`` and ``trigger`` answers show it masked.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible_collections.community.circleci.plugins.module_utils._definitions import masked_trigger
from ansible_collections.community.circleci.plugins.module_utils._query import Form, Query
from ansible_collections.community.circleci.plugins.module_utils._resolve import project_of
from ansible_collections.community.circleci.plugins.module_utils._validation import check_uuid

CHECKS = {
    'project_id': check_uuid,
    'pipeline_definition_id': check_uuid,
    'trigger_id': check_uuid,
}
PARAMS = {}


def _project_slug(client, values):
    return {'project_slug': project_of(client, project_id=values['project_id'])['slug']}


def _with_project_id(client, values):
    """The project's id, keeping the other identifiers of the form."""
    resolved = dict((k, v) for k, v in values.items() if k != 'project_slug')
    resolved['project_id'] = project_of(client, project_slug=values['project_slug'])['id']
    return resolved


def _by_project(path, needs=(), is_list=False, name='', description='', view=None):
    """A query whose path starts with /projects/{project_id}: by project_id, or by project_slug (resolved)."""
    return Query(name, [Form(path, needs=('project_id',) + tuple(needs)),
                        Form(path, needs=('project_slug',) + tuple(needs), resolve=_with_project_id)],
                 is_list=is_list, description=description, view=view)


_DEFINITIONS = '/projects/{project_id}/pipeline-definitions'

QUERIES = [
    Query('project_settings', [
        Form('/project/{project_slug}/settings', needs=['project_slug']),
        Form('/project/{project_slug}/settings', needs=['project_id'], resolve=_project_slug),
    ], description="A project's advanced settings ({\"advanced\": {...}}, oss included)."),
    _by_project(_DEFINITIONS, is_list=True, name='pipeline_definitions', description="A project's pipeline definitions."),
    _by_project(_DEFINITIONS + '/{pipeline_definition_id}', needs=('pipeline_definition_id',), name='pipeline_definition',
                description='A pipeline definition, by id.'),
    _by_project(_DEFINITIONS + '/{pipeline_definition_id}/triggers', needs=('pipeline_definition_id',), is_list=True,
                name='triggers', description="A pipeline definition's triggers (webhook URLs' secrets masked).", view=masked_trigger),
    _by_project('/projects/{project_id}/triggers/{trigger_id}', needs=('trigger_id',), name='trigger',
                description="A trigger, by id (a webhook URL's secret masked).", view=masked_trigger),
    Query('pipeline_values', Form('/pipeline/{pipeline_id}/values', needs=['pipeline_id']),
          description="A pipeline's values (pipeline.number, pipeline.git.branch, ...), as a flat dict."),
]
