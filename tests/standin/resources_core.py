# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Users, organizations, projects, contexts, context and project environment variables."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import collections
import re

from server import ApiError, fixed_id, mask, new_id, now, require_uuid

SLUG = r'(?P<slug>[^/]+/[^/]+/[^/]+)'
ENVVAR_NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')

# Seed: the token's user is a member of every organization but gh/forbidden.
SEED_ORGS = [
    ('gh', 'acme', 'GitHub'),
    ('gh', 'other', 'GitHub'),
    ('bb', 'acme', 'Bitbucket'),
    ('gh', 'forbidden', 'GitHub'),
    ('circleci', fixed_id('org:circleci-native'), 'CircleCI'),
]
SEED_PROJECTS = [
    ('gh/acme', 'api'), ('gh/acme', 'web'), ('gh/acme', 'infra'),
    ('gh/other', 'api'), ('bb/acme', 'api'), ('gh/forbidden', 'secret'),
    ('circleci/' + fixed_id('org:circleci-native'), fixed_id('project:circleci-native')),
]


def add_org(app, vcs, name, provider, member=True):
    if vcs == 'circleci':
        # A standalone org has an opaque slug (circleci/<short id>): resources_projects.py makes it.
        from resources_projects import add_standalone_org
        return add_standalone_org(app, name, provider=provider, member=member)
    slug = '%s/%s' % (vcs, name)
    org = {'id': fixed_id('org:' + slug), 'slug': slug, 'name': name, 'vcs_type': provider}
    app.state.orgs[org['id']] = org
    if member:
        for user in app.state.users.values():
            user['orgs'].add(org['id'])
    return org


def add_project(app, org_slug, name):
    org = app.state.org_by_slug(org_slug)
    if org is None:
        raise ApiError(400, 'unknown organization %s' % org_slug)
    if org['slug'].startswith('circleci/'):
        # Its projects' slugs are opaque too (circleci/<org short id>/<project short id>).
        from resources_projects import add_standalone_project
        return add_standalone_project(app, org, name)
    slug = '%s/%s' % (org_slug, name)
    vcs = org_slug.split('/')[0]
    provider = {'gh': 'GitHub', 'github': 'GitHub', 'bb': 'Bitbucket', 'bitbucket': 'Bitbucket'}.get(vcs, 'CircleCI')
    project = {
        'id': fixed_id('project:' + slug), 'slug': slug, 'name': name, 'org_id': org['id'],
        'organization_name': org['name'], 'organization_slug': org_slug, 'organization_id': org['id'],
        'vcs_info': {
            'vcs_url': 'https://%s/%s/%s' % ('github.com' if provider == 'GitHub' else 'bitbucket.org', org['name'], name),
            'provider': provider, 'default_branch': 'main',
        },
        'envvars': collections.OrderedDict(),
    }
    app.state.projects[project['id']] = project
    return project


def reset(app):
    user = {'id': fixed_id('user:standin'), 'login': 'standin-user', 'name': 'Stand-in User', 'orgs': set()}
    app.state.users[user['id']] = user
    app.state.tokens[app.token] = user
    app.state.contexts = collections.OrderedDict()
    for vcs, name, provider in SEED_ORGS:
        add_org(app, vcs, name, provider, member=(name != 'forbidden'))
    for org_slug, name in SEED_PROJECTS:
        add_project(app, org_slug, name)


def project_for(app, req, slug=None):
    """The project of the path's slug, or 404; 403 when the user is no member of its org."""
    project = app.state.project_by_slug(slug or req.params['slug'])
    if project is None:
        raise ApiError(404, 'Project not found')
    app.member_org(req, app.state.orgs.get(project['org_id']))
    return project


def project_view(project):
    return dict((k, project[k]) for k in ('slug', 'name', 'id', 'organization_name', 'organization_slug',
                                          'organization_id', 'vcs_info'))


def context_view(context):
    return {'id': context['id'], 'name': context['name'], 'created_at': context['created_at']}


def context_for(app, req):
    """The context of the path, or 403: CircleCI answers 403, not 404, for an unknown context."""
    context_id = require_uuid(req.params['context_id'], 'context-id')
    context = app.state.contexts.get(context_id)
    if context is None:
        raise ApiError(403, 'Permission denied')
    if context['owner_type'] == 'organization':
        app.member_org(req, app.state.orgs.get(context['owner_id']))
    return context


def resolve_owner(app, req, owner_id=None, owner_slug=None, owner_type=None):
    owner_type = owner_type or 'organization'
    if owner_type not in ('organization', 'account'):
        raise ApiError(400, 'owner type must be organization or account')
    if owner_type == 'account':
        if not app.config['accounts']:
            raise ApiError(400, 'only organization is supported at present')
        if owner_slug:
            raise ApiError(400, 'owner slug cannot be used for accounts')
        return require_uuid(owner_id, 'owner id'), 'account'
    if owner_id and owner_slug:
        raise ApiError(400, 'Specify either owner-id or owner-slug, not both')
    if owner_slug:
        org = app.state.org_by_slug(owner_slug)
        if org is None:
            raise ApiError(404, 'Organization not found')
    elif owner_id:
        org = app.state.orgs.get(require_uuid(owner_id, 'owner id'))
        if org is None:
            raise ApiError(404, 'Organization not found')
    else:
        raise ApiError(400, 'owner-id or owner-slug is required')
    app.member_org(req, org)
    return org['id'], 'organization'


def register(app):
    app.on_reset(reset)

    @app.route('GET', r'/me')
    def me(app, req):
        user = req.user
        return 200, {'id': user['id'], 'login': user['login'], 'name': user['name']}

    @app.route('GET', r'/me/collaborations')
    def collaborations(app, req):
        items = []
        for org_id in sorted(req.user['orgs']):
            org = app.state.orgs[org_id]
            items.append({'id': org['id'], 'vcs-type': org['vcs_type'].lower() if org['vcs_type'] != 'GitHub' else 'github',
                          'name': org['name'], 'avatar_url': 'https://avatars.example/%s' % org['name'],
                          'slug': org['slug']})
        return 200, items

    @app.route('GET', r'/user/(?P<user_id>[^/]+)')
    def user(app, req):
        user = app.state.users.get(require_uuid(req.params['user_id'], 'id'))
        if user is None:
            raise ApiError(404, 'User not found')
        return 200, {'id': user['id'], 'login': user['login'], 'name': user['name']}

    @app.route('GET', r'/project/' + SLUG)
    def get_project(app, req):
        return 200, project_view(project_for(app, req))

    # -- contexts ---------------------------------------------------------------------------

    @app.route('GET', r'/context')
    def list_contexts(app, req):
        owner_id, owner_type = resolve_owner(app, req, req.arg('owner-id'), req.arg('owner-slug'), req.arg('owner-type'))
        items = [context_view(c) for c in app.state.contexts.values()
                 if c['owner_id'] == owner_id and c['owner_type'] == owner_type]
        return app.paginate(req, items)

    @app.route('POST', r'/context')
    def create_context(app, req):
        body = req.json()
        name = body.get('name')
        owner = body.get('owner')
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, 'name is required')
        if not isinstance(owner, dict):
            raise ApiError(400, 'owner is required')
        owner_id, owner_type = resolve_owner(app, req, owner.get('id'), owner.get('slug'), owner.get('type'))
        for context in app.state.contexts.values():
            if context['owner_id'] == owner_id and context['name'] == name:
                raise ApiError(400, 'A context named %s already exists for this owner' % name)
        context = {'id': new_id(), 'name': name, 'created_at': now(), 'owner_id': owner_id,
                   'owner_type': owner_type, 'variables': collections.OrderedDict()}
        app.state.contexts[context['id']] = context
        return 200, context_view(context)

    @app.route('GET', r'/context/(?P<context_id>[^/]+)')
    def get_context(app, req):
        return 200, context_view(context_for(app, req))

    @app.route('DELETE', r'/context/(?P<context_id>[^/]+)')
    def delete_context(app, req):
        context = context_for(app, req)
        del app.state.contexts[context['id']]
        return 200, {'message': 'Context deleted.'}

    @app.route('GET', r'/context/(?P<context_id>[^/]+)/environment-variable')
    def list_context_variables(app, req):
        context = context_for(app, req)
        items = []
        for name, var in context['variables'].items():
            item = {'variable': name, 'created_at': var['created_at'], 'updated_at': var['updated_at'],
                    'context_id': context['id']}
            if app.config['truncated_value']:
                item['truncated_value'] = mask(var['value'])
            items.append(item)
        return app.paginate(req, items)

    @app.route('PUT', r'/context/(?P<context_id>[^/]+)/environment-variable/(?P<name>[^/]+)')
    def put_context_variable(app, req):
        context = context_for(app, req)
        name = req.params['name']
        if not ENVVAR_NAME.match(name):
            raise ApiError(400, 'Invalid environment variable name')
        value = req.json().get('value')
        if not isinstance(value, str):
            raise ApiError(400, 'value is required and must be a string')
        var = context['variables'].get(name)
        stamp = now()
        if var is None:
            var = context['variables'][name] = {'created_at': stamp}
        var.update(value=value, updated_at=stamp)
        return 200, {'variable': name, 'created_at': var['created_at'], 'updated_at': var['updated_at'],
                     'context_id': context['id']}

    @app.route('DELETE', r'/context/(?P<context_id>[^/]+)/environment-variable/(?P<name>[^/]+)')
    def delete_context_variable(app, req):
        context = context_for(app, req)
        if req.params['name'] not in context['variables']:
            raise ApiError(404, 'Environment variable not found')
        del context['variables'][req.params['name']]
        return 200, {'message': 'Environment variable deleted.'}

    # -- project environment variables ---------------------------------------------------

    @app.route('GET', r'/project/' + SLUG + r'/envvar')
    def list_project_variables(app, req):
        project = project_for(app, req)
        items = [{'name': name, 'value': mask(var['value']), 'created-at': var['created_at']}
                 for name, var in project['envvars'].items()]
        return app.paginate(req, items)

    @app.route('POST', r'/project/' + SLUG + r'/envvar')
    def create_project_variable(app, req):
        project = project_for(app, req)
        body = req.json()
        name, value = body.get('name'), body.get('value')
        if not isinstance(name, str) or not ENVVAR_NAME.match(name):
            raise ApiError(400, 'Invalid environment variable name')
        if not isinstance(value, str):
            raise ApiError(400, 'value is required and must be a string')
        var = project['envvars'].get(name)
        if var is None:
            var = project['envvars'][name] = {'created_at': now()}
        var['value'] = value
        return 201, {'name': name, 'value': mask(value)}

    @app.route('GET', r'/project/' + SLUG + r'/envvar/(?P<name>[^/]+)')
    def get_project_variable(app, req):
        project = project_for(app, req)
        var = project['envvars'].get(req.params['name'])
        if var is None:
            raise ApiError(404, 'Environment variable not found')
        return 200, {'name': req.params['name'], 'value': mask(var['value'])}

    @app.route('DELETE', r'/project/' + SLUG + r'/envvar/(?P<name>[^/]+)')
    def delete_project_variable(app, req):
        project = project_for(app, req)
        if req.params['name'] not in project['envvars']:
            raise ApiError(404, 'Environment variable not found')
        del project['envvars'][req.params['name']]
        return 200, {'message': 'Environment variable deleted.'}

    # -- control: seed and state -------------------------------------------------------------

    def seed_context(app, obj):
        owner_id = obj.get('owner_id') or app.state.org_by_slug(obj.get('owner_slug', 'gh/acme'))['id']
        context = {'id': obj.get('id') or new_id(), 'name': obj['name'], 'created_at': now(), 'owner_id': owner_id,
                   'owner_type': obj.get('owner_type', 'organization'), 'variables': collections.OrderedDict()}
        for name, value in (obj.get('variables') or {}).items():
            stamp = now()
            context['variables'][name] = {'value': value, 'created_at': stamp, 'updated_at': stamp}
        app.state.contexts[context['id']] = context
        return context_view(context)

    def seed_project_variables(app, obj):
        project = app.state.project_by_slug(obj['project_slug'])
        for name, value in obj['variables'].items():
            project['envvars'][name] = {'value': value, 'created_at': now()}
        return {'project_slug': project['slug'], 'names': sorted(obj['variables'])}

    def seed_org(app, obj):
        vcs, name = obj['slug'].split('/', 1)
        return add_org(app, vcs, name, obj.get('provider', 'GitHub'), member=obj.get('member', True))

    def seed_project(app, obj):
        return project_view(add_project(app, obj['org_slug'], obj['name']))

    app.seeders.update(contexts=seed_context, project_variables=seed_project_variables,
                       orgs=lambda app, obj: dict(seed_org(app, obj), orgs=None), projects=seed_project)

    def dump(app, secrets):
        def variables(source, key):
            return dict((name, var['value'] if secrets else mask(var['value'])) for name, var in source.items())
        return {
            'user': {'id': fixed_id('user:standin'), 'login': 'standin-user'},
            'orgs': [dict((k, org[k]) for k in ('id', 'slug', 'name')) for org in app.state.orgs.values()],
            'projects': [dict(project_view(p), envvars=variables(p['envvars'], 'value')) for p in app.state.projects.values()],
            'contexts': [dict(context_view(c), owner_id=c['owner_id'], owner_type=c['owner_type'],
                              variables=variables(c['variables'], 'value')) for c in app.state.contexts.values()],
        }
    app.state_dumpers.append(dump)
