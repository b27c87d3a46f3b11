# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deploy automation: trigger or continue a pipeline, approve, cancel or rerun a workflow, and
wait for the outcome.

Used by the circleci_pipeline_trigger and circleci_workflow modules and by their action plugins
of the same names, which run this code on the controller so that progress can be shown while
waiting. Nothing here knows Ansible's module or plugin API: an operation fills a ``result``
dict, reports progress lines through a callback, and raises CircleCIInputError (bad input, before
any request), CircleCIError (a failed call) or CircleCIStateError (a failure the service reports,
a wait that timed out).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import json
import time
import traceback

from ansible_collections.community.circleci.plugins.module_utils._client import (
    CircleCIError,
    CircleCIStateError,
    quote_segment,
    quote_slug,
)
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    CircleCIInputError,
    UUID_RE,
    check_project_slug,
    check_uuid,
)

# Workflow statuses, as api-notes.md gives them.
FINISHED_WORKFLOW = frozenset(('success', 'not_run', 'failed', 'error', 'canceled', 'unauthorized'))
FAILED_WORKFLOW = frozenset(('failed', 'error', 'canceled', 'unauthorized'))
# Job statuses after which nothing more happens to the job.
FINISHED_JOB = frozenset(('success', 'failed', 'not_run', 'canceled', 'infrastructure_fail', 'timedout',
                          'unauthorized', 'terminated-unknown', 'retried'))
FAILED_JOB = frozenset(('failed', 'infrastructure_fail', 'timedout', 'terminated-unknown', 'unauthorized', 'canceled'))
# Pipeline states before the workflows exist.
EARLY_PIPELINE = frozenset(('pending', 'setup-pending'))

PARAMETER_LIMITS = {'count': 100, 'name': 128, 'value': 512}


def wait_argument_spec():
    """The wait options shared by the trigger and the workflow actions."""
    return dict(
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type='float', default=1800),
        poll_interval=dict(type='float', default=10),
        fail_on_failure=dict(type='bool', default=True),
        stop_on_hold=dict(type='bool', default=False),
    )


def trigger_argument_spec():
    spec = dict(
        project_slug=dict(type='str'),
        branch=dict(type='str'),
        tag=dict(type='str'),
        parameters=dict(type='dict'),
        continuation_key=dict(type='str', no_log=True),
        configuration=dict(type='raw'),
    )
    spec.update(wait_argument_spec())
    return spec


TRIGGER_RULES = dict(
    mutually_exclusive=[('branch', 'tag'), ('continuation_key', 'project_slug'), ('continuation_key', 'branch'),
                        ('continuation_key', 'tag')],
    required_one_of=[('project_slug', 'continuation_key')],
    required_together=[('continuation_key', 'configuration')],
)


def workflow_argument_spec():
    spec = dict(
        workflow_id=dict(type='str'),
        pipeline_id=dict(type='str'),
        workflow_name=dict(type='str'),
        action=dict(type='str', required=True, choices=['approve', 'cancel', 'rerun']),
        approval_job=dict(type='str'),
        approval_request_id=dict(type='str'),
        from_failed=dict(type='bool', default=False),
        jobs=dict(type='list', elements='str'),
        enable_ssh=dict(type='bool', default=False),
        sparse_tree=dict(type='bool', default=False),
    )
    spec.update(wait_argument_spec())
    return spec


WORKFLOW_RULES = dict(
    mutually_exclusive=[('workflow_id', 'pipeline_id'), ('workflow_id', 'workflow_name'),
                        ('approval_job', 'approval_request_id')],
    required_one_of=[('workflow_id', 'pipeline_id')],
    required_together=[('pipeline_id', 'workflow_name')],
    required_if=[('action', 'approve', ('approval_job', 'approval_request_id'), True)],
)


# -- input checks ------------------------------------------------------------------------------

def check_parameters(parameters, option='parameters'):
    """Pipeline parameters as CircleCI takes them: at most 100, names up to 128 characters,
    values strings (up to 512 characters), integers or booleans."""
    if parameters is None:
        return None
    if not isinstance(parameters, dict):
        raise CircleCIInputError(option, 'must be a dictionary of parameter names and values')
    if len(parameters) > PARAMETER_LIMITS['count']:
        raise CircleCIInputError(option, '%d parameters given; CircleCI takes at most %d' % (len(parameters), PARAMETER_LIMITS['count']))
    for name, value in parameters.items():
        if not isinstance(name, str) or not name or len(name) > PARAMETER_LIMITS['name']:
            raise CircleCIInputError(option, 'parameter name %r must be 1 to %d characters' % (name, PARAMETER_LIMITS['name']))
        if isinstance(value, (bool, int)):
            continue
        if isinstance(value, str):
            if len(value) > PARAMETER_LIMITS['value']:
                raise CircleCIInputError('%s.%s' % (option, name), 'the value is %d characters long; CircleCI takes at most %d'
                                         % (len(value), PARAMETER_LIMITS['value']))
            continue
        raise CircleCIInputError('%s.%s' % (option, name), 'must be a string, an integer or a boolean, not %s' % kind_of(value))
    return dict(parameters)


def kind_of(value):
    # Plain words: on the controller, values arrive as tagged subclasses of the builtin types.
    for kind, name in ((dict, 'a dictionary'), ((list, tuple), 'a list'), (float, 'a float')):
        if isinstance(value, kind):
            return name
    return 'null' if value is None else type(value).__name__


def check_wait(params):
    if params['wait_timeout'] is None or params['wait_timeout'] <= 0:
        raise CircleCIInputError('wait_timeout', 'must be a positive number of seconds')
    if params['poll_interval'] is None or params['poll_interval'] <= 0:
        raise CircleCIInputError('poll_interval', 'must be a positive number of seconds')


# -- views -------------------------------------------------------------------------------------

PIPELINE_KEYS = ('id', 'number', 'state', 'created_at', 'updated_at', 'project_slug', 'errors', 'vcs', 'trigger')
WORKFLOW_KEYS = ('id', 'name', 'status', 'pipeline_id', 'pipeline_number', 'project_slug', 'created_at', 'stopped_at',
                 'tag', 'canceled_by', 'started_by')


def pipeline_view(pipeline):
    return dict((k, pipeline[k]) for k in PIPELINE_KEYS if k in pipeline)


def workflow_view(workflow, jobs=None):
    view = dict((k, workflow[k]) for k in WORKFLOW_KEYS if k in workflow)
    if jobs is not None:
        view['jobs'] = [dict(job) for job in jobs]
    return view


def latest_per_name(workflows):
    """The newest workflow of each name: a rerun supersedes the run it repeats."""
    latest = {}
    for workflow in workflows:
        name = workflow.get('name')
        if name not in latest or (workflow.get('created_at') or '') > (latest[name].get('created_at') or ''):
            latest[name] = workflow
    return sorted(latest.values(), key=lambda w: (w.get('created_at') or '', w.get('name') or ''))


# -- waiting -----------------------------------------------------------------------------------

class Watch:
    """Polls pipelines and workflows until they finish, reporting each change of state once."""

    def __init__(self, client, progress=None, sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.progress = progress or (lambda line: None)
        self.sleep = sleep
        self.clock = clock
        self.lines = []
        self._seen = {}
        self._final_jobs = {}

    def note(self, key, label, status):
        if self._seen.get(key) != status:
            self._seen[key] = status
            line = '%s: %s' % (label, status)
            self.lines.append(line)
            self.progress(line)

    def jobs(self, workflow, label):
        """The workflow's jobs (read once more only while the workflow runs)."""
        if workflow['id'] in self._final_jobs:
            return self._final_jobs[workflow['id']]
        jobs = self.client.list('/workflow/%s/job' % quote_segment(workflow['id']))
        for job in jobs:
            self.note(('job', workflow['id'], job.get('id')), '%s workflow %s job %s' % (label, workflow.get('name'), job.get('name')),
                      job.get('status'))
        if workflow.get('status') in FINISHED_WORKFLOW:
            self._final_jobs[workflow['id']] = jobs
        return jobs

    def pipeline_once(self, pipeline_id, label):
        try:
            pipeline = self.client.get('/pipeline/%s' % quote_segment(pipeline_id))
        except CircleCIError as exc:
            # The service may answer 404 for a pipeline it has just created; once seen, a 404 is real.
            if not exc.not_found or ('pipeline', pipeline_id) in self._seen:
                raise
            self.note(('pipeline-unseen', pipeline_id), label, 'not readable yet (404)')
            return {'id': pipeline_id, 'state': 'pending'}, []
        self.note(('pipeline', pipeline_id), label, pipeline.get('state'))
        workflows = []
        if pipeline.get('state') != 'errored':
            workflows = latest_per_name(self.client.list('/pipeline/%s/workflow' % quote_segment(pipeline_id)))
        views = []
        for workflow in workflows:
            views.append(self.workflow_seen(workflow, label))
        return pipeline, views

    def workflow_once(self, workflow_id, label):
        return self.workflow_seen(self.client.get('/workflow/%s' % quote_segment(workflow_id)), label)

    def workflow_seen(self, workflow, label):
        jobs = self.jobs(workflow, label)
        # After its jobs, so that a workflow's last line is its own final status.
        self.note(('workflow', workflow['id']), '%s workflow %s' % (label, workflow.get('name')), workflow.get('status'))
        return workflow_view(workflow, jobs)

    def until(self, poll, done, timeout, interval):
        """Call ``poll()`` until ``done(answer)``; answer (answer, True), or (last answer, False) at the timeout.

        Polls start ``interval`` apart: the time a poll's own requests take is part of the
        interval, not added to it, so a change is seen at most one interval after it happens
        and polls never come closer together than ``interval``.
        """
        deadline = self.clock() + timeout
        while True:
            started = self.clock()
            answer = poll()
            if done(answer):
                return answer, True
            now = self.clock()
            remaining = deadline - now
            if remaining <= 0:
                return answer, False
            pause = min(started + interval - now, remaining)
            if pause > 0:
                self.sleep(pause)


def settled(status, stop_on_hold):
    return status in FINISHED_WORKFLOW or (stop_on_hold and status == 'on_hold')


def pipeline_done(pipeline, workflows, stop_on_hold):
    """Whether nothing more will happen to the pipeline (or, with stop_on_hold, only an approval can move it)."""
    state = pipeline.get('state')
    if state == 'errored':
        return True
    if state in EARLY_PIPELINE or not workflows:
        return False
    if not all(settled(w.get('status'), stop_on_hold) for w in workflows):
        return False
    if state == 'setup':
        # The setup workflow passed but the continuation has not been seen yet: its workflows are coming.
        return any(w.get('status') in FAILED_WORKFLOW for w in workflows)
    return True


def describe_workflows(workflows):
    if not workflows:
        return 'no workflow yet'
    return 'workflows: ' + ', '.join('%s %s' % (w.get('name'), w.get('status')) for w in workflows)


def failures(client, workflows):
    """Lines naming each failed workflow's failed jobs with their web URLs (which need a job read each)."""
    lines = []
    for workflow in workflows:
        if workflow.get('status') not in FAILED_WORKFLOW:
            continue
        failed = [job for job in workflow.get('jobs', []) if job.get('status') in FAILED_JOB]
        if not failed:
            lines.append('workflow %s %s (no failed job listed)' % (workflow.get('name'), workflow.get('status')))
            continue
        described = []
        for job in failed:
            if job.get('job_number') is not None and workflow.get('project_slug') and 'web_url' not in job:
                try:
                    details = client.get('/project/%s/job/%s' % (quote_slug(workflow['project_slug']), quote_segment(job['job_number'])))
                    job['web_url'] = details.get('web_url')
                except CircleCIError:
                    # The failure is what matters; a missing link must not hide it.
                    job['web_url'] = None
            where = ' (%s)' % job['web_url'] if job.get('web_url') else ''
            described.append('job %s %s%s' % (job.get('name'), job.get('status'), where))
        lines.append('workflow %s %s: %s' % (workflow.get('name'), workflow.get('status'), '; '.join(described)))
    return lines


def pipeline_label(pipeline):
    return 'pipeline %s #%s' % (pipeline.get('project_slug', '?'), pipeline.get('number', '?'))


def wait_for_pipeline(watch, pipeline, params, result):
    """Wait for a pipeline to finish; fill ``result`` (pipeline, workflows) and fail as the options say."""
    label = pipeline_label(pipeline)
    pipeline_id = pipeline['id']
    (current, workflows), done = watch.until(
        lambda: watch.pipeline_once(pipeline_id, label),
        lambda answer: pipeline_done(answer[0], answer[1], params['stop_on_hold']),
        params['wait_timeout'], params['poll_interval'])
    result['pipeline'] = pipeline_view(current)
    result['workflows'] = workflows
    result['progress'] = list(watch.lines)
    who = '%s (id %s)' % (label, pipeline_id)
    if not done:
        raise CircleCIStateError(
            'wait_timeout: %s did not finish within %gs (state %s; %s). It was left running; cancel it with '
            'community.circleci.circleci_workflow if it must stop.' % (who, params['wait_timeout'], current.get('state'),
                                                                       describe_workflows(workflows)))
    if not params['fail_on_failure']:
        return
    if current.get('state') == 'errored':
        errors = '; '.join('%s: %s' % (e.get('type'), e.get('message')) for e in current.get('errors') or []) or 'no error given'
        raise CircleCIStateError('%s errored before any workflow ran: %s' % (who, errors))
    lines = failures(watch.client, workflows)
    if lines:
        raise CircleCIStateError('%s failed: %s' % (who, ' | '.join(lines)))


def wait_for_workflow(watch, workflow_id, params, result, key='workflow'):
    label = 'workflow %s' % workflow_id

    def poll():
        return watch.workflow_once(workflow_id, label)

    workflow, done = watch.until(poll, lambda w: settled(w.get('status'), params['stop_on_hold']),
                                 params['wait_timeout'], params['poll_interval'])
    result[key] = workflow
    result['progress'] = list(watch.lines)
    who = 'workflow %s (id %s) of pipeline %s #%s' % (workflow.get('name'), workflow_id, workflow.get('project_slug'),
                                                      workflow.get('pipeline_number'))
    if not done:
        raise CircleCIStateError('wait_timeout: %s did not finish within %gs (status %s). It was left running.'
                                 % (who, params['wait_timeout'], workflow.get('status')))
    if params['fail_on_failure']:
        lines = failures(watch.client, [workflow])
        if lines:
            raise CircleCIStateError('%s failed: %s' % (who, ' | '.join(lines)))


# -- what the trigger, the workflow actions and the job cancel share ----------------------------

class Operation:
    """What the trigger and the workflow actions share: the client, the options, check mode, the
    result being filled, and a Watch for waiting (``progress`` is told each change of state)."""

    def __init__(self, client, params, check_mode, result, progress=None, sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self.result = result
        self.watch = Watch(client, progress, sleep=sleep, clock=clock)


def cancel_unless_finished(client, result, status, finished, path, check_mode):
    """POST ``path + '/cancel'`` unless ``status`` is finished (no change), and answer the object
    re-read from ``path`` (None when nothing was sent). Fills ``changed`` and ``diff``."""
    if status in finished:
        result['diff'] = {'before': {'status': status}, 'after': {'status': status}}
        return None
    result['changed'] = True
    result['diff'] = {'before': {'status': status}, 'after': {'status': 'canceled'}}
    if check_mode:
        return None
    client.post(path + '/cancel')
    return client.get(path)


# -- circleci_pipeline_trigger ---------------------------------------------------------------------

class PipelineTrigger(Operation):
    """Trigger a pipeline (or continue a setup pipeline) and optionally wait for it."""

    def validate(self):
        params = self.params
        check_parameters(params['parameters'])
        check_wait(params)
        if params['continuation_key'] is not None:
            if not params['continuation_key']:
                raise CircleCIInputError('continuation_key', 'must not be empty')
            if params['wait']:
                raise CircleCIInputError('wait', 'cannot be used with continuation_key: CircleCI does not say which '
                                         'pipeline a continuation belongs to, so there is nothing to wait for')
            self.configuration = self.configuration_text(params['configuration'])
            return
        check_project_slug(params['project_slug'])
        if params['configuration'] is not None:
            raise CircleCIInputError('configuration', 'is only used with continuation_key')
        for option in ('branch', 'tag'):
            if params[option] is not None and not params[option].strip():
                raise CircleCIInputError(option, 'must not be empty')

    @staticmethod
    def configuration_text(value):
        if isinstance(value, dict):
            # JSON is YAML, and CircleCI reads the configuration as YAML.
            return json.dumps(value, sort_keys=True)
        if isinstance(value, str) and value.strip():
            return value
        raise CircleCIInputError('configuration', 'must be a non-empty string of CircleCI configuration (YAML), or a dictionary')

    def run(self):
        self.validate()
        if self.params['continuation_key'] is not None:
            return self.continue_pipeline()
        params = self.params
        slug = params['project_slug']
        body = {}
        for option in ('branch', 'tag', 'parameters'):
            if params[option] is not None:
                body[option] = params[option]
        self.result['pipeline'] = {}
        if self.check_mode:
            # A read, so that check mode still proves the project exists and the token may use it.
            self.client.get('/project/%s' % quote_slug(slug))
            self.result['changed'] = True
            return
        path = '/project/%s/pipeline' % quote_slug(slug)
        try:
            # The client sends a POST again only after a 429; never add a retry around this call.
            created = self.client.post(path, body=body)
        except CircleCIError as exc:
            if exc.status is None or exc.status >= 500:
                self.result['changed'] = True
                raise CircleCIError(exc.method, exc.path, exc.status, (exc.message or 'no answer') + (
                    '. CircleCI may have created the pipeline all the same; it was not triggered again, so as not to '
                    'deploy twice. Look at the project\'s latest pipelines before running this task again.'),
                    reason=exc.reason)
            raise
        self.result['changed'] = True
        pipeline = dict(created, project_slug=slug)
        self.result['pipeline'] = pipeline_view(pipeline)
        ref = 'tag %s' % params['tag'] if params['tag'] is not None else 'branch %s' % params['branch'] if params['branch'] else 'the default branch'
        self.watch.note(('triggered', pipeline.get('id')), pipeline_label(pipeline), 'triggered on %s (id %s)' % (ref, pipeline.get('id')))
        self.result['progress'] = list(self.watch.lines)
        if params['wait']:
            wait_for_pipeline(self.watch, pipeline, params, self.result)

    def continue_pipeline(self):
        body = {'continuation-key': self.params['continuation_key'], 'configuration': self.configuration}
        if self.params['parameters'] is not None:
            body['parameters'] = self.params['parameters']
        self.result['pipeline'] = {}
        self.result['changed'] = True
        if self.check_mode:
            return
        answer = self.client.post('/pipeline/continue', body=body)
        self.result['message'] = (answer or {}).get('message', '')


# -- circleci_workflow ---------------------------------------------------------------------------

class WorkflowAction(Operation):
    """Approve, cancel or rerun one workflow, and optionally wait for it."""

    def validate(self):
        params = self.params
        if params['workflow_id'] is not None:
            params['workflow_id'] = check_uuid(params['workflow_id'], 'workflow_id')
        else:
            params['pipeline_id'] = check_uuid(params['pipeline_id'], 'pipeline_id')
            if not params['workflow_name']:
                raise CircleCIInputError('workflow_name', 'must not be empty')
        if params['approval_request_id'] is not None:
            params['approval_request_id'] = check_uuid(params['approval_request_id'], 'approval_request_id')
        action = params['action']
        if action != 'approve':
            for option in ('approval_job', 'approval_request_id'):
                if params[option] is not None:
                    raise CircleCIInputError(option, 'is only used with action=approve')
        if action != 'rerun':
            for option in ('from_failed', 'enable_ssh', 'sparse_tree'):
                if params[option]:
                    raise CircleCIInputError(option, 'is only used with action=rerun')
            if params['jobs'] is not None:
                raise CircleCIInputError('jobs', 'is only used with action=rerun')
        else:
            # The API's own rules (api-notes.md): from_failed excludes jobs; enable_ssh and sparse_tree need jobs.
            if params['from_failed'] and params['jobs']:
                raise CircleCIInputError('from_failed', 'cannot be used with jobs: from_failed reruns the failed jobs, '
                                         'jobs names the jobs to rerun')
            for option in ('enable_ssh', 'sparse_tree'):
                if params[option] and not params['jobs']:
                    raise CircleCIInputError(option, 'needs jobs: CircleCI applies it only to a rerun of named jobs')
            if params['jobs'] is not None and not params['jobs']:
                raise CircleCIInputError('jobs', 'must name at least one job')
        if action == 'cancel':
            for option in ('wait', 'stop_on_hold'):
                if params[option]:
                    raise CircleCIInputError(option, 'is not used with action=cancel: a canceled workflow is finished')
        check_wait(params)

    def find_workflow(self):
        if self.params['workflow_id']:
            return self.client.get('/workflow/%s' % quote_segment(self.params['workflow_id']))
        pipeline_id = self.params['pipeline_id']
        name = self.params['workflow_name']
        workflows = self.client.list('/pipeline/%s/workflow' % quote_segment(pipeline_id))
        matches = [w for w in latest_per_name(workflows) if w.get('name') == name]
        if not matches:
            names = sorted(set(w.get('name') for w in workflows))
            raise CircleCIStateError('workflow_name: pipeline %s has no workflow named %r (its workflows: %s)'
                                     % (pipeline_id, name, ', '.join(names) or 'none yet'))
        return matches[0]

    def run(self):
        self.validate()
        workflow = self.find_workflow()
        self.result['workflow_id'] = workflow['id']
        self.result['workflow'] = workflow_view(workflow)
        getattr(self, self.params['action'])(workflow)

    def jobs_of(self, workflow):
        return self.client.list('/workflow/%s/job' % quote_segment(workflow['id']))

    def wait(self, workflow_id):
        if self.params['wait'] and not self.check_mode:
            wait_for_workflow(self.watch, workflow_id, self.params, self.result)
            self.result['workflow_id'] = workflow_id

    def approve(self, workflow):
        jobs = self.jobs_of(workflow)
        approvals = [j for j in jobs if j.get('type') == 'approval']
        wanted_name, wanted_id = self.params['approval_job'], self.params['approval_request_id']
        if wanted_name is not None:
            matches = [j for j in approvals if j.get('name') == wanted_name]
            option, shown = 'approval_job', repr(wanted_name)
        else:
            matches = [j for j in approvals if (j.get('approval_request_id') or '').lower() == wanted_id]
            option, shown = 'approval_request_id', wanted_id
        if not matches:
            listed = ', '.join('%s (approval_request_id %s, %s)' % (j.get('name'), j.get('approval_request_id'), j.get('status'))
                               for j in approvals) or 'none'
            raise CircleCIStateError('%s: workflow %s (id %s) has no approval job %s; its approval jobs: %s'
                                     % (option, workflow.get('name'), workflow['id'], shown, listed))
        job = matches[0]
        self.result['job'] = dict(job)
        status = job.get('status')
        if status == 'on_hold':
            self.result['changed'] = True
            self.result['diff'] = {'before': {'approval_job': job.get('name'), 'status': 'on_hold'},
                                   'after': {'approval_job': job.get('name'), 'status': 'success'}}
            if not self.check_mode:
                self.client.post('/workflow/%s/approve/%s' % (quote_segment(workflow['id']),
                                                              quote_segment(job['approval_request_id'])))
        elif status == 'success' or job.get('approved_by'):
            self.result['diff'] = {'before': {'approval_job': job.get('name'), 'status': status},
                                   'after': {'approval_job': job.get('name'), 'status': status}}
        else:
            raise CircleCIStateError('%s: approval job %s of workflow %s (id %s) is %s, not on_hold: %s'
                                     % (option, job.get('name'), workflow.get('name'), workflow['id'], status,
                                        'it waits for the jobs it requires' if status == 'blocked'
                                        else 'it can no longer be approved'))
        self.wait(workflow['id'])

    def cancel(self, workflow):
        after = cancel_unless_finished(self.client, self.result, workflow.get('status'), FINISHED_WORKFLOW,
                                       '/workflow/%s' % quote_segment(workflow['id']), self.check_mode)
        if after is not None:
            self.result['workflow'] = workflow_view(after)

    def rerun(self, workflow):
        params = self.params
        status = workflow.get('status')
        if status not in FINISHED_WORKFLOW:
            raise CircleCIStateError('workflow %s (id %s) is %s: only a finished workflow can be rerun'
                                     % (workflow.get('name'), workflow['id'], status))
        body = {}
        if params['from_failed']:
            body['from_failed'] = True
        if params['jobs']:
            body['jobs'] = self.job_ids(workflow, params['jobs'])
            for option in ('enable_ssh', 'sparse_tree'):
                if params[option]:
                    body[option] = True
        self.result['rerun_of'] = workflow['id']
        self.result['changed'] = True
        if self.check_mode:
            self.result['workflow_id'] = None
            return
        answer = self.client.post('/workflow/%s/rerun' % quote_segment(workflow['id']), body=body)
        new_id = (answer or {}).get('workflow_id')
        if not new_id:
            raise CircleCIStateError('POST /workflow/%s/rerun: CircleCI accepted the rerun but did not name the new workflow'
                                     % workflow['id'])
        self.result['workflow_id'] = new_id
        self.result['workflow'] = {'id': new_id, 'name': workflow.get('name')}
        self.watch.note(('rerun', new_id), 'workflow %s' % workflow.get('name'), 'rerun as %s' % new_id)
        self.result['progress'] = list(self.watch.lines)
        if params['wait']:
            self.wait(new_id)
        else:
            self.result['workflow'] = workflow_view(self.client.get('/workflow/%s' % quote_segment(new_id)))

    def job_ids(self, workflow, wanted):
        """Job names or ids, as the ids CircleCI wants; an unknown one fails, listing the jobs."""
        jobs = self.jobs_of(workflow)
        by_id = dict((j.get('id', '').lower(), j) for j in jobs)
        ids = []
        for item in wanted:
            if UUID_RE.match(item or '') and item.lower() in by_id:
                ids.append(by_id[item.lower()]['id'])
                continue
            named = [j for j in jobs if j.get('name') == item]
            if not named:
                raise CircleCIStateError('jobs: workflow %s (id %s) has no job named or with id %r; its jobs: %s'
                                         % (workflow.get('name'), workflow['id'], item,
                                            ', '.join('%s (%s)' % (j.get('name'), j.get('id')) for j in jobs) or 'none'))
            ids.append(named[0]['id'])
        return ids


# -- running an operation outside an AnsibleModule (the action plugins) ------------------------------

def run_operation(operation, result):
    """Run ``operation.run()`` and turn the known errors into a failed result, keeping what was done."""
    try:
        operation.run()
    except CircleCIInputError as exc:
        result.update(failed=True, msg=str(exc))
    except CircleCIError as exc:
        result.update(failed=True, msg=str(exc), status=exc.status)
    except CircleCIStateError as exc:
        result.update(failed=True, msg=str(exc))
    except Exception as exc:  # pylint: disable=broad-except
        # As CircleCIModule.run does: the partial result must still be reported.
        result.update(failed=True, msg='unexpected error: %s: %s' % (type(exc).__name__, exc), exception=traceback.format_exc())
    return result
