# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Waiting for pipelines and workflows: one poller with an injectable clock (``Watch``), the
rules of "finished", and the failure messages that name failed jobs with their web URLs.

Every operation that waits (trigger, approve, rerun, rollback) uses this; progress lines come
from the poller, through the ``progress`` callback, not from each module.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import time

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._errors import (
    CircleCIError,
    CircleCIInputError,
    CircleCIStateError,
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


def wait_argument_spec():
    """The wait options shared by every operation that waits."""
    return dict(
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type='float', default=1800),
        poll_interval=dict(type='float', default=10),
        fail_on_failure=dict(type='bool', default=True),
        stop_on_hold=dict(type='bool', default=False),
    )


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
