# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Projects (part 2): standalone orgs and their projects, create/follow/delete, settings, the v3
look-up by name, pipeline definitions, triggers, ``pipeline/run`` and pipeline values.

Organisations and slugs
-----------------------
Classic orgs (``gh/acme``, ``bb/acme``) and their projects (``gh/acme/api``) are named by
names. Standalone / GitHub App orgs (``vcs_type`` ``CircleCI``) have the slug
``circleci/<org short id>`` and their projects ``circleci/<org short id>/<project short id>``:
opaque 22-character base62 ids (``server.short_id``; made from the UUIDs here, but opaque to
clients). Every route that takes a slug also takes the UUID forms (``circleci/<org-uuid>``,
``circleci/<org-uuid>/<project-uuid>``, and each segment in either form) and answers with the
canonical slug; a ``circleci/`` slug made of names (``circleci/acme/app``) answers 400 (see
``State.project_by_slug`` in server.py). ``GET /project/<project-uuid>`` finds any project.

Seed (on every reset):

- The standalone org of resources_core's SEED_ORGS: its id is ``fixed_id('org:circleci-native')``
  (so the old seed slug ``circleci/<that uuid>`` is now its UUID form) and its project's id is
  ``fixed_id('project:circleci-native')``; their names are those UUIDs (a legacy of that seed).
- ``acme-standalone`` (``fixed_id('org:circleci/acme-standalone')``), the user a member, with
  projects ``app`` and ``lib`` (ids ``fixed_id('project:circleci/acme-standalone/app')``, ...).
  ``app`` has the definition ``build`` (id ``fixed_id('definition:acme-standalone/app/build')``,
  description "Build and test", config and checkout from the GitHub App repository
  ``acme/app``, external id ``520000001``, ``.circleci/config.yml``) with one github_app
  trigger (id ``fixed_id('trigger:acme-standalone/app/build')``, ``all-pushes``).
- VCS repositories (SEED_REPOSITORIES): on GitHub ``acme/api`` ``510000001``, ``acme/web``
  ``510000002``, ``acme/infra`` ``510000003``, ``other/api`` ``510000004``,
  ``forbidden/secret`` ``510000005``, ``acme/new-service`` ``510000010`` (a repository that
  is no project yet), ``acme/no-config`` ``510000011`` (no config on its default branch),
  ``acme/app`` ``520000001``, ``acme/shared-config`` ``520000002``, ``acme/deploy-tools``
  ``520000003``; on Bitbucket ``acme/api`` and ``acme/new-bb-service`` (no project yet).
- ``[ci skip]`` refs: the branch ``ci-skip`` of every project.

Config knob: ``server_edition`` (false): play CircleCI Server, where every pipeline-definition
and trigger route and the v3 look-up answer 404 ``{"message": "Not found"}`` (``pipeline/run``
then knows no definition: a ``definition_id`` answers 400).

Routes and behaviour
--------------------
- ``POST /organization/{org-slug-or-id}/project {name}`` (the body takes only ``name``, a
  non-empty string: 400 otherwise; unknown org 404, not a member 403). Standalone org: creates
  the project (new random id, so a re-created project has a new slug) and answers 200 with it;
  a name the org already has answers 409. Classic org: adopts the VCS repository
  ``<org name>/<name>`` (404 ``Repository not found`` when the VCS has none; 409 when it is a
  project already) and answers 200 with the new project.
- ``POST /project/{vcs}/{org}/{repo}`` (follow; deprecated; ``vcs`` ``gh``, ``github``, ``bb``
  or ``bitbucket``, anything else 404): ``circleci`` answers 405; a body
  answers 400; no such repository 404 ``Project not found.``; a repository without a config
  404 ``Branch not found.``; otherwise it follows (a project already followed stays as it
  is) and answers 201 ``{"advanced": settings}``.
- ``DELETE /project/{slug}``: 200 ``{"message": "Project deleted"}``, 404 ``Project not found``
  once gone. Deletes its settings, definitions, triggers, ci-skip refs, pipelines (workflows,
  jobs), checkout keys, schedules, webhooks and insights runs.
- ``GET /project/{project-uuid}``: the project.
- ``GET``/``PATCH /project/{slug}/settings``: ``{"advanced": {autocancel_builds, build_fork_prs,
  build_prs_only, disable_ssh, forks_receive_secret_env_vars, oss, set_github_status,
  setup_workflows, write_settings_requires_admin, pr_only_branch_overrides}}``, every key in
  every answer. PATCH is partial and all-or-nothing: no body, or an empty ``advanced``, 400
  ``No JSON fields found.``; a key but ``advanced`` 400 ``Unexpected field 'KEY'.``; ``oss``
  (read-only) 400 ``Unexpected field 'advanced.oss'.``; an unknown setting 400 ``Unexpected
  field 'advanced.KEY'.``; a non-boolean 400 ``Setting 'KEY' must be boolean.``; overrides not
  a list of strings 400, more than 100 400 ``Field 'pr_only_branch_overrides' only supports up
  to 100 branches.``. The overrides list is replaced whole, deduplicated, and kept in the
  REVERSE of the order sent (so any two distinct branches come back in another order than
  sent: a client must compare it as a set). Defaults: every flag false but
  ``set_github_status``; no overrides.
- ``GET /api/v3/projects?filter[org_id]=<uuid>&filter[name]=<name>``: ``{"items": [project]}``
  (exact name; every project of the org without ``filter[name]``; ``[]`` when none). A missing
  or non-UUID ``filter[org_id]`` 400; an org that is unknown or not the user's 403.
- ``/projects/{project_id}/pipeline-definitions``: ``GET`` (``{"items": [...]}``, one body,
  oldest first), ``POST`` (200), and ``GET``/``PATCH``/``DELETE`` ``.../{id}`` (delete
  answers ``{"message": "Pipeline definition deleted."}`` and deletes its triggers). Unknown
  project 404 ``Project not found``; unknown definition (or another project's) 404
  ``Pipeline definition not found``. A definition: ``{id, name, description, config_source
  {provider, repo {external_id, full_name}, file_path}, checkout_source {provider, repo
  {external_id, full_name}}, created_at}``; ``description`` only once one was given,
  ``created_at`` absent on seeded "old" ones, ``config_source.repo`` absent for provider
  ``circleci``. Create: ``name`` (non-empty), ``config_source`` and ``checkout_source``
  required, ``description`` optional; ``config_source.provider`` ``github_app`` (with
  ``repo.external_id`` and ``file_path``) or ``circleci`` (``file_path`` only);
  ``checkout_source.provider`` ``github_app`` with ``repo.external_id``. Every object takes only
  its documented keys (400 ``Unexpected field 'PATH'.``); a missing one 400 ``Missing field
  'PATH'.``; an external id the VCS has no repository for 400. ``full_name`` comes from the
  repository. Names need not be unique. PATCH takes ``name``, ``description``,
  ``config_source.file_path`` and ``checkout_source`` (``provider``, ``repo.external_id``);
  ``config_source.provider`` or ``config_source.repo`` answers 400 (fixed after creation).
- Triggers: ``GET``/``POST /projects/{p}/pipeline-definitions/{d}/triggers`` (list ``{items}``;
  create 200), ``GET``/``PATCH``/``DELETE /projects/{p}/triggers/{t}`` (404 ``Trigger not
  found`` for another project's; delete ``{"message": "Trigger deleted."}``). A trigger:
  ``{id, created_at, event_source {provider, repo {external_id, full_name}} or {provider,
  webhook {url, sender}}, event_preset, event_name, checkout_ref, config_ref, disabled}``:
  ``event_name``, ``checkout_ref`` and ``config_ref`` are always there (``""`` when unset, as
  CircleCI's own Terraform provider reports the live service), ``event_preset`` only when
  set, ``disabled`` only when true; no field names the definition. Create: ``event_source``
  required with ``provider`` ``github_app``, ``github_oauth`` or ``webhook``. github_app /
  github_oauth need ``repo.external_id`` (a known repository) and take no ``webhook`` and no
  ``event_name``; ``event_preset`` (the description's enum) is github_app only.
  ``checkout_ref`` must be omitted when the event repository is the definition's checkout
  repository (400 ``Checkout_ref cannot be provided.``), ``config_ref`` when it is its config
  repository (400 ``Config_ref cannot be provided.``). webhook triggers need ``event_name``,
  ``checkout_ref`` and ``config_ref`` (non-empty) and take an optional ``webhook.sender``; their
  ``webhook.url`` is ``https://internal.circleci.com/private/soc/e/<id>?secret=<random>``.
  Identical triggers may coexist. PATCH takes ``event_preset``, ``checkout_ref``,
  ``config_ref``, ``event_name`` (webhook), ``disabled`` (any provider) and
  ``event_source.webhook.sender`` (webhook), with the same rules; anything else (``provider``,
  ``repo``, a definition id) answers 400 ``Unexpected field 'PATH'.``.
- ``POST /project/{vcs}/{org}/{project}/pipeline/run`` ``{definition_id?, config {branch|tag}?,
  checkout {branch|tag}?, parameters?}``: the slug as three literal segments (``%2F`` inside
  one: 404). Unknown keys 400; branch and tag together 400; a ``definition_id`` that is not
  one of the project's definitions 400. Without ``definition_id`` the project's first
  definition is used; a standalone project without any answers 400 (a classic project runs
  without one). ``config`` defaults to the default branch, ``checkout`` to ``config``. The
  pipeline is created by resources_pipelines.create_pipeline with the plan of the checkout ref
  (so plans, parameters, workflows, jobs and waiting behave as for ``POST .../pipeline``); its
  vcs branch/tag is the checkout ref, its repository URL the definition's checkout repository.
  Answers 201 ``{id, state, number, created_at}``, or 200 ``{"message": "Ignoring pipeline due
  to CI skip in the commit"}`` (nothing created) when the checkout ref is a ci-skip ref.
- ``GET /pipeline/{id}/values``: ``{"pipeline.id", "pipeline.number" (int),
  "pipeline.project.git_url", "pipeline.project.type" (github|bitbucket|circleci),
  "pipeline.git.branch" or "pipeline.git.tag", "pipeline.git.revision",
  "pipeline.git.base_revision", "pipeline.git.branch.is_default" (bool, branches only),
  "pipeline.in_setup" (bool), "pipeline.trigger_source", "pipeline.trigger_parameters.circleci.*",
  and for a ``pipeline/run`` pipeline "pipeline.config.ref" (its config branch or tag)}``.

Seed kinds (``POST /_standin/seed``)
------------------------------------
- ``standalone_orgs``: ``{name, id?, member? (true)}`` -> ``{id, slug, name, vcs_type}``.
- ``standalone_projects``: ``{name, org? (slug or id; default acme-standalone), id?}`` -> project.
- ``vcs_repositories``: ``{full_name, provider? (github|bitbucket), external_id? (default:
  600000001, 600000002, ... counted from each reset), default_branch? (main), has_config?
  (true)}``: a repository on the VCS (github ones can be named by external id in definitions
  and triggers).
- ``pipeline_definitions``: ``{project_slug | project_id, name, description?, config_source,
  checkout_source? (default: the config source's repository), id?, old? (true: no
  created_at)}``, checked as the API checks a create -> the definition.
- ``triggers``: ``{project_slug | project_id, definition_id, event_source, ..., id?}``, checked
  as the API checks a create -> the trigger (with its webhook URL).
- ``ci_skip_refs``: ``{project_slug?, branch | tag}``: a ref whose head commit says
  ``[ci skip]`` (of every project without ``project_slug``).
- ``project_settings``: ``{project_slug, advanced: {...}}``: set settings as stored, ``oss``
  included.

``GET /_standin/state`` adds ``vcs_repositories``, ``project_settings`` (by project slug),
``pipeline_definitions`` (each with ``project_id``), ``triggers`` (each with ``project_id``
and ``definition_id``; the webhook secret masked unless ``?secrets=1``) and ``ci_skip_refs``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import collections
import copy
import secrets

from server import CONFIG, UUID_RE, ApiError, fixed_id, mask, new_id, now, require_uuid, short_id
from resources_core import add_project, project_for, project_view  # pylint: disable=import-error
from resources_pipelines import (  # pylint: disable=import-error
    check_parameters, create_pipeline, declared_parameters, find_plan, stamp, tick,
)

CONFIG.setdefault('server_edition', False)

SLUG = r'(?P<slug>[^/]+/[^/]+/[^/]+)'
BOOL_SETTINGS = ('autocancel_builds', 'build_fork_prs', 'build_prs_only', 'disable_ssh', 'forks_receive_secret_env_vars',
                 'oss', 'set_github_status', 'setup_workflows', 'write_settings_requires_admin')
DEFAULT_SETTINGS = dict((key, key == 'set_github_status') for key in BOOL_SETTINGS)
DEFAULT_SETTINGS['pr_only_branch_overrides'] = []
MAX_OVERRIDES = 100
EVENT_PRESETS = ('all-pushes', 'only-tags', 'default-branch-pushes', 'only-build-prs', 'only-open-prs', 'only-labeled-prs',
                 'only-merged-prs', 'only-ready-for-review-prs', 'only-branch-delete', 'only-build-pushes-to-non-draft-prs',
                 'only-merged-or-closed-prs')
CONFIG_PROVIDERS = ('circleci', 'github_app')
CHECKOUT_PROVIDERS = ('github_app',)
TRIGGER_PROVIDERS = ('github_app', 'github_oauth', 'webhook')
CI_SKIP_MESSAGE = 'Ignoring pipeline due to CI skip in the commit'
FOLLOW_ONLY_CLASSIC = 'Create projects using the API is currently supported for classic Github OAuth and Bitbucket projects only.'
VCS_PROVIDERS = {'gh': 'github', 'github': 'github', 'bb': 'bitbucket', 'bitbucket': 'bitbucket'}
PROJECT_TYPES = {'gh': 'github', 'bb': 'bitbucket', 'circleci': 'circleci'}

# (provider, full name, external id, has a config on its default branch)
SEED_REPOSITORIES = [
    ('github', 'acme/api', '510000001', True),
    ('github', 'acme/web', '510000002', True),
    ('github', 'acme/infra', '510000003', True),
    ('github', 'other/api', '510000004', True),
    ('github', 'forbidden/secret', '510000005', True),
    ('github', 'acme/new-service', '510000010', True),
    ('github', 'acme/no-config', '510000011', False),
    ('github', 'acme/app', '520000001', True),
    ('github', 'acme/shared-config', '520000002', True),
    ('github', 'acme/deploy-tools', '520000003', True),
    ('bitbucket', 'acme/api', '530000001', True),
    ('bitbucket', 'acme/new-bb-service', '530000010', True),
]
SEED_ORG = 'acme-standalone'
SEED_ORG_PROJECTS = ('app', 'lib')


# -- orgs, projects, repositories ----------------------------------------------------------------

def add_standalone_org(app, name, provider='CircleCI', member=True, org_id=None):
    """A standalone org: ``circleci/<short id>``. Its id is ``org_id``, else ``name`` when that
    is a UUID (resources_core's seed), else ``fixed_id('org:circleci/<name>')``."""
    if org_id is None:
        org_id = name.lower() if UUID_RE.match(name) else fixed_id('org:circleci/' + name)
    org = {'id': org_id, 'slug': 'circleci/' + short_id(org_id), 'name': name, 'vcs_type': provider}
    app.state.orgs[org['id']] = org
    if member:
        for user in app.state.users.values():
            user['orgs'].add(org['id'])
    return org


def add_standalone_project(app, org, name, project_id=None):
    """A project of a standalone org (same fields as resources_core.add_project makes)."""
    if project_id is None:
        project_id = name.lower() if UUID_RE.match(name) else fixed_id('project:circleci/%s/%s' % (org['name'], name))
    slug = '%s/%s' % (org['slug'], short_id(project_id))
    project = {
        'id': project_id, 'slug': slug, 'name': name, 'org_id': org['id'],
        'organization_name': org['name'], 'organization_slug': org['slug'], 'organization_id': org['id'],
        'vcs_info': {'vcs_url': '', 'provider': 'CircleCI', 'default_branch': 'main'},
        'envvars': collections.OrderedDict(),
    }
    app.state.projects[project['id']] = project
    return project


def add_repository(app, provider, full_name, external_id=None, default_branch='main', has_config=True):
    if provider not in ('github', 'bitbucket'):
        raise ApiError(400, 'vcs_repositories: provider must be github or bitbucket')
    if not isinstance(full_name, str) or full_name.count('/') != 1:
        raise ApiError(400, 'vcs_repositories: full_name must be owner/name')
    if external_id is None:
        # Numeric, as GitHub's repository ids are; counted from 600000001 after every reset.
        app.state.next_external_id += 1
        external_id = app.state.next_external_id
    repo = {'provider': provider, 'full_name': full_name, 'external_id': str(external_id),
            'default_branch': default_branch, 'has_config': bool(has_config)}
    app.state.vcs_repositories.append(repo)
    return repo


def repository_by_name(app, provider, full_name):
    for repo in app.state.vcs_repositories:
        if repo['provider'] == provider and repo['full_name'].lower() == full_name.lower():
            return repo
    return None


def repository_by_external_id(app, external_id, where):
    for repo in app.state.vcs_repositories:
        if repo['provider'] == 'github' and repo['external_id'] == external_id:
            return repo
    raise ApiError(400, "Field '%s': no repository with external ID '%s' is accessible" % (where, external_id))


def org_of(app, req, value):
    """An org by slug (any form) or UUID; 404 unknown, 403 not the user's."""
    org = app.state.orgs.get(value.lower()) if UUID_RE.match(value) else app.state.org_by_slug(value)
    if org is None:
        raise ApiError(404, 'Organization not found')
    return app.member_org(req, org)


def project_by_id(app, req, project_id):
    project = app.state.projects.get(project_id.lower()) if UUID_RE.match(project_id) else None
    if project is None:
        raise ApiError(404, 'Project not found')
    app.member_org(req, app.state.orgs.get(project['org_id']))
    return project


def is_standalone(project):
    return project['slug'].startswith('circleci/')


def purge_project(app, project):
    """Delete a project and everything that belongs to it, in every resource's state."""
    state, pid, slug = app.state, project['id'], project['slug'].lower()
    del state.projects[pid]
    state.project_settings.pop(pid, None)
    for collection in (state.pipeline_definitions, state.triggers):
        for key in [k for k, v in collection.items() if v['project_id'] == pid]:
            del collection[key]
    state.ci_skip_refs[:] = [r for r in state.ci_skip_refs if r['project_id'] != pid]
    getattr(state, 'checkout_keys', {}).pop(pid, None)
    for name, field in (('schedules', 'project_id'), ('webhooks', 'scope_id')):
        collection = getattr(state, name, {})
        for key in [k for k, v in collection.items() if v[field] == pid]:
            del collection[key]
    pipelines = getattr(state, 'pipelines', {})
    for pipeline_id in [k for k, v in pipelines.items() if v['project_id'] == pid]:
        for workflow_id in pipelines.pop(pipeline_id)['workflow_ids']:
            state.workflows.pop(workflow_id, None)
    for key in [k for k in getattr(state, 'jobs_by_number', {}) if k[0] == slug]:
        del state.jobs_by_number[key]
    for counters in (getattr(state, 'pipeline_numbers', {}), getattr(state, 'job_numbers', {})):
        counters.pop(slug, None)
    if hasattr(state, 'insights_runs'):
        state.insights_runs[:] = [r for r in state.insights_runs if r['project_id'] != pid]


# -- body checks: CircleCI's project services refuse what they do not know ------------------------

def field(where, key):
    return '%s.%s' % (where, key) if where else key


def check_object(value, allowed, where, required=()):
    if not isinstance(value, dict):
        raise ApiError(400, "Field '%s' must be an object." % (where or 'body'))
    for key in value:
        if key not in allowed:
            raise ApiError(400, "Unexpected field '%s'." % field(where, key))
    for key in required:
        if key not in value:
            raise ApiError(400, "Missing field '%s'." % field(where, key))
    return value


def check_string(obj, key, where, empty=False):
    """``obj[key]`` if given (None if absent): a string, non-empty unless ``empty``."""
    if key not in obj:
        return None
    value = obj[key]
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise ApiError(400, "Field '%s' must be a%s string." % (field(where, key), 'n' if empty else ' non-empty'))
    return value


def check_choice(obj, key, where, choices):
    value = obj.get(key)
    if key in obj and value not in choices:
        raise ApiError(400, "Field '%s' must be one of: %s." % (field(where, key), ', '.join(choices)))
    return value


def check_repo(app, source, where):
    """The repository of ``source['repo']`` ({external_id}), required."""
    if 'repo' not in source:
        raise ApiError(400, "Missing field '%s.repo'." % where)
    repo = check_object(source['repo'], ('external_id',), where + '.repo', required=('external_id',))
    return repository_by_external_id(app, check_string(repo, 'external_id', where + '.repo'), where + '.repo.external_id')


def server_edition_guard(app):
    if app.config.get('server_edition'):
        raise ApiError(404, 'Not found')


# -- settings ----------------------------------------------------------------------------------

def settings_of(app, project):
    return app.state.project_settings.setdefault(project['id'], copy.deepcopy(DEFAULT_SETTINGS))


def settings_view(app, project):
    settings = settings_of(app, project)
    view = dict((key, settings[key]) for key in BOOL_SETTINGS)
    view['pr_only_branch_overrides'] = list(settings['pr_only_branch_overrides'])
    return {'advanced': view}


def check_settings(body, allow_oss=False):
    """The ``advanced`` changes of a PATCH body, all checked before any is applied."""
    if body is None or body == {}:
        raise ApiError(400, 'No JSON fields found.')
    if not isinstance(body, dict):
        raise ApiError(400, 'Invalid JSON body.')
    for key in body:
        if key != 'advanced':
            raise ApiError(400, "Unexpected field '%s'." % key)
    advanced = body['advanced']
    if not isinstance(advanced, dict):
        raise ApiError(400, "Field 'advanced' must be an object.")
    if not advanced:
        raise ApiError(400, 'No JSON fields found.')
    for key, value in advanced.items():
        if (key == 'oss' and not allow_oss) or key not in DEFAULT_SETTINGS:
            raise ApiError(400, "Unexpected field 'advanced.%s'." % key)
        if key == 'pr_only_branch_overrides':
            if not isinstance(value, list) or not all(isinstance(b, str) and b for b in value):
                raise ApiError(400, "Setting 'pr_only_branch_overrides' must be an array of branch names.")
            if len(value) > MAX_OVERRIDES:
                raise ApiError(400, "Field 'pr_only_branch_overrides' only supports up to 100 branches.")
        elif not isinstance(value, bool):
            raise ApiError(400, "Setting '%s' must be boolean." % key)
    return advanced


def apply_settings(app, project, advanced):
    settings = settings_of(app, project)
    for key, value in advanced.items():
        if key == 'pr_only_branch_overrides':
            # Stored as a set would be: unique, and never in the order sent (the reverse here).
            unique = []
            for branch in value:
                if branch not in unique:
                    unique.append(branch)
            settings[key] = list(reversed(unique))
        else:
            settings[key] = value


# -- pipeline definitions ------------------------------------------------------------------------

def repo_view(source):
    return {'external_id': source['external_id'], 'full_name': source['full_name']}


def definition_view(definition):
    config = definition['config_source']
    view = {'id': definition['id'], 'name': definition['name']}
    if definition['description'] is not None:
        view['description'] = definition['description']
    config_view = {'provider': config['provider']}
    if config['external_id'] is not None:
        config_view['repo'] = repo_view(config)
    config_view['file_path'] = config['file_path']
    view['config_source'] = config_view
    checkout = definition['checkout_source']
    view['checkout_source'] = {'provider': checkout['provider'], 'repo': repo_view(checkout)}
    if definition['created_at'] is not None:
        view['created_at'] = definition['created_at']
    return view


def source_of(repo, provider, **extra):
    source = {'provider': provider, 'external_id': repo['external_id'] if repo else None,
              'full_name': repo['full_name'] if repo else None}
    source.update(extra)
    return source


def check_checkout_source(app, value, creating):
    where = 'checkout_source'
    required = ('provider', 'repo') if creating else ()
    check_object(value, ('provider', 'repo'), where, required=required)
    check_choice(value, 'provider', where, CHECKOUT_PROVIDERS)
    return check_repo(app, value, where) if 'repo' in value else None


def new_definition(app, project, body, definition_id=None, created_at=True):
    check_object(body, ('name', 'description', 'config_source', 'checkout_source'), '',
                 required=('name', 'config_source', 'checkout_source'))
    name = check_string(body, 'name', '')
    description = check_string(body, 'description', '', empty=True)
    config = body['config_source']
    if not isinstance(config, dict):
        raise ApiError(400, "Field 'config_source' must be an object.")
    if 'provider' not in config:
        raise ApiError(400, "Missing field 'config_source.provider'.")
    provider = check_choice(config, 'provider', 'config_source', CONFIG_PROVIDERS)
    if provider == 'github_app':
        check_object(config, ('provider', 'repo', 'file_path'), 'config_source', required=('provider', 'repo', 'file_path'))
        config_repo = check_repo(app, config, 'config_source')
    else:
        check_object(config, ('provider', 'file_path'), 'config_source', required=('provider', 'file_path'))
        config_repo = None
    file_path = check_string(config, 'file_path', 'config_source')
    checkout_repo = check_checkout_source(app, body['checkout_source'], creating=True)
    definition = {
        'id': definition_id or new_id(), 'project_id': project['id'], 'name': name, 'description': description,
        'config_source': source_of(config_repo, provider, file_path=file_path),
        'checkout_source': source_of(checkout_repo, body['checkout_source']['provider']),
        'created_at': now() if created_at else None,
    }
    app.state.pipeline_definitions[definition['id']] = definition
    return definition


def update_definition(app, definition, body):
    check_object(body, ('name', 'description', 'config_source', 'checkout_source'), '')
    name = check_string(body, 'name', '')
    description = check_string(body, 'description', '', empty=True)
    file_path = None
    if 'config_source' in body:
        # The config source's provider and repository are fixed once the definition exists.
        check_object(body['config_source'], ('file_path',), 'config_source')
        file_path = check_string(body['config_source'], 'file_path', 'config_source')
    checkout_repo = None
    if 'checkout_source' in body:
        checkout_repo = check_checkout_source(app, body['checkout_source'], creating=False)
    if name is not None:
        definition['name'] = name
    if description is not None:
        definition['description'] = description
    if file_path is not None:
        definition['config_source']['file_path'] = file_path
    if checkout_repo is not None:
        definition['checkout_source'] = source_of(checkout_repo, 'github_app')


def definition_of(app, project, definition_id):
    definition = app.state.pipeline_definitions.get((definition_id or '').lower())
    if definition is None or definition['project_id'] != project['id']:
        raise ApiError(404, 'Pipeline definition not found')
    return definition


# -- triggers --------------------------------------------------------------------------------------

def trigger_view(trigger):
    source = {'provider': trigger['provider']}
    if trigger['provider'] == 'webhook':
        source['webhook'] = {'url': trigger['webhook_url']}
        if trigger['webhook_sender'] is not None:
            source['webhook']['sender'] = trigger['webhook_sender']
    else:
        source['repo'] = repo_view(trigger)
    view = {'id': trigger['id'], 'created_at': trigger['created_at'], 'event_source': source,
            'event_name': trigger['event_name'] or '', 'checkout_ref': trigger['checkout_ref'] or '',
            'config_ref': trigger['config_ref'] or ''}
    if trigger['event_preset']:
        view['event_preset'] = trigger['event_preset']
    if trigger['disabled']:
        view['disabled'] = True
    return view


def check_trigger_refs(trigger, definition, checkout_ref, config_ref):
    """github_app / github_oauth: a ref must be omitted where the event repository is the
    definition's own (checkout or config) repository."""
    if trigger['provider'] == 'webhook':
        return
    if checkout_ref and trigger['external_id'] == definition['checkout_source']['external_id']:
        raise ApiError(400, 'Checkout_ref cannot be provided.')
    if config_ref and trigger['external_id'] == definition['config_source']['external_id']:
        raise ApiError(400, 'Config_ref cannot be provided.')


def check_trigger_fields(body, provider, where=''):
    """The fields create and PATCH share, checked for the trigger's provider."""
    if 'event_preset' in body:
        if provider != 'github_app':
            raise ApiError(400, "Field 'event_preset' is only applicable when event_source.provider is github_app.")
        check_choice(body, 'event_preset', where, EVENT_PRESETS)
    if 'event_name' in body and provider != 'webhook':
        raise ApiError(400, "Field 'event_name' can only be set for triggers where provider is webhook.")
    if 'disabled' in body and not isinstance(body['disabled'], bool):
        raise ApiError(400, "Field 'disabled' must be a boolean.")
    webhook_fields = provider == 'webhook'
    values = {}
    for key in ('event_name', 'checkout_ref', 'config_ref'):
        values[key] = check_string(body, key, where, empty=not webhook_fields)
    return values


def new_trigger(app, project, definition, body, trigger_id=None):
    check_object(body, ('event_source', 'event_preset', 'checkout_ref', 'config_ref', 'event_name', 'disabled'), '',
                 required=('event_source',))
    source = check_object(body['event_source'], ('provider', 'repo', 'webhook'), 'event_source', required=('provider',))
    provider = check_choice(source, 'provider', 'event_source', TRIGGER_PROVIDERS)
    values = check_trigger_fields(body, provider)
    trigger = {
        'id': trigger_id or new_id(), 'project_id': project['id'], 'definition_id': definition['id'], 'provider': provider,
        'external_id': None, 'full_name': None, 'webhook_url': None, 'webhook_sender': None,
        'event_preset': body.get('event_preset'), 'event_name': values['event_name'],
        'checkout_ref': values['checkout_ref'], 'config_ref': values['config_ref'],
        'disabled': bool(body.get('disabled', False)), 'created_at': now(),
    }
    if provider == 'webhook':
        if 'repo' in source:
            raise ApiError(400, "Unexpected field 'event_source.repo'.")
        for key in ('event_name', 'checkout_ref', 'config_ref'):
            if not values[key]:
                raise ApiError(400, "Missing field '%s': webhook triggers need event_name, checkout_ref and config_ref." % key)
        webhook = check_object(source.get('webhook', {}), ('sender',), 'event_source.webhook')
        trigger['webhook_sender'] = check_string(webhook, 'sender', 'event_source.webhook')
        trigger['webhook_url'] = 'https://internal.circleci.com/private/soc/e/%s?secret=%s' % (trigger['id'], secrets.token_hex(20))
    else:
        if 'webhook' in source:
            raise ApiError(400, "Unexpected field 'event_source.webhook'.")
        repo = check_repo(app, source, 'event_source')
        trigger['external_id'], trigger['full_name'] = repo['external_id'], repo['full_name']
        check_trigger_refs(trigger, definition, trigger['checkout_ref'], trigger['config_ref'])
    app.state.triggers[trigger['id']] = trigger
    return trigger


def update_trigger(app, trigger, body):
    check_object(body, ('event_preset', 'checkout_ref', 'config_ref', 'event_name', 'disabled', 'event_source'), '')
    sender = None
    if 'event_source' in body:
        source = check_object(body['event_source'], ('webhook',), 'event_source')
        if 'webhook' in source:
            if trigger['provider'] != 'webhook':
                raise ApiError(400, "Field 'event_source.webhook' can only be set for triggers where provider is webhook.")
            webhook = check_object(source['webhook'], ('sender',), 'event_source.webhook')
            sender = check_string(webhook, 'sender', 'event_source.webhook')
    values = check_trigger_fields(body, trigger['provider'])
    definition = app.state.pipeline_definitions[trigger['definition_id']]
    check_trigger_refs(trigger, definition, values['checkout_ref'], values['config_ref'])
    for key, value in values.items():
        if value is not None:
            trigger[key] = value
    if 'event_preset' in body:
        trigger['event_preset'] = body['event_preset']
    if 'disabled' in body:
        trigger['disabled'] = body['disabled']
    if sender is not None:
        trigger['webhook_sender'] = sender


def trigger_of(app, project, trigger_id):
    trigger = app.state.triggers.get((trigger_id or '').lower())
    if trigger is None or trigger['project_id'] != project['id']:
        raise ApiError(404, 'Trigger not found')
    return trigger


# -- pipeline/run ----------------------------------------------------------------------------------

def check_ref(body, key):
    """``config`` / ``checkout``: ``{branch}`` or ``{tag}``; answers (branch, tag)."""
    if key not in body:
        return None, None
    ref = check_object(body[key], ('branch', 'tag'), key)
    if 'branch' in ref and 'tag' in ref:
        raise ApiError(400, '%s: branch and tag are mutually exclusive: specify only one' % key)
    branch, tag = check_string(ref, 'branch', key), check_string(ref, 'tag', key)
    if branch is None and tag is None:
        raise ApiError(400, '%s: specify a branch or a tag' % key)
    return branch, tag


def ci_skipped(app, project, branch, tag):
    for ref in app.state.ci_skip_refs:
        if ref['project_id'] not in (None, project['id']):
            continue
        if (branch is not None and ref.get('branch') == branch) or (tag is not None and ref.get('tag') == tag):
            return True
    return False


def pipeline_values(app, pipeline):
    project = app.state.projects[pipeline['project_id']]
    vcs = project['slug'].split('/')[0]
    values = collections.OrderedDict([
        ('pipeline.id', pipeline['id']),
        ('pipeline.number', pipeline['number']),
        ('pipeline.project.git_url', pipeline['vcs_url']),
        ('pipeline.project.type', PROJECT_TYPES.get(vcs, vcs)),
    ])
    if pipeline['tag'] is not None:
        values['pipeline.git.tag'] = pipeline['tag']
    else:
        values['pipeline.git.branch'] = pipeline['branch']
        values['pipeline.git.branch.is_default'] = pipeline['branch'] == project['vcs_info']['default_branch']
    values['pipeline.git.revision'] = pipeline['revision']
    values['pipeline.git.base_revision'] = pipeline['revision']
    if pipeline.get('config_ref'):
        values['pipeline.config.ref'] = pipeline['config_ref']
    values['pipeline.in_setup'] = pipeline['state'] == 'setup'
    values['pipeline.trigger_source'] = 'api'
    values['pipeline.trigger_parameters.circleci.trigger_type'] = 'api'
    values['pipeline.trigger_parameters.circleci.event_type'] = 'api'
    values['pipeline.trigger_parameters.circleci.actor_id'] = pipeline['actor_id']
    return values


# -- reset, routes, seeds, dump ----------------------------------------------------------------------

def reset(app):
    state = app.state
    state.vcs_repositories = []
    state.next_external_id = 600000000
    state.project_settings = {}
    state.pipeline_definitions = collections.OrderedDict()
    state.triggers = collections.OrderedDict()
    state.ci_skip_refs = [{'project_id': None, 'branch': 'ci-skip'}]
    for provider, full_name, external_id, has_config in SEED_REPOSITORIES:
        add_repository(app, provider, full_name, external_id, has_config=has_config)
    org = add_standalone_org(app, SEED_ORG)
    projects = [add_standalone_project(app, org, name) for name in SEED_ORG_PROJECTS]
    source = {'provider': 'github_app', 'repo': {'external_id': '520000001'}}
    definition = new_definition(app, projects[0], {
        'name': 'build', 'description': 'Build and test',
        'config_source': dict(source, file_path='.circleci/config.yml'), 'checkout_source': source,
    }, definition_id=fixed_id('definition:%s/app/build' % SEED_ORG))
    new_trigger(app, projects[0], definition, {'event_source': source, 'event_preset': 'all-pushes'},
                trigger_id=fixed_id('trigger:%s/app/build' % SEED_ORG))


def register(app):  # pylint: disable=too-many-locals,too-many-statements
    app.on_reset(reset)

    # -- projects -----------------------------------------------------------------------

    @app.route('POST', r'/organization/(?P<org>[^/]+(?:/[^/]+)?)/project')
    def create_project(app, req):
        org = org_of(app, req, req.params['org'])
        body = check_object(req.json(), ('name',), '', required=('name',))
        name = check_string(body, 'name', '')
        if org['slug'].startswith('circleci/'):
            for project in app.state.projects.values():
                if project['org_id'] == org['id'] and project['name'] == name:
                    raise ApiError(409, 'Project %s already exists in this organization' % name)
            return 200, project_view(add_standalone_project(app, org, name, project_id=new_id()))
        vcs = org['slug'].split('/')[0]
        if app.state.project_by_slug('%s/%s' % (org['slug'], name)) is not None:
            raise ApiError(409, 'Project %s already exists in this organization' % name)
        repo = repository_by_name(app, VCS_PROVIDERS.get(vcs, vcs), '%s/%s' % (org['name'], name))
        if repo is None:
            raise ApiError(404, 'Repository not found')
        return 200, project_view(add_project(app, org['slug'], repo['full_name'].split('/')[1]))

    @app.route('POST', r'/project/(?P<vcs>[^/]+)/(?P<org>[^/]+)/(?P<repo>[^/]+)')
    def follow_project(app, req):
        vcs, org_name, name = req.params['vcs'], req.params['org'], req.params['repo']
        if vcs == 'circleci':
            raise ApiError(405, FOLLOW_ONLY_CLASSIC)
        if vcs not in VCS_PROVIDERS:
            raise ApiError(404, 'Project not found.')
        if req.body not in (None, {}):
            raise ApiError(400, 'Unexpected request body provided.')
        short = {'github': 'gh', 'bitbucket': 'bb'}.get(vcs, vcs)
        org = app.state.org_by_slug('%s/%s' % (short, org_name))
        if org is None:
            raise ApiError(404, 'Project not found.')
        app.member_org(req, org)
        project = app.state.project_by_slug('%s/%s' % (org['slug'], name))
        if project is None:
            repo = repository_by_name(app, VCS_PROVIDERS[vcs], '%s/%s' % (org['name'], name))
            if repo is None:
                raise ApiError(404, 'Project not found.')
            if not repo['has_config']:
                raise ApiError(404, 'Branch not found.')
            project = add_project(app, org['slug'], repo['full_name'].split('/')[1])
        return 201, settings_view(app, project)

    @app.route('DELETE', r'/project/' + SLUG)
    def delete_project(app, req):
        purge_project(app, project_for(app, req))
        return 200, {'message': 'Project deleted'}

    @app.route('GET', r'/project/(?P<project_id>[^/]+)')
    def get_project_by_id(app, req):
        return 200, project_view(project_by_id(app, req, req.params['project_id']))

    @app.route('GET', r'/project/' + SLUG + r'/settings')
    def get_settings(app, req):
        return 200, settings_view(app, project_for(app, req))

    @app.route('PATCH', r'/project/' + SLUG + r'/settings')
    def patch_settings(app, req):
        project = project_for(app, req)
        apply_settings(app, project, check_settings(req.body))
        return 200, settings_view(app, project)

    @app.route('GET', r'/projects', api='v3')
    def find_projects(app, req):
        server_edition_guard(app)
        org_id = req.arg('filter[org_id]')
        if not org_id:
            raise ApiError(400, 'filter[org_id] is required')
        org = app.state.orgs.get(require_uuid(org_id, 'filter[org_id]'))
        if org is None:
            raise ApiError(403, 'Permission denied')
        app.member_org(req, org)
        name = req.arg('filter[name]')
        items = [project_view(p) for p in app.state.projects.values()
                 if p['org_id'] == org['id'] and (name is None or p['name'] == name)]
        return 200, {'items': items}

    # -- pipeline definitions -------------------------------------------------------------

    def definitions_project(app, req):
        server_edition_guard(app)
        return project_by_id(app, req, req.params['project_id'])

    definitions = r'/projects/(?P<project_id>[^/]+)/pipeline-definitions'
    one_definition = definitions + r'/(?P<definition_id>[^/]+)'

    @app.route('GET', definitions)
    def list_definitions(app, req):
        project = definitions_project(app, req)
        return 200, {'items': [definition_view(d) for d in app.state.pipeline_definitions.values()
                               if d['project_id'] == project['id']]}

    @app.route('POST', definitions)
    def create_definition(app, req):
        project = definitions_project(app, req)
        return 200, definition_view(new_definition(app, project, req.json()))

    @app.route('GET', one_definition)
    def get_definition(app, req):
        project = definitions_project(app, req)
        return 200, definition_view(definition_of(app, project, req.params['definition_id']))

    @app.route('PATCH', one_definition)
    def patch_definition(app, req):
        project = definitions_project(app, req)
        definition = definition_of(app, project, req.params['definition_id'])
        update_definition(app, definition, req.json())
        return 200, definition_view(definition)

    @app.route('DELETE', one_definition)
    def delete_definition(app, req):
        project = definitions_project(app, req)
        definition = definition_of(app, project, req.params['definition_id'])
        del app.state.pipeline_definitions[definition['id']]
        for trigger_id in [k for k, t in app.state.triggers.items() if t['definition_id'] == definition['id']]:
            del app.state.triggers[trigger_id]
        return 200, {'message': 'Pipeline definition deleted.'}

    # -- triggers -----------------------------------------------------------------------------

    @app.route('GET', one_definition + r'/triggers')
    def list_triggers(app, req):
        project = definitions_project(app, req)
        definition = definition_of(app, project, req.params['definition_id'])
        return 200, {'items': [trigger_view(t) for t in app.state.triggers.values() if t['definition_id'] == definition['id']]}

    @app.route('POST', one_definition + r'/triggers')
    def create_trigger(app, req):
        project = definitions_project(app, req)
        definition = definition_of(app, project, req.params['definition_id'])
        return 200, trigger_view(new_trigger(app, project, definition, req.json()))

    one_trigger = r'/projects/(?P<project_id>[^/]+)/triggers/(?P<trigger_id>[^/]+)'

    @app.route('GET', one_trigger)
    def get_trigger(app, req):
        project = definitions_project(app, req)
        return 200, trigger_view(trigger_of(app, project, req.params['trigger_id']))

    @app.route('PATCH', one_trigger)
    def patch_trigger(app, req):
        project = definitions_project(app, req)
        trigger = trigger_of(app, project, req.params['trigger_id'])
        update_trigger(app, trigger, req.json())
        return 200, trigger_view(trigger)

    @app.route('DELETE', one_trigger)
    def delete_trigger(app, req):
        project = definitions_project(app, req)
        trigger = trigger_of(app, project, req.params['trigger_id'])
        del app.state.triggers[trigger['id']]
        return 200, {'message': 'Trigger deleted.'}

    # -- pipeline/run and values ----------------------------------------------------------------

    @app.route('POST', r'/project/' + SLUG + r'/pipeline/run')
    def run_pipeline(app, req):
        tick(app)
        project = project_for(app, req)
        body = check_object(req.json(required=False), ('definition_id', 'config', 'checkout', 'parameters'), '')
        own = collections.OrderedDict((d['id'], d) for d in app.state.pipeline_definitions.values()
                                      if d['project_id'] == project['id'] and not app.config.get('server_edition'))
        definition = None
        if 'definition_id' in body:
            definition_id = body['definition_id']
            if not isinstance(definition_id, str) or not UUID_RE.match(definition_id):
                raise ApiError(400, "Field 'definition_id' must be a UUID.")
            definition = own.get(definition_id.lower())
            if definition is None:
                raise ApiError(400, 'Pipeline definition %s not found in this project' % definition_id)
        elif own:
            definition = list(own.values())[0]
        elif is_standalone(project):
            raise ApiError(400, 'This project has no pipeline definition to run')
        config_branch, config_tag = check_ref(body, 'config')
        if config_branch is None and config_tag is None:
            config_branch = project['vcs_info']['default_branch']
        branch, tag = check_ref(body, 'checkout')
        if branch is None and tag is None:
            branch, tag = config_branch, config_tag
        plan = find_plan(app, project['slug'], branch, tag)
        parameters = check_parameters(body.get('parameters'), declared_parameters(plan))
        if ci_skipped(app, project, branch, tag):
            return 200, {'message': CI_SKIP_MESSAGE}
        pipeline = create_pipeline(app, project, req.user, branch, tag, parameters, plan=plan)
        pipeline['definition_id'] = definition['id'] if definition else None
        pipeline['config_ref'] = config_branch or config_tag
        if definition is not None and definition['checkout_source']['full_name']:
            pipeline['vcs_url'] = 'https://github.com/' + definition['checkout_source']['full_name']
            pipeline['provider'] = 'GitHub'
        return 201, {'id': pipeline['id'], 'state': pipeline['state'], 'number': pipeline['number'],
                     'created_at': stamp(pipeline['created'])}

    @app.route('GET', r'/pipeline/(?P<pipeline_id>[^/]+)/values')
    def get_pipeline_values(app, req):
        tick(app)
        pipeline = app.state.pipelines.get(require_uuid(req.params['pipeline_id'], 'pipeline-id'))
        if pipeline is None:
            raise ApiError(404, 'Pipeline not found')
        app.member_org(req, app.state.orgs.get(pipeline['org_id']))
        return 200, pipeline_values(app, pipeline)

    # -- control: seeds and state --------------------------------------------------------------

    def seed_project_of(app, obj, kind):
        if obj.get('project_id'):
            project = app.state.projects.get(obj['project_id'].lower())
        else:
            project = app.state.project_by_slug(obj.get('project_slug'))
        if project is None:
            raise ApiError(400, '%s: unknown project %s' % (kind, obj.get('project_id') or obj.get('project_slug')))
        return project

    def seed_standalone_org(app, obj):
        org = add_standalone_org(app, obj['name'], member=obj.get('member', True), org_id=obj.get('id'))
        return dict(org)

    def seed_standalone_project(app, obj):
        value = obj.get('org', fixed_id('org:circleci/' + SEED_ORG))
        org = app.state.orgs.get(value.lower()) if UUID_RE.match(value) else app.state.org_by_slug(value)
        if org is None or not org['slug'].startswith('circleci/'):
            raise ApiError(400, 'standalone_projects: %s is no standalone organization' % value)
        return project_view(add_standalone_project(app, org, obj['name'], project_id=obj.get('id')))

    def seed_repository(app, obj):
        return dict(add_repository(app, obj.get('provider', 'github'), obj.get('full_name'), obj.get('external_id'),
                                   obj.get('default_branch', 'main'), obj.get('has_config', True)))

    def seed_definition(app, obj):
        project = seed_project_of(app, obj, 'pipeline_definitions')
        body = dict((k, copy.deepcopy(v)) for k, v in obj.items() if k in ('name', 'description', 'config_source', 'checkout_source'))
        if 'checkout_source' not in body and isinstance(body.get('config_source'), dict) and 'repo' in body['config_source']:
            body['checkout_source'] = {'provider': 'github_app', 'repo': copy.deepcopy(body['config_source']['repo'])}
        return definition_view(new_definition(app, project, body, definition_id=obj.get('id'), created_at=not obj.get('old')))

    def seed_trigger(app, obj):
        project = seed_project_of(app, obj, 'triggers')
        definition = definition_of(app, project, obj.get('definition_id'))
        body = dict((k, copy.deepcopy(v)) for k, v in obj.items()
                    if k not in ('project_slug', 'project_id', 'definition_id', 'id'))
        return trigger_view(new_trigger(app, project, definition, body, trigger_id=obj.get('id')))

    def seed_ci_skip(app, obj):
        ref = {'project_id': seed_project_of(app, obj, 'ci_skip_refs')['id'] if obj.get('project_slug') else None}
        if ('branch' in obj) == ('tag' in obj):
            raise ApiError(400, 'ci_skip_refs: give a branch or a tag')
        ref.update((k, obj[k]) for k in ('branch', 'tag') if k in obj)
        app.state.ci_skip_refs.append(ref)
        return dict(ref)

    def seed_settings(app, obj):
        project = seed_project_of(app, obj, 'project_settings')
        apply_settings(app, project, check_settings({'advanced': obj.get('advanced')}, allow_oss=True))
        return dict(settings_view(app, project), project_slug=project['slug'])

    app.seeders.update(standalone_orgs=seed_standalone_org, standalone_projects=seed_standalone_project,
                       vcs_repositories=seed_repository, pipeline_definitions=seed_definition, triggers=seed_trigger,
                       ci_skip_refs=seed_ci_skip, project_settings=seed_settings)

    def dump(app, show_secrets):
        def trigger_dump(trigger):
            view = trigger_view(trigger)
            webhook = view['event_source'].get('webhook')
            if webhook and not show_secrets:
                base, secret = webhook['url'].split('?secret=', 1)
                webhook['url'] = base + '?secret=' + mask(secret)
            return dict(view, project_id=trigger['project_id'], definition_id=trigger['definition_id'])
        return {
            'vcs_repositories': [dict(r) for r in app.state.vcs_repositories],
            'project_settings': dict((app.state.projects[pid]['slug'], settings_view(app, app.state.projects[pid])['advanced'])
                                     for pid in app.state.project_settings),
            'pipeline_definitions': [dict(definition_view(d), project_id=d['project_id'])
                                     for d in app.state.pipeline_definitions.values()],
            'triggers': [trigger_dump(t) for t in app.state.triggers.values()],
            'ci_skip_refs': [dict(r) for r in app.state.ci_skip_refs],
        }
    app.state_dumpers.append(dump)
