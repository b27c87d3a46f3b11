# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Outbound webhooks (``/webhook``), with the live service's field-spelling quirk.

The OpenAPI description spells four fields in kebab-case (``verify-tls``, ``signing-secret``,
``created-at``, ``updated-at``); CircleCI's own Terraform provider says the live service reads
and writes snake_case and silently ignores keys it does not know. Config:

- ``webhook_spelling``: ``kebab`` (the reference) or ``snake`` (the live service as reported):
  the one spelling this server reads in bodies and writes in answers. A key in the other
  spelling is ignored, as the live service does, so a client that sends one spelling only loses
  its secret (and its TLS setting) on a server of the other.
- ``webhook_drop_secret``: accept a signing secret but never store it, so that it reads back as
  not set (``""``): how a client's read-back check is tested.

A stored secret reads back as exactly ``****``; no secret reads back as ``""``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import collections

from server import CONFIG, ApiError, new_id, now, require_uuid

EVENTS = ('workflow-completed', 'job-completed')
SPELLINGS = {
    'kebab': {'verify_tls': 'verify-tls', 'signing_secret': 'signing-secret',
              'created_at': 'created-at', 'updated_at': 'updated-at'},
    'snake': {'verify_tls': 'verify_tls', 'signing_secret': 'signing_secret',
              'created_at': 'created_at', 'updated_at': 'updated_at'},
}

CONFIG.setdefault('webhook_spelling', 'kebab')
CONFIG.setdefault('webhook_drop_secret', False)


def spelling(app):
    name = app.config.get('webhook_spelling', 'kebab')
    if name not in SPELLINGS:
        raise ApiError(500, 'stand-in config webhook_spelling must be kebab or snake, not %r' % (name,))
    return SPELLINGS[name]


def webhook_view(app, hook):
    keys = spelling(app)
    return {
        'url': hook['url'],
        keys['verify_tls']: hook['verify_tls'],
        'id': hook['id'],
        keys['signing_secret']: '****' if hook['secret'] else '',
        keys['updated_at']: hook['updated_at'],
        'name': hook['name'],
        keys['created_at']: hook['created_at'],
        'scope': {'id': hook['scope_id'], 'type': 'project'},
        'events': list(hook['events']),
    }


def project_by_id(app, req, project_id):
    project = app.state.projects.get(require_uuid(project_id, 'scope-id'))
    if project is None:
        raise ApiError(404, 'Project not found')
    app.member_org(req, app.state.orgs.get(project['org_id']))
    return project


def webhook_for(app, req):
    hook = app.state.webhooks.get(require_uuid(req.params['webhook_id'], 'webhook-id'))
    if hook is None:
        raise ApiError(404, 'Webhook not found')
    project_by_id(app, req, hook['scope_id'])
    return hook


def read_fields(app, body, creating):
    """The fields this server understands, checked; keys in another spelling are ignored."""
    keys = spelling(app)
    fields = {}
    if 'name' in body or creating:
        name = body.get('name')
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, 'name is required and must be a non-empty string')
        fields['name'] = name
    if 'events' in body or creating:
        events = body.get('events')
        if not isinstance(events, list) or not events:
            raise ApiError(400, 'events is required and must be a non-empty list')
        for event in events:
            if event not in EVENTS:
                raise ApiError(400, 'invalid event %r: must be one of %s' % (event, ', '.join(EVENTS)))
        fields['events'] = list(events)
    if 'url' in body or creating:
        url = body.get('url')
        if not isinstance(url, str) or not url.lower().startswith('https://') or len(url) <= len('https://'):
            raise ApiError(400, 'url must be an https URL (only https is supported)')
        fields['url'] = url
    if keys['verify_tls'] in body:
        if not isinstance(body[keys['verify_tls']], bool):
            raise ApiError(400, '%s must be a boolean' % keys['verify_tls'])
        fields['verify_tls'] = body[keys['verify_tls']]
    elif creating:
        # The live service does not refuse a body without it: the setting silently defaults.
        fields['verify_tls'] = False
    if keys['signing_secret'] in body:
        secret = body[keys['signing_secret']]
        if not isinstance(secret, str):
            raise ApiError(400, '%s must be a string' % keys['signing_secret'])
        fields['secret'] = '' if app.config.get('webhook_drop_secret') else secret
    elif creating:
        fields['secret'] = ''
    return fields


def reset(app):
    app.state.webhooks = collections.OrderedDict()


def register(app):
    app.on_reset(reset)

    @app.route('GET', r'/webhook')
    def list_webhooks(app, req):
        scope_id, scope_type = req.arg('scope-id'), req.arg('scope-type')
        if not scope_id or not scope_type:
            raise ApiError(400, 'scope-id and scope-type are required')
        if scope_type != 'project':
            raise ApiError(400, 'scope-type must be project')
        project = project_by_id(app, req, scope_id)
        items = [webhook_view(app, h) for h in app.state.webhooks.values() if h['scope_id'] == project['id']]
        return app.paginate(req, items)

    @app.route('POST', r'/webhook')
    def create_webhook(app, req):
        body = req.json()
        scope = body.get('scope')
        if not isinstance(scope, dict) or scope.get('type') != 'project' or not scope.get('id'):
            raise ApiError(400, 'scope is required: {"id": <project id>, "type": "project"}')
        fields = read_fields(app, body, creating=True)
        project = project_by_id(app, req, scope['id'])
        stamp = now()
        hook = dict(fields, id=new_id(), scope_id=project['id'], created_at=stamp, updated_at=stamp)
        app.state.webhooks[hook['id']] = hook
        return 201, webhook_view(app, hook)

    @app.route('GET', r'/webhook/(?P<webhook_id>[^/]+)')
    def get_webhook(app, req):
        return 200, webhook_view(app, webhook_for(app, req))

    @app.route('PUT', r'/webhook/(?P<webhook_id>[^/]+)')
    def update_webhook(app, req):
        hook = webhook_for(app, req)
        fields = read_fields(app, req.json(), creating=False)
        hook.update(fields)
        hook['updated_at'] = now()
        return 200, webhook_view(app, hook)

    @app.route('DELETE', r'/webhook/(?P<webhook_id>[^/]+)')
    def delete_webhook(app, req):
        hook = webhook_for(app, req)
        del app.state.webhooks[hook['id']]
        return 200, {'message': 'ok'}

    def seed_webhook(app, obj):
        if obj.get('scope_id'):
            project = app.state.projects[obj['scope_id']]
        else:
            project = app.state.project_by_slug(obj.get('project_slug', 'gh/acme/api'))
        stamp = now()
        hook = {
            'id': obj.get('id') or new_id(), 'name': obj['name'], 'url': obj.get('url', 'https://hooks.example.com/circleci'),
            'events': list(obj.get('events', ['workflow-completed'])), 'verify_tls': obj.get('verify_tls', True),
            'secret': obj.get('signing_secret', ''), 'scope_id': project['id'], 'created_at': stamp, 'updated_at': stamp,
        }
        app.state.webhooks[hook['id']] = hook
        return webhook_view(app, hook)

    app.seeders['webhooks'] = seed_webhook

    def dump(app, secrets):
        return {'webhooks': [
            {'id': h['id'], 'name': h['name'], 'url': h['url'], 'events': list(h['events']),
             'verify_tls': h['verify_tls'], 'scope_id': h['scope_id'],
             'signing_secret': h['secret'] if secrets else ('****' if h['secret'] else ''),
             'created_at': h['created_at'], 'updated_at': h['updated_at']}
            for h in app.state.webhooks.values()]}

    app.state_dumpers.append(dump)
