# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pipelines, workflows and jobs: trigger, continue, read, approve, cancel, rerun.

Time moves on its own: nothing runs in the background. Every request first brings every
pipeline up to the present (``tick``), so a job that started ``job_seconds`` ago is finished
when it is next read. Test config keys (``POST /_standin/config`` or reset config):

- ``pipeline_setup_seconds`` (0.2): a triggered pipeline stays ``pending`` with no workflow
  for that long, then its workflows appear.
- ``job_seconds`` (0.3): how long a build job runs unless its plan says ``duration``.

What a triggered pipeline does is chosen by a *plan*, never by API input (CircleCI refuses
unknown pipeline parameters, so the tests must not smuggle outcomes through them). Seed plans
with ``POST /_standin/seed {"pipeline_plans": [plan, ...]}``. A plan::

    {
      "project_slug": "gh/acme/api",   # optional: only this project (default: every project)
      "branch": "deploy-fail",         # optional: only this branch; or "tag": "v1.0"
      "workflows": [                   # default: DEFAULT_WORKFLOWS (build -> test, both pass)
        {"name": "deploy", "jobs": [
          {"name": "build"},                                        # build job, success
          {"name": "hold", "type": "approval", "requires": ["build"]},
          {"name": "ship", "requires": ["hold"], "outcome": "failed",
           "duration": 0.5, "rerun_outcome": "success",
           "artifacts": ["out/report.html"],
           "tests": [{"name": "test_ship", "result": "failure", "message": "boom"}]}
        ]}
      ],
      "parameters": {"deploy_prod": "boolean", "env": {"type": "string", "default": "staging"}},
      "errors": [{"type": "config", "message": "..."}],   # the pipeline ends "errored"
      "setup": true,                   # a setup pipeline: state "setup", a continuation key,
      "continue_workflows": [...]      # and these workflows once continued (default: DEFAULT)
    }

Job keys: ``name``; ``type`` ``build`` (default) or ``approval``; ``requires`` (job names,
which must succeed first); ``outcome`` ``success`` (default), ``failed``,
``infrastructure_fail`` or ``timedout``; ``rerun_outcome`` (default: ``outcome``) for jobs run
again by a workflow rerun; ``duration`` seconds; ``artifacts`` (paths) and ``tests`` (dicts of
the test metadata fields); ``release`` (``{component, environment, version, namespace?}``: a
deploy job, which makes that version live when it succeeds; see resources_deploys.py). The most specific plan wins (project and ref, then ref, then
project); among equals the last seeded. ``parameters`` declares the pipeline parameters the
project's config takes (type ``string``, ``boolean``, ``integer`` or ``enum`` with
``enum: [...]``); without it, DEFAULT_PARAMETERS. A trigger naming any other parameter, or a
value of the wrong type, answers 400 as CircleCI does.

``POST /_standin/seed {"pipelines": [obj, ...]}`` creates pipelines directly, for read tests.
An object: ``project_slug`` (default ``gh/acme/api``), ``branch`` or ``tag`` (default: the
project's default branch), ``parameters`` (dict, not checked), ``actor`` (a login; default the
token's user, who is then also its "mine" owner), ``workflows`` and ``errors`` and ``setup``
as in a plan (default: the matching plan, else DEFAULT_WORKFLOWS), ``age`` seconds in the past
it was created (default 3600: long enough for every job to be finished; use ``0`` for a running
one). Its workflows exist from its creation (no ``pending`` phase). It answers ``{id, number, state, created_at, project_slug, continuation_key (setup only),
workflows: [{id, name, status, jobs: [{id, name, type, status, job_number,
approval_request_id}]}]}``.

``GET /_standin/state`` adds ``pipelines`` (each with its workflows and their jobs; the
continuation key masked unless ``?secrets=1``) and ``pipeline_plans``.

Behaviour, as the reference and api-notes.md give it:

- Trigger answers 201 ``{id, state: "pending", number, created_at}``; branch and tag are
  mutually exclusive (400); parameters are limited to 100 entries, 128-character names and
  512-character values (400).
- Workflow approve/cancel/rerun answer 202. Approve needs the approval job's
  ``approval_request_id`` (distinct from the job's ``id`` here, so a client that confuses them
  fails) and a job that is ``on_hold``: otherwise 400. Cancelling a finished workflow or job is
  accepted and does nothing.
- Rerun: ``from_failed`` excludes ``jobs``; ``enable_ssh`` and ``sparse_tree`` need ``jobs``;
  ``jobs`` are job UUIDs of that workflow; a workflow still running cannot be rerun;
  ``from_failed`` needs a failed workflow. All 400. A rerun makes a new workflow (new id, same
  name) in the same pipeline: ``from_failed`` keeps the jobs that succeeded and runs the failed
  ones and those after them again; ``jobs`` runs those jobs and the jobs after them again.
- ``POST /pipeline/continue``: the key must belong to a pipeline in state ``setup`` and not be
  used yet (400 otherwise); ``configuration`` must be a non-empty string (400).
- Job numbers are given when a build job starts (per project, ascending); a job that waits for
  others is ``blocked``, an approval job waiting for a person ``on_hold``; a job after a failed
  or canceled one ends ``not_run``.
- Lists are newest first, paginated with the server's small page size.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import collections
import copy
import datetime
import hashlib
import time

from server import ApiError, mask, new_id, require_uuid

SLUG = r'(?P<slug>[^/]+/[^/]+/[^/]+)'

DEFAULT_WORKFLOWS = [
    {'name': 'build-and-test', 'jobs': [
        {'name': 'build'},
        {'name': 'test', 'requires': ['build']},
    ]},
]
DEFAULT_PARAMETERS = {
    'deploy_prod': {'type': 'boolean', 'default': False},
    'environment': {'type': 'string', 'default': 'staging'},
    'replicas': {'type': 'integer', 'default': 1},
}
CONFIG_DEFAULTS = {'pipeline_setup_seconds': 0.2, 'job_seconds': 0.3}

FINISHED_JOB = frozenset(('success', 'failed', 'not_run', 'canceled', 'infrastructure_fail', 'timedout',
                          'unauthorized', 'terminated-unknown', 'retried'))
FAILED_JOB = frozenset(('failed', 'infrastructure_fail', 'timedout', 'terminated-unknown'))
OUTCOMES = frozenset(('success', 'failed', 'infrastructure_fail', 'timedout'))
FINISHED_WORKFLOW = frozenset(('success', 'not_run', 'failed', 'error', 'canceled', 'unauthorized'))
PROVIDER_PATH = {'gh': 'github', 'github': 'github', 'bb': 'bitbucket', 'bitbucket': 'bitbucket'}


def stamp(moment):
    """RFC 3339 in UTC with milliseconds for a time.time() value; None stays None."""
    if moment is None:
        return None
    value = datetime.datetime.fromtimestamp(moment, datetime.timezone.utc)
    return value.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (value.microsecond // 1000)


# -- plans -------------------------------------------------------------------------------------

def check_workflows(workflows, where):
    """Validate a plan's workflows (a seeding error is the test's bug: say so loudly)."""
    if not isinstance(workflows, list):
        raise ApiError(400, '%s: workflows must be a list' % where)
    for workflow in workflows:
        if not isinstance(workflow, dict) or not workflow.get('name'):
            raise ApiError(400, '%s: every workflow needs a name' % where)
        names = [job.get('name') for job in workflow.get('jobs') or []]
        if not names or not all(names) or len(set(names)) != len(names):
            raise ApiError(400, '%s: workflow %s needs jobs with unique names' % (where, workflow['name']))
        for job in workflow['jobs']:
            if job.get('type', 'build') not in ('build', 'approval'):
                raise ApiError(400, '%s: job %s: type must be build or approval' % (where, job['name']))
            for key in ('outcome', 'rerun_outcome'):
                if job.get(key, 'success') not in OUTCOMES:
                    raise ApiError(400, '%s: job %s: %s must be one of %s' % (where, job['name'], key, ', '.join(sorted(OUTCOMES))))
            for required in job.get('requires') or []:
                if required not in names:
                    raise ApiError(400, '%s: job %s requires unknown job %s' % (where, job['name'], required))
            release = job.get('release')
            if release is not None and not (isinstance(release, dict) and all(
                    isinstance(release.get(key), str) and release[key] for key in ('component', 'environment', 'version'))):
                raise ApiError(400, '%s: job %s: release needs component, environment and version (strings)' % (where, job['name']))


def find_plan(app, project_slug, branch, tag):
    best, best_score = None, -1
    for plan in app.state.pipeline_plans:
        if plan.get('project_slug') and plan['project_slug'].lower() != project_slug.lower():
            continue
        if 'branch' in plan and (tag is not None or plan['branch'] != branch):
            continue
        if 'tag' in plan and plan['tag'] != tag:
            continue
        score = (2 if ('branch' in plan or 'tag' in plan) else 0) + (1 if plan.get('project_slug') else 0)
        if score >= best_score:
            best, best_score = plan, score
    return best or {}


def declared_parameters(plan):
    declared = {}
    for name, spec in (plan.get('parameters') or DEFAULT_PARAMETERS).items():
        declared[name] = {'type': spec} if isinstance(spec, str) else dict(spec)
    return declared


def check_parameters(parameters, declared=None):
    """Refuse parameters as CircleCI does: size limits, unknown names, wrong types."""
    if parameters is None:
        return {}
    if not isinstance(parameters, dict):
        raise ApiError(400, 'parameters must be an object')
    if len(parameters) > 100:
        raise ApiError(400, 'Too many pipeline parameters: at most 100 are allowed')
    for name, value in parameters.items():
        if len(name) > 128:
            raise ApiError(400, 'Pipeline parameter names are limited to 128 characters')
        if isinstance(value, bool) or isinstance(value, int):
            pass
        elif isinstance(value, str):
            if len(value) > 512:
                raise ApiError(400, 'Pipeline parameter values are limited to 512 characters')
        else:
            raise ApiError(400, 'Pipeline parameter %s must be a string, an integer or a boolean' % name)
    if declared is None:
        return dict(parameters)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ApiError(400, 'Unexpected argument(s): %s' % ', '.join(unknown))
    for name, value in parameters.items():
        kind = declared[name].get('type', 'string')
        good = {
            'boolean': isinstance(value, bool),
            'integer': isinstance(value, int) and not isinstance(value, bool),
            'string': isinstance(value, str),
            'enum': isinstance(value, str) and value in (declared[name].get('enum') or []),
        }.get(kind, True)
        if not good:
            raise ApiError(400, "Parameter '%s' expects a value of type %s, got %r" % (name, kind, value))
    return dict(parameters)


# -- the model ---------------------------------------------------------------------------------

def next_number(counters, slug):
    key = slug.lower()
    counters[key] = counters.get(key, 0) + 1
    return counters[key]


def make_workflow(app, pipeline, spec, start, tag=None):
    workflow = {
        'id': new_id(), 'name': spec['name'], 'pipeline_id': pipeline['id'], 'project_slug': pipeline['project_slug'],
        'pipeline_number': pipeline['number'], 'start': start, 'tag': tag, 'started_by': pipeline['actor_id'],
        'canceled_by': None, 'cancel_at': None, 'jobs': [],
    }
    for job_spec in spec['jobs']:
        workflow['jobs'].append(make_job(app, workflow, job_spec))
    for job in workflow['jobs']:
        job['dependencies'] = [j['id'] for j in workflow['jobs'] if j['name'] in job['requires']]
    app.state.workflows[workflow['id']] = workflow
    pipeline['workflow_ids'].append(workflow['id'])
    return workflow


def make_job(app, workflow, spec):
    kind = spec.get('type', 'build')
    return {
        'id': new_id(), 'name': spec['name'], 'type': kind, 'requires': list(spec.get('requires') or []),
        'outcome': spec.get('outcome', 'success'), 'rerun_outcome': spec.get('rerun_outcome', spec.get('outcome', 'success')),
        'duration': spec.get('duration'), 'artifacts': list(spec.get('artifacts') or []),
        'tests': list(spec.get('tests') or []), 'status': 'blocked', 'job_number': None,
        'approval_request_id': new_id() if kind == 'approval' else None, 'approved_by': None, 'canceled_by': None,
        'created': workflow['start'], 'started': None, 'stopped': None, 'workflow_id': workflow['id'],
        'project_slug': workflow['project_slug'], 'ssh': False, 'spec': dict(spec),
    }


def job_by_name(workflow, name):
    for job in workflow['jobs']:
        if job['name'] == name:
            return job
    return None


def advance_workflow(app, workflow, moment):
    """Bring a workflow's jobs up to ``moment``: finish, start, hold or skip them as due."""
    changed = True
    while changed:
        changed = False
        for job in workflow['jobs']:
            status = job['status']
            if status in FINISHED_JOB or status == 'on_hold':
                continue
            if status == 'running':
                if job['duration'] is not None and job['started'] + job['duration'] <= moment:
                    job['status'] = job['outcome']
                    job['stopped'] = job['started'] + job['duration']
                    changed = True
                continue
            deps = [job_by_name(workflow, name) for name in job['requires']]
            if any(dep['status'] in FINISHED_JOB and dep['status'] != 'success' for dep in deps):
                job['status'] = 'not_run'
                changed = True
            elif all(dep['status'] == 'success' for dep in deps):
                # Kept jobs of a rerun stopped before the new workflow began.
                ready = max([dep['stopped'] for dep in deps] + [workflow['start']])
                if ready > moment:
                    continue
                job['started'] = ready
                if job['type'] == 'approval':
                    job['status'] = 'on_hold'
                else:
                    job['status'] = 'running'
                    job['job_number'] = next_number(app.state.job_numbers, workflow['project_slug'])
                    app.state.jobs_by_number[(workflow['project_slug'].lower(), job['job_number'])] = job
                    if job['duration'] is None:
                        job['duration'] = float(app.config['job_seconds'])
                changed = True


def workflow_status(workflow):
    statuses = [job['status'] for job in workflow['jobs']]
    failed = any(s in FAILED_JOB for s in statuses)
    if all(s in FINISHED_JOB for s in statuses):
        if failed:
            return 'failed'
        if 'canceled' in statuses or workflow['cancel_at'] is not None:
            return 'canceled'
        if all(s == 'not_run' for s in statuses):
            return 'not_run'
        return 'success'
    if failed:
        return 'failing'
    if 'on_hold' in statuses and 'running' not in statuses:
        return 'on_hold'
    return 'running'


def workflow_stopped(workflow):
    if workflow_status(workflow) not in FINISHED_WORKFLOW:
        return None
    stops = [job['stopped'] for job in workflow['jobs'] if job['stopped'] is not None]
    return max(stops + [workflow['cancel_at'] or workflow['start']])


def advance_pipeline(app, pipeline, moment):
    if pipeline['state'] == 'pending' and moment >= pipeline['ready_at']:
        plan = pipeline['plan']
        if plan.get('errors'):
            pipeline['state'] = 'errored'
            pipeline['errors'] = [dict(e) for e in plan['errors']]
        elif plan.get('setup'):
            pipeline['state'] = 'setup'
            pipeline['continuation_key'] = 'ck_' + new_id().replace('-', '')
            workflow = make_workflow(app, pipeline, {'name': 'setup', 'jobs': [{'name': 'setup'}]},
                                     pipeline['ready_at'], tag='setup')
            # The setup job runs until the pipeline is continued (CircleCI's own limit is hours).
            workflow['jobs'][0]['duration'] = None
            workflow['jobs'][0]['status'] = 'running'
            workflow['jobs'][0]['started'] = pipeline['ready_at']
            workflow['jobs'][0]['job_number'] = next_number(app.state.job_numbers, pipeline['project_slug'])
            app.state.jobs_by_number[(pipeline['project_slug'].lower(), workflow['jobs'][0]['job_number'])] = workflow['jobs'][0]
        else:
            pipeline['state'] = 'created'
            for spec in plan.get('workflows') or DEFAULT_WORKFLOWS:
                make_workflow(app, pipeline, spec, pipeline['ready_at'])
        pipeline['updated'] = pipeline['ready_at']
    for workflow_id in pipeline['workflow_ids']:
        advance_workflow(app, app.state.workflows[workflow_id], moment)


def tick(app):
    moment = time.time()
    for pipeline in app.state.pipelines.values():
        advance_pipeline(app, pipeline, moment)
    return moment


def create_pipeline(app, project, user, branch=None, tag=None, parameters=None, plan=None, created=None, actor=None):
    created = time.time() if created is None else created
    if branch is None and tag is None:
        branch = project['vcs_info']['default_branch']
    plan = plan if plan is not None else find_plan(app, project['slug'], branch, tag)
    revision = hashlib.sha1(('%s:%s:%s' % (project['slug'], branch or tag, created)).encode('utf-8')).hexdigest()
    pipeline = {
        'id': new_id(), 'number': next_number(app.state.pipeline_numbers, project['slug']),
        'project_slug': project['slug'], 'project_id': project['id'], 'org_id': project['org_id'],
        'state': 'pending', 'created': created, 'updated': created,
        'ready_at': created + float(app.config['pipeline_setup_seconds']),
        'branch': branch, 'tag': tag, 'parameters': dict(parameters or {}), 'revision': revision,
        'actor_login': actor or user['login'], 'actor_id': user['id'] if not actor or actor == user['login'] else new_id(),
        'errors': [], 'plan': copy.deepcopy(plan), 'workflow_ids': [], 'continuation_key': None, 'continued': False,
        'vcs_url': project['vcs_info']['vcs_url'], 'provider': project['vcs_info']['provider'],
    }
    app.state.pipelines[pipeline['id']] = pipeline
    return pipeline


# -- views -------------------------------------------------------------------------------------

def pipeline_view(pipeline):
    vcs = {
        'provider_name': pipeline['provider'], 'target_repository_url': pipeline['vcs_url'],
        'origin_repository_url': pipeline['vcs_url'], 'revision': pipeline['revision'],
        'commit': {'subject': 'Stand-in commit %s' % pipeline['revision'][:7], 'body': ''},
    }
    if pipeline['tag'] is not None:
        vcs['tag'] = pipeline['tag']
    else:
        vcs['branch'] = pipeline['branch']
    git = dict((k, v) for k, v in (('branch', pipeline['branch']), ('tag', pipeline['tag'])) if v is not None)
    git.update(checkout_sha=pipeline['revision'], repo_url=pipeline['vcs_url'])
    return {
        'id': pipeline['id'], 'errors': [dict(e) for e in pipeline['errors']], 'project_slug': pipeline['project_slug'],
        'updated_at': stamp(pipeline['updated']), 'number': pipeline['number'],
        'trigger_parameters': {'circleci': {'event_type': 'api', 'trigger_type': 'api', 'actor_id': pipeline['actor_id']},
                               'git': git},
        'state': pipeline['state'], 'created_at': stamp(pipeline['created']),
        'trigger': {'type': 'api', 'received_at': stamp(pipeline['created']),
                    'actor': {'login': pipeline['actor_login'],
                              'avatar_url': 'https://avatars.example/%s' % pipeline['actor_login']}},
        'vcs': vcs,
    }


def workflow_view(workflow):
    view = {
        'pipeline_id': workflow['pipeline_id'], 'id': workflow['id'], 'name': workflow['name'],
        'project_slug': workflow['project_slug'], 'status': workflow_status(workflow),
        'started_by': workflow['started_by'], 'pipeline_number': workflow['pipeline_number'],
        'created_at': stamp(workflow['start']), 'stopped_at': stamp(workflow_stopped(workflow)),
    }
    if workflow['tag']:
        view['tag'] = workflow['tag']
    if workflow['canceled_by']:
        view['canceled_by'] = workflow['canceled_by']
    return view


def job_item_view(job):
    view = {
        'id': job['id'], 'name': job['name'], 'type': job['type'], 'status': job['status'],
        'started_at': stamp(job['started']), 'stopped_at': stamp(job['stopped']),
        'dependencies': list(job['dependencies']), 'project_slug': job['project_slug'],
    }
    if job['job_number'] is not None:
        view['job_number'] = job['job_number']
    if job['approval_request_id']:
        view['approval_request_id'] = job['approval_request_id']
    if job['approved_by']:
        view['approved_by'] = job['approved_by']
    if job['canceled_by']:
        view['canceled_by'] = job['canceled_by']
    return view


def web_url(job, workflow):
    parts = job['project_slug'].split('/')
    return 'https://app.circleci.com/pipelines/%s/%s/%s/%d/workflows/%s/jobs/%d' % (
        PROVIDER_PATH.get(parts[0], parts[0]), parts[1], parts[2], workflow['pipeline_number'], workflow['id'],
        job['job_number'])


def job_detail_view(app, job):
    workflow = app.state.workflows[job['workflow_id']]
    project = app.state.project_by_slug(job['project_slug'])
    org = app.state.orgs.get(project['org_id'])
    duration = None
    if job['stopped'] is not None and job['started'] is not None:
        duration = int(round((job['stopped'] - job['started']) * 1000))
    return {
        'web_url': web_url(job, workflow),
        'project': {'id': project['id'], 'slug': project['slug'], 'name': project['name'],
                    'external_url': project['vcs_info']['vcs_url']},
        'parallel_runs': [{'index': 0, 'status': job['status']}],
        'started_at': stamp(job['started']), 'latest_workflow': {'id': workflow['id'], 'name': workflow['name']},
        'name': job['name'], 'executor': {'resource_class': 'medium', 'type': 'docker'}, 'parallelism': 1,
        'status': job['status'], 'number': job['job_number'], 'pipeline': {'id': workflow['pipeline_id']},
        'duration': duration, 'created_at': stamp(job['created']),
        'messages': [{'type': 'info', 'message': 'SSH enabled for this rerun', 'reason': 'rerun'}] if job['ssh'] else [],
        'contexts': [], 'organization': {'name': org['name'] if org else ''},
        'queued_at': stamp(job['started']), 'stopped_at': stamp(job['stopped']),
    }


def config_text(workflows):
    lines = ['version: 2.1', 'jobs:']
    names = []
    for workflow in workflows:
        for job in workflow['jobs']:
            if job.get('type', 'build') == 'build' and job['name'] not in names:
                names.append(job['name'])
    for name in names:
        lines += ['  %s:' % name, '    docker:', '      - image: cimg/base:stable', '    steps:',
                  '      - run: echo %s' % name]
    lines.append('workflows:')
    for workflow in workflows:
        lines += ['  %s:' % workflow['name'], '    jobs:']
        for job in workflow['jobs']:
            extra = []
            if job.get('type') == 'approval':
                extra.append('          type: approval')
            if job.get('requires'):
                extra.append('          requires: [%s]' % ', '.join(job['requires']))
            lines.append('      - %s%s' % (job['name'], ':' if extra else ''))
            lines.extend(extra)
    return '\n'.join(lines) + '\n'


# -- the routes ----------------------------------------------------------------------------------

def register(app):
    from resources_core import project_for

    def reset(app):
        for key, value in CONFIG_DEFAULTS.items():
            app.config.setdefault(key, value)
        app.state.pipelines = collections.OrderedDict()
        app.state.workflows = collections.OrderedDict()
        app.state.pipeline_numbers = {}
        app.state.job_numbers = {}
        app.state.jobs_by_number = {}
        app.state.pipeline_plans = []
    app.on_reset(reset)

    def pipeline_for(app, req):
        pipeline = app.state.pipelines.get(require_uuid(req.params['pipeline_id'], 'pipeline-id'))
        if pipeline is None:
            raise ApiError(404, 'Pipeline not found')
        app.member_org(req, app.state.orgs.get(pipeline['org_id']))
        return pipeline

    def workflow_for(app, req):
        workflow = app.state.workflows.get(require_uuid(req.params['workflow_id'], 'id'))
        if workflow is None:
            raise ApiError(404, 'Workflow not found')
        project = app.state.project_by_slug(workflow['project_slug'])
        app.member_org(req, app.state.orgs.get(project['org_id']))
        return workflow

    def job_for(app, req):
        project = project_for(app, req)
        try:
            number = int(req.params['number'])
        except ValueError:
            raise ApiError(404, 'Job not found')
        job = app.state.jobs_by_number.get((project['slug'].lower(), number))
        if job is None:
            raise ApiError(404, 'Job not found')
        return job

    def newest_first(pipelines):
        return sorted(pipelines, key=lambda p: (p['created'], p['number']), reverse=True)

    # -- pipelines -----------------------------------------------------------------------

    @app.route('GET', r'/pipeline')
    def list_pipelines(app, req):
        tick(app)
        slug = req.arg('org-slug')
        if slug:
            org = app.state.org_by_slug(slug)
            if org is None:
                raise ApiError(404, 'Organization not found')
            app.member_org(req, org)
            orgs = {org['id']}
        else:
            orgs = set(req.user['orgs'])
        mine = req.flag('mine')
        items = [p for p in app.state.pipelines.values() if p['org_id'] in orgs
                 and (not mine or p['actor_id'] == req.user['id'])]
        return app.paginate(req, [pipeline_view(p) for p in newest_first(items)])

    @app.route('POST', r'/pipeline/continue')
    def continue_pipeline(app, req):
        tick(app)
        body = req.json()
        key = body.get('continuation-key')
        configuration = body.get('configuration')
        if not isinstance(key, str) or not key:
            raise ApiError(400, 'continuation-key is required')
        if not isinstance(configuration, str) or not configuration.strip():
            raise ApiError(400, 'configuration is required')
        parameters = check_parameters(body.get('parameters'))
        for pipeline in app.state.pipelines.values():
            if pipeline['continuation_key'] == key:
                break
        else:
            # CircleCI echoes the key it refuses (issue 13): a client must keep it out of every output.
            raise ApiError(400, 'Invalid continuation key %s' % key)
        if pipeline['continued'] or pipeline['state'] != 'setup':
            raise ApiError(400, 'This pipeline has already been continued: a continuation key can be used once')
        moment = time.time()
        pipeline['continued'] = True
        pipeline['continued_with'] = {'configuration': configuration, 'parameters': parameters}
        pipeline['state'] = 'created'
        pipeline['updated'] = moment
        setup = app.state.workflows[pipeline['workflow_ids'][0]]['jobs'][0]
        setup['status'], setup['stopped'] = 'success', moment
        setup['duration'] = moment - setup['started']
        for spec in pipeline['plan'].get('continue_workflows') or DEFAULT_WORKFLOWS:
            make_workflow(app, pipeline, spec, moment)
        return 200, {'message': 'Pipeline continued.'}

    @app.route('GET', r'/pipeline/(?P<pipeline_id>[^/]+)')
    def get_pipeline(app, req):
        tick(app)
        return 200, pipeline_view(pipeline_for(app, req))

    @app.route('GET', r'/pipeline/(?P<pipeline_id>[^/]+)/config')
    def get_pipeline_config(app, req):
        tick(app)
        pipeline = pipeline_for(app, req)
        plan = pipeline['plan']
        if plan.get('setup'):
            setup = config_text([{'name': 'setup', 'jobs': [{'name': 'setup'}]}]).replace('version: 2.1\n', 'version: 2.1\nsetup: true\n')
            continued = pipeline.get('continued_with', {}).get('configuration', '')
            return 200, {'source': continued, 'compiled': continued, 'setup-config': setup, 'compiled-setup-config': setup}
        source = '' if plan.get('errors') else config_text(plan.get('workflows') or DEFAULT_WORKFLOWS)
        return 200, {'source': source, 'compiled': source}

    @app.route('GET', r'/pipeline/(?P<pipeline_id>[^/]+)/workflow')
    def list_pipeline_workflows(app, req):
        tick(app)
        pipeline = pipeline_for(app, req)
        items = [workflow_view(app.state.workflows[w]) for w in reversed(pipeline['workflow_ids'])]
        return app.paginate(req, items)

    @app.route('GET', r'/project/' + SLUG + r'/pipeline/mine')
    def list_my_project_pipelines(app, req):
        tick(app)
        project = project_for(app, req)
        items = [p for p in app.state.pipelines.values()
                 if p['project_id'] == project['id'] and p['actor_id'] == req.user['id']]
        return app.paginate(req, [pipeline_view(p) for p in newest_first(items)])

    @app.route('GET', r'/project/' + SLUG + r'/pipeline')
    def list_project_pipelines(app, req):
        tick(app)
        project = project_for(app, req)
        branch = req.arg('branch')
        items = [p for p in app.state.pipelines.values()
                 if p['project_id'] == project['id'] and (branch is None or p['branch'] == branch)]
        return app.paginate(req, [pipeline_view(p) for p in newest_first(items)])

    @app.route('POST', r'/project/' + SLUG + r'/pipeline')
    def trigger_pipeline(app, req):
        tick(app)
        project = project_for(app, req)
        body = req.json(required=False)
        branch, tag = body.get('branch'), body.get('tag')
        if branch is not None and tag is not None:
            raise ApiError(400, 'branch and tag are mutually exclusive: specify only one')
        for name, value in (('branch', branch), ('tag', tag)):
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ApiError(400, '%s must be a non-empty string' % name)
        plan = find_plan(app, project['slug'], branch if branch is not None or tag is not None
                         else project['vcs_info']['default_branch'], tag)
        parameters = check_parameters(body.get('parameters'), declared_parameters(plan))
        pipeline = create_pipeline(app, project, req.user, branch, tag, parameters, plan=plan)
        return 201, {'id': pipeline['id'], 'state': pipeline['state'], 'number': pipeline['number'],
                     'created_at': stamp(pipeline['created'])}

    @app.route('GET', r'/project/' + SLUG + r'/pipeline/(?P<number>[^/]+)')
    def get_project_pipeline(app, req):
        tick(app)
        project = project_for(app, req)
        try:
            number = int(req.params['number'])
        except ValueError:
            raise ApiError(404, 'Pipeline not found')
        for pipeline in app.state.pipelines.values():
            if pipeline['project_id'] == project['id'] and pipeline['number'] == number:
                return 200, pipeline_view(pipeline)
        raise ApiError(404, 'Pipeline not found')

    # -- jobs --------------------------------------------------------------------------------

    @app.route('GET', r'/project/' + SLUG + r'/job/(?P<number>[^/]+)')
    def get_job(app, req):
        tick(app)
        return 200, job_detail_view(app, job_for(app, req))

    @app.route('POST', r'/project/' + SLUG + r'/job/(?P<number>[^/]+)/cancel')
    def cancel_job(app, req):
        moment = tick(app)
        job = job_for(app, req)
        if job['status'] not in FINISHED_JOB:
            job['status'], job['stopped'], job['canceled_by'] = 'canceled', moment, req.user['id']
            if job['started'] is not None and job['duration'] is not None:
                job['duration'] = moment - job['started']
            advance_workflow(app, app.state.workflows[job['workflow_id']], moment)
        return 200, {'message': 'Job cancelled.'}

    @app.route('GET', r'/project/' + SLUG + r'/(?P<number>[^/]+)/artifacts')
    def list_artifacts(app, req):
        tick(app)
        job = job_for(app, req)
        items = []
        if job['status'] in FINISHED_JOB:
            items = [{'path': path, 'node_index': 0,
                      'url': 'https://output.circle-artifacts.com/output/job/%s/artifacts/0/%s' % (job['id'], path)}
                     for path in job['artifacts']]
        return app.paginate(req, items)

    @app.route('GET', r'/project/' + SLUG + r'/(?P<number>[^/]+)/tests')
    def list_tests(app, req):
        tick(app)
        job = job_for(app, req)
        items = []
        if job['status'] in FINISHED_JOB:
            for test in job['tests']:
                item = {'message': None, 'source': 'junit', 'run_time': 0.1, 'file': 'tests/test_%s.py' % job['name'],
                        'result': 'success', 'name': 'test', 'classname': 'tests.test_%s' % job['name']}
                item.update(test)
                items.append(item)
        return app.paginate(req, items)

    # -- workflows ---------------------------------------------------------------------------

    @app.route('GET', r'/workflow/(?P<workflow_id>[^/]+)')
    def get_workflow(app, req):
        tick(app)
        return 200, workflow_view(workflow_for(app, req))

    @app.route('GET', r'/workflow/(?P<workflow_id>[^/]+)/job')
    def list_workflow_jobs(app, req):
        tick(app)
        workflow = workflow_for(app, req)
        return app.paginate(req, [job_item_view(j) for j in workflow['jobs']])

    @app.route('POST', r'/workflow/(?P<workflow_id>[^/]+)/approve/(?P<request_id>[^/]+)')
    def approve(app, req):
        moment = tick(app)
        workflow = workflow_for(app, req)
        request_id = require_uuid(req.params['request_id'], 'approval_request_id')
        for job in workflow['jobs']:
            if job['approval_request_id'] == request_id:
                break
        else:
            raise ApiError(404, 'Approval request not found in this workflow')
        if job['status'] != 'on_hold':
            raise ApiError(400, 'Job is not on hold (status %s): it cannot be approved' % job['status'])
        job['status'], job['stopped'], job['approved_by'] = 'success', moment, req.user['id']
        advance_workflow(app, workflow, moment)
        return 202, {'message': 'Accepted.'}

    @app.route('POST', r'/workflow/(?P<workflow_id>[^/]+)/cancel')
    def cancel_workflow(app, req):
        moment = tick(app)
        workflow = workflow_for(app, req)
        if workflow_status(workflow) not in FINISHED_WORKFLOW:
            workflow['cancel_at'], workflow['canceled_by'] = moment, req.user['id']
            for job in workflow['jobs']:
                if job['status'] not in FINISHED_JOB:
                    job['status'], job['stopped'], job['canceled_by'] = 'canceled', moment, req.user['id']
                    if job['type'] == 'build' and job['started'] is not None:
                        job['duration'] = moment - job['started']
        return 202, {'message': 'Accepted.'}

    @app.route('POST', r'/workflow/(?P<workflow_id>[^/]+)/rerun')
    def rerun_workflow(app, req):
        moment = tick(app)
        workflow = workflow_for(app, req)
        body = req.json(required=False)
        for flag in ('enable_ssh', 'from_failed', 'sparse_tree'):
            if flag in body and not isinstance(body[flag], bool):
                raise ApiError(400, '%s must be a boolean' % flag)
        jobs = body.get('jobs')
        if jobs is not None and (not isinstance(jobs, list) or not all(isinstance(j, str) for j in jobs)):
            raise ApiError(400, 'jobs must be a list of job IDs')
        if body.get('from_failed') and jobs:
            raise ApiError(400, 'from_failed and jobs are mutually exclusive')
        if (body.get('enable_ssh') or body.get('sparse_tree')) and not jobs:
            raise ApiError(400, 'enable_ssh and sparse_tree require jobs')
        status = workflow_status(workflow)
        if status not in FINISHED_WORKFLOW:
            raise ApiError(400, 'Workflow is still %s: only a finished workflow can be rerun' % status)
        by_id = dict((j['id'], j) for j in workflow['jobs'])
        selected = set()
        for job_id in jobs or []:
            job = by_id.get(require_uuid(job_id, 'jobs'))
            if job is None:
                raise ApiError(400, 'Job %s is not part of workflow %s' % (job_id, workflow['id']))
            selected.add(job['name'])
        if body.get('from_failed'):
            if status not in ('failed', 'canceled'):
                raise ApiError(400, 'Workflow has no failed jobs to rerun from')
            selected = set(j['name'] for j in workflow['jobs'] if j['status'] != 'success')
        elif not jobs:
            selected = set(j['name'] for j in workflow['jobs'])
        # Whatever runs again drags every job after it along.
        grew = True
        while grew:
            grew = False
            for job in workflow['jobs']:
                if job['name'] not in selected and selected.intersection(job['requires']):
                    selected.add(job['name'])
                    grew = True
        pipeline = app.state.pipelines[workflow['pipeline_id']]
        specs = []
        for job in workflow['jobs']:
            spec = dict(job['spec'])
            spec['outcome'] = job['rerun_outcome']
            specs.append(spec)
        new = make_workflow(app, pipeline, {'name': workflow['name'], 'jobs': specs}, moment, tag=workflow['tag'])
        new['started_by'] = req.user['id']
        for old, job in zip(workflow['jobs'], new['jobs']):
            if job['name'] not in selected:
                # Kept as it was: the same job, now shown in the new workflow.
                for key in ('status', 'job_number', 'started', 'stopped', 'duration', 'approved_by'):
                    job[key] = old[key]
                if job['job_number'] is not None:
                    app.state.jobs_by_number[(job['project_slug'].lower(), job['job_number'])] = job
            elif body.get('enable_ssh') and job['type'] == 'build':
                job['ssh'] = True
        advance_workflow(app, new, moment)
        return 202, {'workflow_id': new['id']}

    # -- control: seeding and state -------------------------------------------------------------

    def seed_plan(app, obj):
        plan = copy.deepcopy(obj)
        if 'branch' in plan and 'tag' in plan:
            raise ApiError(400, 'pipeline_plans: a plan matches a branch or a tag, not both')
        for key in ('workflows', 'continue_workflows'):
            if key in plan:
                check_workflows(plan[key], 'pipeline_plans')
        declared_parameters(plan)
        app.state.pipeline_plans.append(plan)
        return plan

    def seed_pipeline(app, obj):
        project = app.state.project_by_slug(obj.get('project_slug', 'gh/acme/api'))
        if project is None:
            raise ApiError(400, 'pipelines: unknown project %s' % obj.get('project_slug'))
        branch, tag = obj.get('branch'), obj.get('tag')
        plan = find_plan(app, project['slug'], branch or (None if tag else project['vcs_info']['default_branch']), tag)
        plan = copy.deepcopy(plan)
        for key in ('workflows', 'errors', 'setup', 'continue_workflows'):
            if key in obj:
                plan[key] = copy.deepcopy(obj[key])
        for key in ('workflows', 'continue_workflows'):
            if key in plan:
                check_workflows(plan[key], 'pipelines')
        user = app.state.tokens[app.token]
        moment = time.time()
        pipeline = create_pipeline(app, project, user, branch, tag, check_parameters(obj.get('parameters')), plan=plan,
                                   created=moment - float(obj.get('age', 3600)), actor=obj.get('actor'))
        # A seeded pipeline has its workflows from the start, even one created just now.
        pipeline['ready_at'] = pipeline['created']
        advance_pipeline(app, pipeline, moment)
        view = dict((k, v) for k, v in pipeline_view(pipeline).items() if k in ('id', 'number', 'state', 'created_at', 'project_slug'))
        if pipeline['continuation_key']:
            view['continuation_key'] = pipeline['continuation_key']
        view['workflows'] = []
        for workflow_id in pipeline['workflow_ids']:
            workflow = app.state.workflows[workflow_id]
            view['workflows'].append({
                'id': workflow['id'], 'name': workflow['name'], 'status': workflow_status(workflow),
                'jobs': [dict((k, job[k]) for k in ('id', 'name', 'type', 'status', 'job_number', 'approval_request_id'))
                         for job in workflow['jobs']],
            })
        return view

    app.seeders.update(pipeline_plans=seed_plan, pipelines=seed_pipeline)

    def dump(app, secrets):
        tick(app)
        pipelines = []
        for pipeline in app.state.pipelines.values():
            view = pipeline_view(pipeline)
            view['parameters'] = dict(pipeline['parameters'])
            key = pipeline['continuation_key']
            view['continuation_key'] = (key if secrets else mask(key)) if key else None
            view['continued'] = pipeline['continued']
            view['workflows'] = []
            for workflow_id in pipeline['workflow_ids']:
                workflow = app.state.workflows[workflow_id]
                view['workflows'].append(dict(workflow_view(workflow),
                                              jobs=[job_item_view(j) for j in workflow['jobs']]))
            pipelines.append(view)
        return {'pipelines': pipelines, 'pipeline_plans': copy.deepcopy(app.state.pipeline_plans)}
    app.state_dumpers.append(dump)
