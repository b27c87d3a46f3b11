# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Deploys (components, versions, environments), rollback, cancel a job by id, usage exports.

Routes (after /api/v2; the OpenAPI description's field names, api-notes.md "Part 2"):

- ``GET /deploy/components?org-id=<uuid>[&project-id=<uuid>]``, ``GET /deploy/components/{id}``,
  ``GET /deploy/components/{id}/versions[?environment-id=<uuid>]``,
  ``GET /deploy/environments?org-id=<uuid>``, ``GET /deploy/environments/{id}``.
- ``POST /projects/{project_id}/rollback``.
- ``POST /jobs/{job-id}/cancel``.
- ``POST /organizations/{org_id}/usage_export_job``, ``GET /organizations/{org_id}/usage_export_job/{id}``.
- Outside the API: ``GET /_files/usage/{usage_export_job_id}/{name}.csv.gz?expires=..&nonce=..&signature=..``,
  the export's signed download links.

Config keys (``POST /_standin/config`` or reset config; defaults in CONFIG_DEFAULTS):

- ``clock_offset`` (0): seconds added to this module's clock, the stand-in's "now" for usage
  exports: their state machine, the window checks, the read limits and the links' expiry. Raise
  it to move time on without sleeping (``POST /_standin/config {"clock_offset": 61}``). Pipelines
  (and so rollbacks, which run as pipelines) keep the real clock.
- ``usage_export_created_seconds`` (0.1), ``usage_export_processing_seconds`` (0.2): an export is
  ``created`` for the first, then ``processing`` for the second, then ``completed`` or ``failed``.
- ``usage_export_files`` (2), ``usage_export_rows`` (3): files of a completed export and data rows
  in each (a plan may say otherwise).
- ``usage_export_no_files_as`` (``"null"``): what ``download_urls`` is for a completed export
  without files: ``"null"``, ``"empty"`` (``[]``) or ``"absent"`` (no key). api-notes.md says
  only that such an export "may still have no download_urls", so clients must take all three.
- ``usage_export_reads_per_minute`` (10; 0: no limit): status reads (GET of an export) per
  organisation in any 60 seconds of this module's clock. Past it: 429 with ``Retry-After`` (whole
  seconds until the oldest read in the window is a minute old). A refused read does not count.
  CircleCI's usage API documentation: "10 times per minute per org".
- ``usage_export_creates_per_hour`` (10; 0: no limit): export creations per organisation an hour
  (the same documentation: "10 times per hour per org"); past it: 429 with ``Retry-After``.
- ``usage_url_ttl`` (129600 = 36 h): how long a download link is valid.
- ``usage_files_base_url`` (null): scheme and host of the download links; by default the scheme
  and ``Host`` the status read came with (the stand-in itself, outside /api/v2).
- ``usage_file_content_encoding`` (false): also send ``Content-Encoding: gzip`` with the files,
  as a storage service does for objects stored so (an HTTP client may then decompress them itself).
- ``rollback_type`` (``"PIPELINE"``): the ``rollback_type`` a rollback answers. ``PIPELINE`` in
  any case (``"pipeline"`` too) starts a pipeline whose id is the answer's ``id``; any other
  value (``"COMMAND"``, say) starts no pipeline: ``id`` is the id of a command that is handled
  ``rollback_command_seconds`` (0.3) later.

Seed state (fixed ids: ``fixed_id('deploy-env:gh/acme/production')``,
``fixed_id('deploy-component:gh/acme/api/api-server')``; see SEED_ENVIRONMENTS, SEED_COMPONENTS):
environments ``production``, ``staging``, ``development`` in gh/acme and ``production`` in
gh/other; components ``api-server`` and ``worker`` (gh/acme/api), ``web-frontend`` (gh/acme/web),
``other-api`` (gh/other/api). ``api-server`` was deployed 1.0.0 to production (by hand: all-zero
pipeline, workflow and job ids, job_number 0), 1.1.0 to staging, then 1.1.0 to production, then
1.2.0 to staging: 1.1.0 is live in production, 1.2.0 in staging; release_count 4.

Seed kinds (``POST /_standin/seed``):

- ``deploy_environments``: ``{name, org_slug | org_id (default gh/acme), description, labels, id, age}``.
- ``deploy_components``: ``{name, project_slug | project_id (default gh/acme/api), labels, id, age,
  versions: [release, ...]}``. ``labels``: a dict or a list of ``{key, value}``.
- ``deploy_versions``: ``{component_id | component (name, with project_slug), <release>}``: one
  more release of an existing component.
- A *release* (one deploy of a version to an environment, oldest first): ``{name (the version),
  environment (name, in the component's org) | environment_id, namespace (default "default"),
  pipeline_id, workflow_id, job_id, job_number (default: all-zero ids and 0: deployed outside
  CircleCI), age (seconds ago; default: each later release a minute newer)}``. The newest release
  in an environment is the version live there.
- Deploy jobs: a job of a pipeline plan (resources_pipelines) may say ``"release": {"component":
  name, "environment": name, "version": "1.3.0", "namespace": optional}``: when the job succeeds,
  that version becomes live there (a release with the job's pipeline, workflow and job ids and
  number), as a deploy job that runs ``circleci run release log`` does. The component and
  environment are those of the pipeline's project and org; unknown ones release nothing.
- ``rollback_plans``: what a rollback's pipeline does, as a pipeline plan of resources_pipelines
  (``workflows``, ``errors``), matched by ``project_slug``, ``component_name``,
  ``environment_name`` (each optional; the most keys matched wins, the last seeded among equals).
  Default: one workflow ``rollback`` with one job ``rollback`` that succeeds.
- ``rollbacks``: a rollback already under way (so the next one answers 409): ``{project_slug
  (default gh/acme/api), component_name (default api-server), environment_name (default
  production), target_version (default: the newest other version of that component),
  current_version (default: the live one), namespace, reason, parameters, workflows (default:
  one job that runs ``duration`` seconds, default 3600)}``; its pipeline has its workflows from
  the start, as a seeded pipeline. Answers ``{id, rollback_type, pipeline_id}``.
- ``usage_export_plans``: how exports end: ``{org_slug | org_id (optional), outcome ("completed"
  default, or "failed"), error_reason, files, rows}``; ``files: 0`` is a completed export with
  no data. An org's own plan beats a general one; the last seeded wins among equals.
- ``usage_exports``: an export made directly (no window checks, no limits): ``{org_slug | org_id
  (default gh/acme), start, end (RFC 3339; default the week before now), shared_org_ids, age
  (seconds ago it was created, default 3600: finished), outcome, error_reason, files, rows}``.
  Answers ``{usage_export_job_id, org_id, state}``.

``GET /_standin/state`` adds ``deploy_environments``, ``deploy_components`` (with the true
``release_count`` and every ``versions`` item), ``rollbacks``, ``rollback_plans``,
``usage_exports`` (each with ``files: [{name, rows, size, sha256 (of the CSV, uncompressed),
downloads}]``), ``usage_export_plans``, ``usage_export_status_reads`` (every status read:
``{org_id, usage_export_job_id, at, time, status}``, ``time`` on this module's clock),
``usage_export_max_reads_per_minute`` (per org, the most status reads answered in any 60
seconds: a test proves a client kept to 10 with it), and ``usage_downloads`` (every file
request: ``{usage_export_job_id, name, status, circle_token, authorization, at}``). The
status reads' request log entries also carry ``clock`` (this module's time, RFC 3339) and
``usage_reads_last_minute``; file requests carry ``file``, ``circle_token``, ``authorization``.

Behaviour:

- Deploy lists need ``org-id`` (400 without, 400 when not a UUID, 404 ``Organization does not
  exist.`` when unknown, 403 when not a member) and page with ``next_page_token``/``page-token``
  at the server's small page size; ``page-size`` (which the description marks required, but
  CircleCI's own MCP server never sends) must be a positive integer when given, and the page is
  never larger than the server's. ``release_count`` is 0 in the component list, the number of
  releases on GET. ``project-id`` and ``environment-id`` filter (unknown ones give empty lists).
  Unknown component or environment: 404 (``Component does not exist.``, ``Environment does not
  exist.``); an environment id that is not a UUID: 400. Versions are newest first, one item per
  version and environment: ``{name, environment_id, namespace, is_live, pipeline_id,
  workflow_id, job_id, job_number, last_deployed_at}``.
- Rollback: the body needs non-empty strings ``component_name``, ``environment_name``,
  ``current_version``, ``target_version``; ``namespace`` and ``reason`` strings; ``parameters``
  an object (pipeline parameter values: strings, integers, booleans, size limits as for a
  trigger); other keys are ignored (the description forbids them, but api-notes.md lists the
  rollback among none of the services that refuse them). 400 for any of these. Unknown project
  404 ``Project does not exist.``; not a member 403; component (of that project) or environment
  (of its org) unknown by that name 404. While a rollback of the project is still being handled
  (its pipeline not finished, or its command not handled yet): 409. ``current_version`` not the
  version live in that environment, or ``target_version`` not a version of the component (or
  the same as the current one): 400. Then 202 ``{id, rollback_type}``: with ``PIPELINE`` the id
  is the pipeline's (``GET /pipeline/{id}`` and the rest work; it runs on the project's default
  branch with the body's ``parameters`` and the matching rollback plan). When that pipeline ends
  with every workflow ``success`` the target version becomes a new release in the environment
  (live, with the pipeline's ids and its last job), so ``release_count`` grows by one; a failed
  rollback changes nothing. A command rollback releases the target with all-zero ids.
- ``POST /jobs/{job-id}/cancel``: as ``POST /project/{slug}/job/{number}/cancel`` but by the
  job's UUID, so a job that has not started (``blocked``) or waits for approval can be cancelled
  too; 200 ``{"message": "Job cancelled."}``; a finished job is accepted and left alone; not a
  UUID 400; unknown 404.
- Usage export create: body ``{start, end, shared_org_ids?}``; any other key 400 ``Unexpected
  field '<key>'.``; missing start/end or not RFC 3339 date-times 400; end not after start,
  more than 31 days apart, start more than 365 days back, start or end in the future (all by
  this module's clock): 400; ``shared_org_ids`` a list of UUIDs. Unknown org 404 (``Organization
  does not exist.``), not a member 403. 201 ``{usage_export_job_id, state: "created", start,
  end, download_urls: null}``, start and end normalised to UTC with ``Z`` (milliseconds kept
  only when not zero). Exports cannot be cancelled (no route).
- Usage export read: 200 ``{usage_export_job_id, state, download_urls}`` (the description's
  schema: no start/end) plus ``error_reason`` when failed; ``download_urls`` is null until
  completed. Links are re-signed on every read (new nonce and expiry). Unknown export (or one
  of another org) 404; not a UUID 400.
- Files: gzip-compressed CSV (``Content-Type: application/octet-stream``), deterministic:
  header USAGE_COLUMNS and rows made from the org (and shared orgs), their projects, the window
  and the row's number only (``usage_csv(app, export, index)`` gives the text). A link with no
  or a wrong signature, or expired, answers 403 with an XML error as a storage service does;
  an unknown file 404. A test can compare a downloaded file with ``files[].sha256``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import base64
import collections
import copy
import csv
import datetime
import gzip
import hashlib
import hmac
import io
import math
import os
import re
import time

from urllib.parse import urlencode

from server import ApiError, fixed_id, new_id, require_uuid

import resources_pipelines as pipelines

ZERO_UUID = '00000000-0000-0000-0000-000000000000'

CONFIG_DEFAULTS = {
    'clock_offset': 0.0,
    'usage_export_created_seconds': 0.1,
    'usage_export_processing_seconds': 0.2,
    'usage_export_files': 2,
    'usage_export_rows': 3,
    'usage_export_no_files_as': 'null',
    'usage_export_reads_per_minute': 10,
    'usage_export_creates_per_hour': 10,
    'usage_url_ttl': 129600,
    'usage_files_base_url': None,
    'usage_file_content_encoding': False,
    'rollback_type': 'PIPELINE',
    'rollback_command_seconds': 0.3,
}

DAY = 86400.0
MAX_WINDOW = 31 * DAY
MAX_LOOKBACK = 365 * DAY
DEFAULT_ROLLBACK_WORKFLOWS = [{'name': 'rollback', 'jobs': [{'name': 'rollback'}]}]
DEFAULT_ERROR_REASON = 'The usage export could not be generated: the query timed out.'

SEED_ENVIRONMENTS = [
    # (org slug, name, description, labels)
    ('gh/acme', 'production', 'Customer-facing production', {'tier': 'prod'}),
    ('gh/acme', 'staging', 'Pre-release checks', {'tier': 'staging'}),
    ('gh/acme', 'development', None, {}),
    ('gh/other', 'production', 'Production of gh/other', {'tier': 'prod'}),
]
SEED_COMPONENTS = [
    # (project slug, name, labels, releases oldest first: (version, environment, days ago, deployed by CircleCI))
    ('gh/acme/api', 'api-server', {'team': 'backend'}, [
        ('1.0.0', 'production', 30, False),
        ('1.1.0', 'staging', 20, True),
        ('1.1.0', 'production', 15, True),
        ('1.2.0', 'staging', 2, True),
    ]),
    ('gh/acme/api', 'worker', {'team': 'backend'}, [('2.0.0', 'production', 10, True)]),
    ('gh/acme/web', 'web-frontend', {'team': 'frontend'}, [
        ('3.4.0', 'production', 12, True),
        ('3.4.1', 'staging', 1, True),
    ]),
    ('gh/other/api', 'other-api', {}, [('0.1.0', 'production', 5, True)]),
]

USAGE_COLUMNS = [
    'organization_id', 'organization_name', 'project_id', 'project_name', 'vcs_name', 'vcs_url', 'vcs_branch',
    'pipeline_id', 'pipeline_number', 'workflow_id', 'workflow_name', 'job_id', 'job_name', 'job_run_number',
    'job_run_started_at', 'job_run_stopped_at', 'job_run_seconds', 'resource_class', 'operating_system',
    'median_cpu_utilization_pct', 'max_cpu_utilization_pct', 'median_ram_utilization_pct', 'max_ram_utilization_pct',
    'compute_credits', 'dlc_credits', 'storage_credits', 'network_credits', 'total_credits',
]
USAGE_JOBS = ['build', 'test', 'deploy']
USAGE_RESOURCE_CLASSES = ['medium', 'large', 'small', 'xlarge']

RFC3339 = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$')


# -- clock and formats ---------------------------------------------------------------------------

def clock(app):
    """This module's "now": the real time plus the ``clock_offset`` config."""
    return time.time() + float(app.config.get('clock_offset') or 0)


def stamp(moment):
    return pipelines.stamp(moment)


def parse_time(value, name):
    """An RFC 3339 date-time as a time.time() value, or 400."""
    match = RFC3339.match(value) if isinstance(value, str) else None
    if not match:
        raise ApiError(400, "'%s' must be an RFC 3339 date-time, such as 2025-01-31T00:00:00Z" % name)
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = float(match.group(7) or 0)
    zone = match.group(8)
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second, tzinfo=datetime.timezone.utc)
    except ValueError:
        raise ApiError(400, "'%s' is not a valid date-time" % name)
    offset = 0
    if zone not in ('Z', 'z'):
        offset = (int(zone[1:3]) * 60 + int(zone[4:6])) * 60 * (1 if zone[0] == '+' else -1)
    return (moment - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)).total_seconds() + fraction - offset


def normal_time(moment):
    """UTC with Z; milliseconds only when not zero."""
    value = datetime.datetime.fromtimestamp(round(moment, 3), datetime.timezone.utc)
    if value.microsecond // 1000:
        return value.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (value.microsecond // 1000)
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


def labels_of(value, where):
    if value is None:
        return []
    if isinstance(value, dict):
        return [{'key': str(k), 'value': str(v)} for k, v in value.items()]
    if isinstance(value, list) and all(isinstance(item, dict) and set(item) == {'key', 'value'} for item in value):
        return [{'key': item['key'], 'value': item['value']} for item in value]
    raise ApiError(400, '%s: labels must be a dict or a list of {key, value}' % where)


def paginate(app, req, items):
    """As app.paginate (the same page tokens), with a ``page-size`` that can only make pages smaller."""
    size = max(1, int(app.config['page_size']))
    asked = req.arg('page-size')
    if asked is not None:
        try:
            asked = int(asked)
        except ValueError:
            raise ApiError(400, 'page-size must be an integer')
        if asked < 1:
            raise ApiError(400, 'page-size must be a positive integer')
        size = min(size, asked)
    token = req.arg('page-token')
    start = 0
    if token:
        try:
            start = int(base64.urlsafe_b64decode(token.encode('ascii')).decode('ascii').split(':')[1])
        except (ValueError, IndexError, UnicodeDecodeError):
            raise ApiError(400, 'Invalid page-token')
    nxt = None
    if start + size < len(items):
        nxt = base64.urlsafe_b64encode(('page:%d' % (start + size)).encode('ascii')).decode('ascii')
    return 200, {'items': items[start:start + size], 'next_page_token': nxt}


# -- deploy model ----------------------------------------------------------------------------------

def project_org(app, project_id):
    project = app.state.projects.get(project_id)
    return app.state.orgs.get(project['org_id']) if project else None


def add_environment(app, org, name, description=None, labels=None, env_id=None, created=None):
    for env in app.state.deploy_environments.values():
        if env['org_id'] == org['id'] and env['name'] == name:
            raise ApiError(400, 'deploy_environments: %s already has an environment %s' % (org['slug'], name))
    created = time.time() if created is None else created
    env = {'id': env_id or fixed_id('deploy-env:%s/%s' % (org['slug'], name)), 'org_id': org['id'], 'name': name,
           'description': description, 'labels': labels_of(labels, 'deploy_environments'),
           'created': created, 'updated': created}
    app.state.deploy_environments[env['id']] = env
    return env


def add_component(app, project, name, labels=None, component_id=None, created=None):
    for component in app.state.deploy_components.values():
        if component['project_id'] == project['id'] and component['name'] == name:
            raise ApiError(400, 'deploy_components: %s already has a component %s' % (project['slug'], name))
    created = time.time() if created is None else created
    component = {'id': component_id or fixed_id('deploy-component:%s/%s' % (project['slug'], name)),
                 'project_id': project['id'], 'name': name, 'labels': labels_of(labels, 'deploy_components'),
                 'created': created, 'updated': created, 'releases': []}
    app.state.deploy_components[component['id']] = component
    return component


def environment_named(app, org_id, name):
    for env in app.state.deploy_environments.values():
        if env['org_id'] == org_id and env['name'] == name:
            return env
    return None


def component_named(app, project_id, name):
    for component in app.state.deploy_components.values():
        if component['project_id'] == project_id and component['name'] == name:
            return component
    return None


def add_release(app, component, version, env, at, namespace=None, pipeline_id=None, workflow_id=None,
                job_id=None, job_number=None):
    release = {'version': version, 'environment_id': env['id'], 'namespace': namespace or 'default',
               'pipeline_id': pipeline_id or ZERO_UUID, 'workflow_id': workflow_id or ZERO_UUID,
               'job_id': job_id or ZERO_UUID, 'job_number': int(job_number or 0), 'at': at}
    component['releases'].append(release)
    component['releases'].sort(key=lambda r: r['at'])
    component['updated'] = max(component['updated'], at)
    return release


def live_releases(component):
    """The release live in each environment: the newest there."""
    live = {}
    for release in component['releases']:
        current = live.get(release['environment_id'])
        if current is None or release['at'] >= current['at']:
            live[release['environment_id']] = release
    return live


def version_items(component, environment_id=None):
    """One item per version and environment (its latest deploy there), newest first."""
    live = live_releases(component)
    latest = collections.OrderedDict()
    for release in component['releases']:
        latest[(release['version'], release['environment_id'])] = release
    items = []
    for release in sorted(latest.values(), key=lambda r: r['at'], reverse=True):
        if environment_id and release['environment_id'] != environment_id:
            continue
        items.append({
            'name': release['version'], 'environment_id': release['environment_id'], 'namespace': release['namespace'],
            'is_live': live.get(release['environment_id']) is release, 'pipeline_id': release['pipeline_id'],
            'workflow_id': release['workflow_id'], 'job_id': release['job_id'], 'job_number': release['job_number'],
            'last_deployed_at': stamp(release['at']),
        })
    return items


def component_view(component, release_count):
    return {'id': component['id'], 'name': component['name'], 'project_id': component['project_id'],
            'labels': copy.deepcopy(component['labels']), 'release_count': release_count,
            'created_at': stamp(component['created']), 'updated_at': stamp(component['updated'])}


def environment_view(env):
    view = {'created_at': stamp(env['created']), 'id': env['id'], 'labels': copy.deepcopy(env['labels']),
            'name': env['name'], 'updated_at': stamp(env['updated'])}
    if env['description'] is not None:
        view['description'] = env['description']
    return view


def seed_deploys(app):
    moment = time.time()
    for org_slug, name, description, labels in SEED_ENVIRONMENTS:
        add_environment(app, app.state.org_by_slug(org_slug), name, description, labels, created=moment - 60 * DAY)
    for project_slug, name, labels, releases in SEED_COMPONENTS:
        project = app.state.project_by_slug(project_slug)
        component = add_component(app, project, name, labels, created=moment - 40 * DAY)
        for version, env_name, days, by_circleci in releases:
            env = environment_named(app, project['org_id'], env_name)
            ids = {}
            if by_circleci:
                key = 'deploy:%s/%s:%s:%s' % (project_slug, name, version, env_name)
                ids = {'pipeline_id': fixed_id(key + ':pipeline'), 'workflow_id': fixed_id(key + ':workflow'),
                       'job_id': fixed_id(key + ':job'), 'job_number': 100 + len(component['releases'])}
            add_release(app, component, version, env, moment - days * DAY, **ids)


# -- rollbacks ---------------------------------------------------------------------------------

def find_rollback_plan(app, project_slug, component_name, environment_name):
    best, best_score = None, -1
    wanted = {'project_slug': project_slug.lower(), 'component_name': component_name, 'environment_name': environment_name}
    for plan in app.state.rollback_plans:
        score = 0
        for key, value in wanted.items():
            if key in plan:
                if (plan[key].lower() if key == 'project_slug' else plan[key]) != value:
                    break
                score += 1
        else:
            if score >= best_score:
                best, best_score = plan, score
    plan = copy.deepcopy(best or {})
    if not plan.get('workflows') and not plan.get('errors'):
        plan['workflows'] = copy.deepcopy(DEFAULT_ROLLBACK_WORKFLOWS)
    return plan


def is_pipeline_type(rollback_type):
    return str(rollback_type).upper() == 'PIPELINE'


def start_rollback(app, project, user, component, env, current, target, namespace, reason, parameters, plan):
    rollback_type = app.config['rollback_type']
    moment = time.time()
    rollback = {
        'id': None, 'rollback_type': rollback_type, 'project_id': project['id'], 'component_id': component['id'],
        'environment_id': env['id'], 'component_name': component['name'], 'environment_name': env['name'],
        'current_version': current, 'target_version': target, 'namespace': namespace, 'reason': reason,
        'parameters': dict(parameters or {}), 'pipeline_id': None, 'status': 'running', 'created': moment,
        'finished': None,
    }
    if is_pipeline_type(rollback_type):
        pipeline = pipelines.create_pipeline(app, project, user, parameters=parameters, plan=plan, created=moment)
        rollback['id'] = rollback['pipeline_id'] = pipeline['id']
    else:
        rollback['id'] = new_id()
    app.state.rollbacks[rollback['id']] = rollback
    return rollback


def pipeline_outcome(app, pipeline):
    """``(status, at, last job)`` of a finished pipeline, or None while it runs."""
    if pipeline['state'] == 'errored':
        return 'failed', pipeline['updated'], None
    if pipeline['state'] != 'created' or not pipeline['workflow_ids']:
        return None
    workflows = [app.state.workflows[w] for w in pipeline['workflow_ids']]
    statuses = [pipelines.workflow_status(w) for w in workflows]
    if not all(s in pipelines.FINISHED_WORKFLOW for s in statuses):
        return None
    at = max(pipelines.workflow_stopped(w) for w in workflows)
    jobs = [j for w in workflows for j in w['jobs'] if j['job_number'] is not None]
    last = max(jobs, key=lambda j: (j['stopped'] or 0, j['job_number'])) if jobs else None
    return ('success' if all(s == 'success' for s in statuses) else 'failed'), at, last


def release_jobs(app):
    """A job whose plan names a ``release`` makes that version live in the environment when it
    succeeds, with the job's pipeline, workflow and job ids, as ``circleci run release log`` in a
    deploy job does. A release naming a component or environment that does not exist does nothing."""
    for workflow in app.state.workflows.values():
        for job in workflow['jobs']:
            spec = job['spec'].get('release')
            if not spec or job['status'] != 'success' or job.get('released'):
                continue
            job['released'] = True
            project = app.state.project_by_slug(workflow['project_slug'])
            component = component_named(app, project['id'], spec['component']) if project else None
            env = environment_named(app, project['org_id'], spec['environment']) if project else None
            if component is not None and env is not None:
                add_release(app, component, spec['version'], env, job['stopped'], namespace=spec.get('namespace'),
                            pipeline_id=workflow['pipeline_id'], workflow_id=workflow['id'], job_id=job['id'],
                            job_number=job['job_number'])


def tick(app):
    """Bring pipelines, deploy jobs, then rollbacks, up to now: a deploy job or a rollback that
    succeeded releases its version."""
    moment = pipelines.tick(app)
    release_jobs(app)
    for rollback in app.state.rollbacks.values():
        if rollback['status'] != 'running':
            continue
        component = app.state.deploy_components.get(rollback['component_id'])
        env = app.state.deploy_environments.get(rollback['environment_id'])
        ids = {}
        if rollback['pipeline_id']:
            outcome = pipeline_outcome(app, app.state.pipelines[rollback['pipeline_id']])
            if outcome is None:
                continue
            status, at, job = outcome
            ids['pipeline_id'] = rollback['pipeline_id']
            if job is not None:
                ids.update(workflow_id=job['workflow_id'], job_id=job['id'], job_number=job['job_number'])
        else:
            at = rollback['created'] + float(app.config['rollback_command_seconds'])
            if at > moment:
                continue
            status = 'success'
        rollback['status'], rollback['finished'] = status, at
        if status == 'success' and component is not None and env is not None:
            namespace = rollback['namespace']
            if not namespace:
                live = live_releases(component).get(env['id'])
                namespace = live['namespace'] if live else None
            add_release(app, component, rollback['target_version'], env, at, namespace=namespace, **ids)
    return moment


def rollback_view(rollback):
    view = dict((k, copy.deepcopy(v)) for k, v in rollback.items() if k not in ('created', 'finished'))
    view['created_at'], view['finished_at'] = stamp(rollback['created']), stamp(rollback['finished'])
    return view


# -- usage exports -------------------------------------------------------------------------------

def find_usage_plan(app, org_id):
    best, best_score = {}, -1
    for plan in app.state.usage_export_plans:
        if plan.get('org_id') and plan['org_id'] != org_id:
            continue
        score = 1 if plan.get('org_id') else 0
        if score >= best_score:
            best, best_score = plan, score
    return best


def new_export(app, org_id, start, end, shared_org_ids, created, plan):
    files = int(plan.get('files', app.config['usage_export_files']))
    outcome = plan.get('outcome', 'completed')
    export = {
        'id': new_id(), 'org_id': org_id, 'start': start, 'end': end, 'start_text': normal_time(start),
        'end_text': normal_time(end), 'shared_org_ids': list(shared_org_ids or []), 'created': created,
        'outcome': outcome, 'error_reason': plan.get('error_reason', DEFAULT_ERROR_REASON) if outcome == 'failed' else None,
        'files': files if outcome == 'completed' else 0, 'rows': int(plan.get('rows', app.config['usage_export_rows'])),
        'downloads': {},
    }
    app.state.usage_exports[export['id']] = export
    return export


def export_state(app, export, moment):
    created = float(app.config['usage_export_created_seconds'])
    processing = float(app.config['usage_export_processing_seconds'])
    if moment < export['created'] + created:
        return 'created'
    if moment < export['created'] + created + processing:
        return 'processing'
    return export['outcome']


def file_names(export):
    return ['usage-%s-%03d.csv.gz' % (export['id'], index + 1) for index in range(export['files'])]


def usage_csv(app, export, index):
    """The CSV text of an export's file ``index`` (0-based): the same for the same org, window and index."""
    orgs = [export['org_id']] + [o for o in export['shared_org_ids'] if o != export['org_id']]
    per, total = export['rows'], export['rows'] * export['files']
    span = export['end'] - export['start']
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(USAGE_COLUMNS)
    for row in range(per):
        number = index * per + row
        org_id = orgs[number % len(orgs)]
        org = app.state.orgs.get(org_id) or {'name': '', 'slug': ''}
        projects = sorted((p for p in app.state.projects.values() if p['org_id'] == org_id), key=lambda p: p['slug'])
        project = projects[number % len(projects)] if projects else None
        key = 'usage:%s:%s:%d' % (org_id, export['start_text'], number)
        started = export['start'] + span * (number + 1) / (total + 1)
        seconds = 60 + 30 * (number % 4)
        stopped = min(started + seconds, export['end'])
        compute, dlc, storage, network = 10 * (number + 1), 5 * (number % 2), 1, 2
        writer.writerow([
            org_id, org['name'], project['id'] if project else '', project['name'] if project else '',
            project['vcs_info']['provider'] if project else '', project['vcs_info']['vcs_url'] if project else '', 'main',
            fixed_id(key + ':pipeline'), 1000 + number, fixed_id(key + ':workflow'), 'build-and-test',
            fixed_id(key + ':job'), USAGE_JOBS[number % len(USAGE_JOBS)], 5000 + number,
            stamp(started), stamp(stopped), int(round(stopped - started)),
            USAGE_RESOURCE_CLASSES[number % len(USAGE_RESOURCE_CLASSES)], 'linux',
            '%.1f' % (20 + number % 50), '%.1f' % (60 + number % 40), '%.1f' % (30 + number % 40), '%.1f' % (70 + number % 30),
            compute, dlc, storage, network, compute + dlc + storage + network,
        ])
    return out.getvalue()


def usage_file_bytes(app, export, index):
    return gzip.compress(usage_csv(app, export, index).encode('utf-8'), mtime=0)


def signature(app, path, expires, nonce):
    message = ('%s\n%s\n%s' % (path, expires, nonce)).encode('utf-8')
    return hmac.new(app.state.usage_signing_key, message, hashlib.sha256).hexdigest()


def signed_url(app, req, export, name, moment):
    path = '/_files/usage/%s/%s' % (export['id'], name)
    expires = int(moment + float(app.config['usage_url_ttl']))
    nonce = os.urandom(8).hex()
    base = app.config['usage_files_base_url'] or '%s://%s' % (app.scheme, req.headers.get('Host') or '127.0.0.1')
    query = urlencode([('expires', expires), ('nonce', nonce), ('signature', signature(app, path, expires, nonce))])
    return '%s%s?%s' % (base.rstrip('/'), path, query)


def storage_error(status, code, message):
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message></Error>' % (code, message))
    return status, body.encode('utf-8'), {'Content-Type': 'application/xml'}


def reads_in_window(reads, org_id, moment):
    return [r['time'] for r in reads if r['org_id'] == org_id and r['status'] != 429 and moment - 60 < r['time'] <= moment]


def max_per_minute(times):
    times = sorted(times)
    best, first = 0, 0
    for last, moment in enumerate(times):
        while moment - times[first] >= 60:
            first += 1
        best = max(best, last - first + 1)
    return best


def export_view(app, export, moment):
    return {'usage_export_job_id': export['id'], 'org_id': export['org_id'], 'state': export_state(app, export, moment),
            'start': export['start_text'], 'end': export['end_text'], 'shared_org_ids': list(export['shared_org_ids']),
            'outcome': export['outcome'], 'error_reason': export['error_reason'], 'created_at': stamp(export['created'])}


# -- the routes ----------------------------------------------------------------------------------

def register(app):  # pylint: disable=too-many-locals,too-many-statements
    def reset(app):
        for key, value in CONFIG_DEFAULTS.items():
            app.config.setdefault(key, value)
        app.state.deploy_environments = collections.OrderedDict()
        app.state.deploy_components = collections.OrderedDict()
        app.state.rollbacks = collections.OrderedDict()
        app.state.rollback_plans = []
        app.state.usage_exports = collections.OrderedDict()
        app.state.usage_export_plans = []
        app.state.usage_status_reads = []
        app.state.usage_creates = []
        app.state.usage_downloads = []
        app.state.usage_signing_key = os.urandom(32)
        seed_deploys(app)
    app.on_reset(reset)

    def org_from_query(app, req):
        value = req.arg('org-id')
        if not value:
            raise ApiError(400, 'org-id is required')
        org = app.state.orgs.get(require_uuid(value, 'org-id'))
        if org is None:
            raise ApiError(404, 'Organization does not exist.')
        return app.member_org(req, org)

    def org_from_path(app, req):
        org = app.state.orgs.get((req.params['org_id'] or '').lower())
        if org is None:
            raise ApiError(404, 'Organization does not exist.')
        return app.member_org(req, org)

    def component_for(app, req):
        component = app.state.deploy_components.get((req.params['component_id'] or '').lower())
        if component is None:
            raise ApiError(404, 'Component does not exist.')
        app.member_org(req, project_org(app, component['project_id']))
        return component

    # -- deploy reads ------------------------------------------------------------------------

    @app.route('GET', r'/deploy/components')
    def list_components(app, req):
        tick(app)
        org = org_from_query(app, req)
        project_id = req.arg('project-id')
        if project_id is not None:
            project_id = require_uuid(project_id, 'project-id')
        items = []
        for component in app.state.deploy_components.values():
            org_of = project_org(app, component['project_id'])
            if org_of and org_of['id'] == org['id'] and project_id in (None, component['project_id']):
                # The live service answers release_count 0 in the list (api-notes.md).
                items.append(component_view(component, 0))
        return paginate(app, req, items)

    @app.route('GET', r'/deploy/components/(?P<component_id>[^/]+)')
    def get_component(app, req):
        tick(app)
        component = component_for(app, req)
        return 200, component_view(component, len(component['releases']))

    @app.route('GET', r'/deploy/components/(?P<component_id>[^/]+)/versions')
    def list_versions(app, req):
        tick(app)
        component = component_for(app, req)
        environment_id = req.arg('environment-id')
        if environment_id is not None:
            environment_id = require_uuid(environment_id, 'environment-id')
        return paginate(app, req, version_items(component, environment_id))

    @app.route('GET', r'/deploy/environments')
    def list_environments(app, req):
        org = org_from_query(app, req)
        items = [environment_view(e) for e in app.state.deploy_environments.values() if e['org_id'] == org['id']]
        return paginate(app, req, items)

    @app.route('GET', r'/deploy/environments/(?P<environment_id>[^/]+)')
    def get_environment(app, req):
        env = app.state.deploy_environments.get(require_uuid(req.params['environment_id'], 'environment_id'))
        if env is None:
            raise ApiError(404, 'Environment does not exist.')
        app.member_org(req, app.state.orgs.get(env['org_id']))
        return 200, environment_view(env)

    # -- rollback ------------------------------------------------------------------------------

    @app.route('POST', r'/projects/(?P<project_id>[^/]+)/rollback')
    def rollback(app, req):
        tick(app)
        body = req.json()
        project = app.state.projects.get((req.params['project_id'] or '').lower())
        if project is None:
            raise ApiError(404, 'Project does not exist.')
        app.member_org(req, app.state.orgs.get(project['org_id']))
        for name in ('component_name', 'environment_name', 'current_version', 'target_version'):
            value = body.get(name)
            if not isinstance(value, str) or not value.strip():
                raise ApiError(400, "'%s' is required and must be a non-empty string" % name)
        for name in ('namespace', 'reason'):
            if name in body and body[name] is not None and not isinstance(body[name], str):
                raise ApiError(400, "'%s' must be a string" % name)
        parameters = pipelines.check_parameters(body.get('parameters'))
        component = component_named(app, project['id'], body['component_name'])
        if component is None:
            raise ApiError(404, 'Component %s does not exist in this project.' % body['component_name'])
        env = environment_named(app, project['org_id'], body['environment_name'])
        if env is None:
            raise ApiError(404, 'Environment %s does not exist.' % body['environment_name'])
        for other in app.state.rollbacks.values():
            if other['project_id'] == project['id'] and other['status'] == 'running':
                raise ApiError(409, 'Another command is being handled for this project: try again once it is done.')
        live = live_releases(component).get(env['id'])
        if live is None or live['version'] != body['current_version']:
            raise ApiError(400, 'current_version %s is not the version deployed in %s (%s)' % (
                body['current_version'], env['name'], live['version'] if live else 'none'))
        if body['target_version'] == body['current_version']:
            raise ApiError(400, 'target_version is the version deployed already')
        if body['target_version'] not in set(r['version'] for r in component['releases']):
            raise ApiError(400, 'target_version %s is not a version of component %s' % (body['target_version'], component['name']))
        plan = find_rollback_plan(app, project['slug'], component['name'], env['name'])
        started = start_rollback(app, project, req.user, component, env, body['current_version'], body['target_version'],
                                 body.get('namespace'), body.get('reason'), parameters, plan)
        return 202, {'id': started['id'], 'rollback_type': started['rollback_type']}

    # -- cancel a job by its id ------------------------------------------------------------------

    @app.route('POST', r'/jobs/(?P<job_id>[^/]+)/cancel')
    def cancel_job_by_id(app, req):
        moment = pipelines.tick(app)
        job_id = require_uuid(req.params['job_id'], 'job-id')
        found = [(w, j) for w in app.state.workflows.values() for j in w['jobs'] if j['id'] == job_id]
        if not found:
            raise ApiError(404, 'Job not found')
        workflow, job = found[0]
        project = app.state.project_by_slug(workflow['project_slug'])
        app.member_org(req, app.state.orgs.get(project['org_id']))
        # As resources_pipelines' cancel by job number does.
        if job['status'] not in pipelines.FINISHED_JOB:
            job['status'], job['stopped'], job['canceled_by'] = 'canceled', moment, req.user['id']
            if job['started'] is not None and job['duration'] is not None:
                job['duration'] = moment - job['started']
            pipelines.advance_workflow(app, workflow, moment)
        return 200, {'message': 'Job cancelled.'}

    # -- usage exports -------------------------------------------------------------------------

    @app.route('POST', r'/organizations/(?P<org_id>[^/]+)/usage_export_job')
    def create_usage_export(app, req):
        moment = clock(app)
        org = org_from_path(app, req)
        body = req.json()
        for key in body:
            if key not in ('start', 'end', 'shared_org_ids'):
                raise ApiError(400, "Unexpected field '%s'." % key)
        for name in ('start', 'end'):
            if body.get(name) is None:
                raise ApiError(400, "'%s' is required" % name)
        start, end = parse_time(body['start'], 'start'), parse_time(body['end'], 'end')
        shared = body.get('shared_org_ids')
        if shared is not None:
            if not isinstance(shared, list) or not all(isinstance(s, str) for s in shared):
                raise ApiError(400, "'shared_org_ids' must be a list of organization IDs")
            shared = [require_uuid(s, 'shared_org_ids') for s in shared]
        if end <= start:
            raise ApiError(400, "'end' must be after 'start'")
        if end - start > MAX_WINDOW:
            raise ApiError(400, "'end' must be no more than 31 days after 'start'")
        if start > moment or end > moment:
            raise ApiError(400, 'The date range must not be in the future')
        if start < moment - MAX_LOOKBACK:
            raise ApiError(400, "'start' must be no more than one year ago")
        limit = int(app.config['usage_export_creates_per_hour'])
        recent = sorted(t for o, t in app.state.usage_creates if o == org['id'] and moment - 3600 < t <= moment)
        if limit and len(recent) >= limit:
            wait = max(1, int(math.ceil(recent[-limit] + 3600 - moment)))
            raise ApiError(429, 'Rate limit exceeded.', {'Retry-After': wait})
        app.state.usage_creates.append((org['id'], moment))
        export = new_export(app, org['id'], start, end, shared, moment, find_usage_plan(app, org['id']))
        return 201, {'usage_export_job_id': export['id'], 'state': 'created', 'start': export['start_text'],
                     'end': export['end_text'], 'download_urls': None}

    @app.route('GET', r'/organizations/(?P<org_id>[^/]+)/usage_export_job/(?P<job_id>[^/]+)')
    def get_usage_export(app, req):
        moment = clock(app)
        org = org_from_path(app, req)
        reads = app.state.usage_status_reads
        window = reads_in_window(reads, org['id'], moment)
        read = {'org_id': org['id'], 'usage_export_job_id': req.params['job_id'], 'time': moment, 'status': 200}
        reads.append(read)
        limit = int(app.config['usage_export_reads_per_minute'])
        req.extra.update(clock=stamp(moment), usage_reads_last_minute=len(window) + 1)
        if limit and len(window) >= limit:
            read['status'] = 429
            req.extra['usage_reads_last_minute'] = len(window)
            wait = max(1, int(math.ceil(sorted(window)[-limit] + 60 - moment)))
            raise ApiError(429, 'Rate limit exceeded.', {'Retry-After': wait})
        try:
            export = app.state.usage_exports.get(require_uuid(req.params['job_id'], 'usage_export_job_id'))
            if export is None or export['org_id'] != org['id']:
                raise ApiError(404, 'Usage export job does not exist.')
        except ApiError as exc:
            read['status'] = exc.status
            raise
        state = export_state(app, export, moment)
        answer = {'usage_export_job_id': export['id'], 'state': state, 'download_urls': None}
        if state == 'failed':
            answer['error_reason'] = export['error_reason']
        elif state == 'completed':
            urls = [signed_url(app, req, export, name, moment) for name in file_names(export)]
            if urls:
                answer['download_urls'] = urls
            else:
                empty = app.config['usage_export_no_files_as']
                if empty == 'empty':
                    answer['download_urls'] = []
                elif empty == 'absent':
                    del answer['download_urls']
        return 200, answer

    @app.file_route('GET', r'/_files/usage/(?P<job_id>[^/]+)/(?P<name>[^/]+)')
    def download_usage_file(app, req):
        moment = clock(app)
        job_id, name = req.params['job_id'], req.params['name']
        record = {'usage_export_job_id': job_id, 'name': name, 'circle_token': req.extra.get('circle_token', False),
                  'authorization': req.extra.get('authorization', False), 'at': stamp(moment), 'status': 200}
        app.state.usage_downloads.append(record)
        expires, nonce, given = req.arg('expires'), req.arg('nonce'), req.arg('signature')
        if not (expires and nonce and given):
            record['status'] = 403
            return storage_error(403, 'AccessDenied', 'Query-string authentication requires the expires, nonce and signature parameters')
        if not hmac.compare_digest(signature(app, req.path, expires, nonce), given):
            record['status'] = 403
            return storage_error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.')
        try:
            expired = float(expires) < moment
        except ValueError:
            expired = True
        if expired:
            record['status'] = 403
            return storage_error(403, 'AccessDenied', 'Request has expired')
        export = app.state.usage_exports.get(job_id)
        names = file_names(export) if export else []
        if name not in names:
            record['status'] = 404
            return storage_error(404, 'NoSuchKey', 'The specified key does not exist.')
        export['downloads'][name] = export['downloads'].get(name, 0) + 1
        headers = {'Content-Type': 'application/octet-stream'}
        if app.config['usage_file_content_encoding']:
            headers['Content-Encoding'] = 'gzip'
        return 200, usage_file_bytes(app, export, names.index(name)), headers

    # -- control: seeding and state ---------------------------------------------------------------

    def org_for_seed(app, obj, kind, default='gh/acme'):
        if obj.get('org_id'):
            org = app.state.orgs.get(obj['org_id'].lower())
        else:
            org = app.state.org_by_slug(obj.get('org_slug', default))
        if org is None:
            raise ApiError(400, '%s: unknown organization %s' % (kind, obj.get('org_id') or obj.get('org_slug')))
        return org

    def project_for_seed(app, obj, kind):
        if obj.get('project_id'):
            project = app.state.projects.get(obj['project_id'].lower())
        else:
            project = app.state.project_by_slug(obj.get('project_slug', 'gh/acme/api'))
        if project is None:
            raise ApiError(400, '%s: unknown project %s' % (kind, obj.get('project_id') or obj.get('project_slug')))
        return project

    def seed_release(app, component, obj, position, count, kind):
        version = obj.get('name') or obj.get('version')
        if not version:
            raise ApiError(400, '%s: a release needs a name (the version)' % kind)
        org_id = project_org(app, component['project_id'])['id']
        if obj.get('environment_id'):
            env = app.state.deploy_environments.get(obj['environment_id'].lower())
        else:
            env = environment_named(app, org_id, obj.get('environment', 'production'))
        if env is None or env['org_id'] != org_id:
            raise ApiError(400, '%s: unknown environment %s in the component\'s organization' % (
                kind, obj.get('environment_id') or obj.get('environment', 'production')))
        age = float(obj['age']) if 'age' in obj else 60.0 * (count - position)
        return add_release(app, component, version, env, time.time() - age, namespace=obj.get('namespace'),
                           pipeline_id=obj.get('pipeline_id'), workflow_id=obj.get('workflow_id'),
                           job_id=obj.get('job_id'), job_number=obj.get('job_number'))

    def seed_environment(app, obj):
        org = org_for_seed(app, obj, 'deploy_environments')
        if not obj.get('name'):
            raise ApiError(400, 'deploy_environments: name is required')
        env = add_environment(app, org, obj['name'], obj.get('description'), obj.get('labels'), obj.get('id'),
                              time.time() - float(obj.get('age', 0)))
        return dict(environment_view(env), org_id=org['id'])

    def seed_component(app, obj):
        project = project_for_seed(app, obj, 'deploy_components')
        if not obj.get('name'):
            raise ApiError(400, 'deploy_components: name is required')
        versions = obj.get('versions') or []
        component = add_component(app, project, obj['name'], obj.get('labels'), obj.get('id'),
                                  time.time() - float(obj.get('age', 60.0 * (len(versions) + 1))))
        for position, release in enumerate(versions):
            seed_release(app, component, release, position, len(versions), 'deploy_components')
        return dict(component_view(component, len(component['releases'])), versions=version_items(component))

    def seed_version(app, obj):
        if obj.get('component_id'):
            component = app.state.deploy_components.get(obj['component_id'].lower())
        else:
            component = component_named(app, project_for_seed(app, obj, 'deploy_versions')['id'], obj.get('component'))
        if component is None:
            raise ApiError(400, 'deploy_versions: unknown component %s' % (obj.get('component_id') or obj.get('component')))
        obj = dict(obj)
        obj.setdefault('age', 0)
        seed_release(app, component, obj, 0, 1, 'deploy_versions')
        return dict(component_view(component, len(component['releases'])), versions=version_items(component))

    def seed_rollback_plan(app, obj):
        plan = copy.deepcopy(obj)
        unknown = set(plan) - {'project_slug', 'component_name', 'environment_name', 'workflows', 'errors'}
        if unknown:
            raise ApiError(400, 'rollback_plans: unknown keys %s' % ', '.join(sorted(unknown)))
        if 'workflows' in plan:
            pipelines.check_workflows(plan['workflows'], 'rollback_plans')
        app.state.rollback_plans.append(plan)
        return plan

    def seed_rollback(app, obj):
        tick(app)
        project = project_for_seed(app, obj, 'rollbacks')
        component = component_named(app, project['id'], obj.get('component_name', 'api-server'))
        env = environment_named(app, project['org_id'], obj.get('environment_name', 'production'))
        if component is None or env is None:
            raise ApiError(400, 'rollbacks: unknown component or environment')
        live = live_releases(component).get(env['id'])
        current = obj.get('current_version') or (live['version'] if live else '')
        target = obj.get('target_version')
        if not target:
            others = [r['version'] for r in reversed(component['releases']) if r['version'] != current]
            if not others:
                raise ApiError(400, 'rollbacks: component %s has no other version to roll back to' % component['name'])
            target = others[0]
        if obj.get('workflows'):
            pipelines.check_workflows(obj['workflows'], 'rollbacks')
            plan = {'workflows': copy.deepcopy(obj['workflows'])}
        else:
            plan = {'workflows': [{'name': 'rollback', 'jobs': [{'name': 'rollback', 'duration': float(obj.get('duration', 3600))}]}]}
        started = start_rollback(app, project, app.state.tokens[app.token], component, env, current, target,
                                 obj.get('namespace'), obj.get('reason'), pipelines.check_parameters(obj.get('parameters')), plan)
        if started['pipeline_id']:
            # As a seeded pipeline: its workflows exist from the start.
            pipeline = app.state.pipelines[started['pipeline_id']]
            pipeline['ready_at'] = pipeline['created']
            pipelines.advance_pipeline(app, pipeline, time.time())
        return {'id': started['id'], 'rollback_type': started['rollback_type'], 'pipeline_id': started['pipeline_id']}

    def seed_usage_plan(app, obj):
        plan = copy.deepcopy(obj)
        unknown = set(plan) - {'org_slug', 'org_id', 'outcome', 'error_reason', 'files', 'rows'}
        if unknown:
            raise ApiError(400, 'usage_export_plans: unknown keys %s' % ', '.join(sorted(unknown)))
        if plan.get('outcome', 'completed') not in ('completed', 'failed'):
            raise ApiError(400, 'usage_export_plans: outcome must be completed or failed')
        if 'org_slug' in plan or 'org_id' in plan:
            plan['org_id'] = org_for_seed(app, plan, 'usage_export_plans')['id']
            plan.pop('org_slug', None)
        app.state.usage_export_plans.append(plan)
        return plan

    def seed_usage_export(app, obj):
        org = org_for_seed(app, obj, 'usage_exports')
        moment = clock(app)
        end = parse_time(obj['end'], 'end') if obj.get('end') else moment - 3600
        start = parse_time(obj['start'], 'start') if obj.get('start') else end - 7 * DAY
        plan = dict(find_usage_plan(app, org['id']))
        for key in ('outcome', 'error_reason', 'files', 'rows'):
            if key in obj:
                plan[key] = obj[key]
        if plan.get('outcome', 'completed') not in ('completed', 'failed'):
            raise ApiError(400, 'usage_exports: outcome must be completed or failed')
        shared = [s.lower() for s in obj.get('shared_org_ids') or []]
        export = new_export(app, org['id'], start, end, shared, moment - float(obj.get('age', 3600)), plan)
        return {'usage_export_job_id': export['id'], 'org_id': org['id'], 'state': export_state(app, export, moment)}

    app.seeders.update(deploy_environments=seed_environment, deploy_components=seed_component, deploy_versions=seed_version,
                       rollback_plans=seed_rollback_plan, rollbacks=seed_rollback, usage_export_plans=seed_usage_plan,
                       usage_exports=seed_usage_export)

    def dump(app, secrets):  # pylint: disable=unused-argument
        tick(app)
        moment = clock(app)
        exports = []
        for export in app.state.usage_exports.values():
            view = export_view(app, export, moment)
            view['files'] = []
            for index, name in enumerate(file_names(export)):
                text = usage_csv(app, export, index).encode('utf-8')
                view['files'].append({'name': name, 'rows': export['rows'], 'size': len(text),
                                      'sha256': hashlib.sha256(text).hexdigest(), 'downloads': export['downloads'].get(name, 0)})
            exports.append(view)
        reads = app.state.usage_status_reads
        per_org = {}
        for read in reads:
            if read['status'] != 429:
                per_org.setdefault(read['org_id'], []).append(read['time'])
        return {
            'deploy_environments': [dict(environment_view(e), org_id=e['org_id']) for e in app.state.deploy_environments.values()],
            'deploy_components': [dict(component_view(c, len(c['releases'])), versions=version_items(c))
                                  for c in app.state.deploy_components.values()],
            'rollbacks': [rollback_view(r) for r in app.state.rollbacks.values()],
            'rollback_plans': copy.deepcopy(app.state.rollback_plans),
            'usage_exports': exports,
            'usage_export_plans': copy.deepcopy(app.state.usage_export_plans),
            'usage_export_status_reads': [dict(r, at=stamp(r['time'])) for r in reads],
            'usage_export_max_reads_per_minute': dict((org, max_per_minute(times)) for org, times in per_org.items()),
            'usage_downloads': [dict(d) for d in app.state.usage_downloads],
        }
    app.state_dumpers.append(dump)
