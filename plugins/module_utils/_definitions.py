# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pipeline definitions and triggers: their sources as the modules' options spell them, and back
as CircleCI's bodies spell them; a trigger's identity; a webhook URL with its secret masked.

Shared by circleci_pipeline_definition, circleci_trigger and the circleci_info queries.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import copy
import re

from ansible_collections.community.circleci.plugins.module_utils._errors import MASK

CONFIG_PROVIDERS = ('github_app', 'circleci')
CHECKOUT_PROVIDERS = ('github_app',)
TRIGGER_PROVIDERS = ('github_app', 'github_oauth', 'webhook')
REPOSITORY_PROVIDERS = ('github_app', 'github_oauth')
# The event presets of the OpenAPI description (github_app triggers only).
EVENT_PRESETS = ('all-pushes', 'only-tags', 'default-branch-pushes', 'only-build-prs', 'only-open-prs', 'only-labeled-prs',
                 'only-merged-prs', 'only-ready-for-review-prs', 'only-branch-delete', 'only-build-pushes-to-non-draft-prs',
                 'only-merged-or-closed-prs')
DEFAULT_CONFIG_PATH = '.circleci/config.yml'
_SECRET_RE = re.compile(r'([?&]secret=)[^&#]*')


def source_view(source):
    """A config or checkout source as CircleCI answers it (``repo {external_id, full_name}``), in
    the options' spelling: ``provider``, ``repo_id``, ``repo_full_name`` and (config sources)
    ``file_path``."""
    if not isinstance(source, dict):
        return None
    repo = source.get('repo') or {}
    view = {'provider': source.get('provider'), 'repo_id': repo.get('external_id'), 'repo_full_name': repo.get('full_name')}
    if 'file_path' in source:
        view['file_path'] = source['file_path']
    return view


def source_body(source):
    """A source in the options' spelling (or the part of one that changes), as a body carries it."""
    body = {}
    if source.get('provider') is not None:
        body['provider'] = source['provider']
    if source.get('repo_id') is not None:
        body['repo'] = {'external_id': source['repo_id']}
    if source.get('file_path') is not None:
        body['file_path'] = source['file_path']
    return body


def event_source_view(source):
    """A trigger's event source in the options' spelling: ``provider`` with ``repo_id`` and
    ``repo_full_name`` (repository triggers) or ``webhook_sender`` and ``webhook_url``."""
    if not isinstance(source, dict):
        return None
    view = {'provider': source.get('provider')}
    if source.get('provider') == 'webhook':
        webhook = source.get('webhook') or {}
        view.update(webhook_sender=webhook.get('sender'), webhook_url=webhook.get('url'))
    else:
        repo = source.get('repo') or {}
        view.update(repo_id=repo.get('external_id'), repo_full_name=repo.get('full_name'))
    return view


def event_source_body(source):
    """An event source in the options' spelling (or the part of one that changes), as a body carries it."""
    body = source_body(source)
    if source.get('webhook_sender') is not None:
        body['webhook'] = {'sender': source['webhook_sender']}
    return body


def trigger_identity(event_source, event_name):
    """What tells one trigger of a definition from another: triggers have no name, so their
    provider, repository (or webhook sender) and event name. Shown as text in messages."""
    source = event_source or {}
    if source.get('provider') == 'webhook':
        origin = 'sender %s' % (source.get('webhook_sender') or '(none)')
    else:
        origin = 'repository %s' % source.get('repo_id')
    return '%s %s%s' % (source.get('provider'), origin, ', event %s' % event_name if event_name else '')


def mask_url(url):
    """A webhook trigger's URL with the value of its ``secret`` query parameter masked."""
    return _SECRET_RE.sub(lambda match: match.group(1) + MASK, url) if isinstance(url, str) else url


def masked_trigger(trigger):
    """A trigger as CircleCI answers it, with its webhook URL's secret masked (circleci_info)."""
    trigger = copy.deepcopy(trigger)
    webhook = (trigger.get('event_source') or {}).get('webhook')
    if isinstance(webhook, dict) and 'url' in webhook:
        webhook['url'] = mask_url(webhook['url'])
    return trigger
