# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deploy automation: trigger or continue a pipeline; approve, cancel or rerun a workflow.

The operations of circleci_pipeline_trigger and circleci_workflow, here because their action
plugins of the same names run them too (on the controller, so that waiting shows progress).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import json

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._operation import Operation
from ansible_collections.community.circleci.plugins.module_utils._resolve import definition_of, project_of
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    UUID_RE,
    check_pipeline_parameters,
    check_project_slug,
    check_text,
    check_uuid,
)
from ansible_collections.community.circleci.plugins.module_utils._wait import (
    FINISHED_WORKFLOW,
    check_wait,
    latest_per_name,
    pipeline_label,
    pipeline_view,
    wait_argument_spec,
    wait_for_pipeline,
    wait_for_workflow,
    workflow_view,
)


def cancel_plan(status, finished):
    """Whether cancelling an object of ``status`` changes anything, and the diff it shows."""
    after = status if status in finished else 'canceled'
    return status not in finished, {'before': {'status': status}, 'after': {'status': after}}


# The options of run mode (POST .../pipeline/run): any of them, or a circleci/ slug, selects it.
RUN_OPTIONS = ('pipeline_definition', 'pipeline_definition_id', 'config_branch', 'config_tag', 'checkout_branch', 'checkout_tag')


class PipelineTrigger(Operation):
    """Trigger a pipeline (classic: POST .../pipeline; run mode: POST .../pipeline/run, for GitHub App,
    GitLab and standalone projects and pipeline definitions), or continue a setup pipeline, and
    optionally wait for it."""

    argument_spec = dict(
        project_slug=dict(type='str'),
        branch=dict(type='str'),
        tag=dict(type='str'),
        parameters=dict(type='dict'),
        continuation_key=dict(type='str', no_log=True),
        configuration=dict(type='raw'),
        **dict(wait_argument_spec(), **dict((option, dict(type='str')) for option in RUN_OPTIONS))
    )
    rules = dict(
        mutually_exclusive=[('branch', 'tag'), ('continuation_key', 'project_slug'), ('continuation_key', 'branch'),
                            ('continuation_key', 'tag'), ('pipeline_definition', 'pipeline_definition_id'),
                            ('config_branch', 'config_tag'), ('checkout_branch', 'checkout_tag')]
        + [('continuation_key', option) for option in RUN_OPTIONS],
        required_one_of=[('project_slug', 'continuation_key')],
        required_together=[('continuation_key', 'configuration')],
    )

    @property
    def continuing(self):
        return self.params['continuation_key'] is not None

    @property
    def run_mode(self):
        return not self.continuing and (any(self.params[option] is not None for option in RUN_OPTIONS)
                                        or self.params['project_slug'].split('/')[0] == 'circleci')

    @property
    def lost_hint(self):
        if self.continuing:
            return ('. CircleCI may have continued the pipeline all the same; it was not sent again. Look at the '
                    'pipeline before running this task again.')
        return ('. CircleCI may have created the pipeline all the same; it was not triggered again, so as not to '
                'deploy twice. Look at the project\'s latest pipelines before running this task again.')

    def check(self):
        params = self.params
        check_pipeline_parameters(params['parameters'])
        check_wait(params)
        if self.continuing:
            if not params['continuation_key']:
                raise CircleCIInputError('continuation_key', 'must not be empty')
            if params['wait']:
                raise CircleCIInputError('wait', 'cannot be used with continuation_key: CircleCI does not say which '
                                         'pipeline a continuation belongs to, so there is nothing to wait for')
            return {'configuration': self.configuration_text(params['configuration'])}
        check_project_slug(params['project_slug'])
        if params['configuration'] is not None:
            raise CircleCIInputError('configuration', 'is only used with continuation_key')
        for option in ('branch', 'tag', 'pipeline_definition') + RUN_OPTIONS[2:]:
            if params[option] is not None:
                check_text(params[option], option)
        if params['pipeline_definition_id'] is not None:
            return {'definition_id': check_uuid(params['pipeline_definition_id'], 'pipeline_definition_id')}
        return {}

    @staticmethod
    def configuration_text(value):
        if isinstance(value, dict):
            # JSON is YAML, and CircleCI reads the configuration as YAML.
            return json.dumps(value, sort_keys=True)
        if isinstance(value, str) and value.strip():
            return value
        raise CircleCIInputError('configuration', 'must be a non-empty string of CircleCI configuration (YAML), or a dictionary')

    def find(self):
        """Run mode: the definition named by name, as its id (reads only, so check mode proves it exists)."""
        if self.run_mode and self.params['pipeline_definition'] is not None:
            project = project_of(self.client, self.params['project_slug'])
            self.inputs['definition_id'] = definition_of(self.client, project['id'], self.params['pipeline_definition'])['id']
            return project
        return None

    def plan(self, target):
        self.result['pipeline'] = {}
        if not self.continuing:
            self.result['triggered'] = False
        return True, None

    def preview(self, target):
        if not self.continuing and target is None:
            # A read, so that check mode still proves the project exists and the token may use it.
            self.client.get('/project/%s' % quote_slug(self.params['project_slug']))

    def run_body(self):
        """The body of POST .../pipeline/run: branch and tag stand for whichever of config and checkout is not given."""
        params = self.params
        body = {}
        if self.inputs.get('definition_id'):
            body['definition_id'] = self.inputs['definition_id']
        for part in ('config', 'checkout'):
            for ref in ('branch', 'tag'):
                value = params['%s_%s' % (part, ref)]
                if value is None and params['%s_branch' % part] is None and params['%s_tag' % part] is None:
                    value = params[ref]
                if value is not None:
                    body[part] = {ref: value}
        if params['parameters'] is not None:
            body['parameters'] = params['parameters']
        return body

    def act(self, target):
        params = self.params
        if self.continuing:
            body = {'continuation-key': params['continuation_key'], 'configuration': self.inputs['configuration']}
            if params['parameters'] is not None:
                body['parameters'] = params['parameters']
            return self.client.post('/pipeline/continue', body=body)
        # The client sends a POST again only after a 429; never add a retry around these calls.
        if self.run_mode:
            # The slug as three segments: CircleCI answers 404 for %2F in it here.
            return self.client.post('/project/%s/pipeline/run' % quote_slug(params['project_slug']), body=self.run_body())
        body = dict((option, params[option]) for option in ('branch', 'tag', 'parameters') if params[option] is not None)
        return self.client.post('/project/%s/pipeline' % quote_slug(params['project_slug']), body=body)

    def checked_out(self):
        """The ref the pipeline checks out, in words (for the progress line)."""
        ref = self.run_body().get('checkout', {}) if self.run_mode else self.params
        if ref.get('tag') is not None:
            return 'tag %s' % ref['tag']
        return 'branch %s' % ref['branch'] if ref.get('branch') else 'the default branch'

    def applied(self, outcome):
        # pipeline/run answers 200 with only a message when it triggered nothing (a [ci skip] commit).
        return not self.run_mode or bool((outcome or {}).get('id'))

    def done(self, outcome):
        params = self.params
        if self.continuing:
            self.result['message'] = (outcome or {}).get('message', '')
            return
        if not self.applied(outcome):
            message = (outcome or {}).get('message') or 'no pipeline and no message'
            self.result['message'] = message
            if params['wait']:
                raise CircleCIStateError('POST /project/%s/pipeline/run: CircleCI triggered no pipeline (%s), so there is '
                                         'nothing to wait for' % (params['project_slug'], message))
            self.warn('CircleCI triggered no pipeline: %s' % message)
            return
        self.result['triggered'] = True
        pipeline = dict(outcome, project_slug=params['project_slug'])
        self.result['pipeline'] = pipeline_view(pipeline)
        ref = self.checked_out()
        self.watch.note(('triggered', pipeline.get('id')), pipeline_label(pipeline), 'triggered on %s (id %s)' % (ref, pipeline.get('id')))
        self.result['progress'] = list(self.watch.lines)
        if params['wait']:
            wait_for_pipeline(self.watch, pipeline, params, self.result)


class WorkflowAction(Operation):
    """Approve, cancel or rerun one workflow, and optionally wait for it."""

    argument_spec = dict(
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
        **wait_argument_spec()
    )
    rules = dict(
        mutually_exclusive=[('workflow_id', 'pipeline_id'), ('workflow_id', 'workflow_name'),
                            ('approval_job', 'approval_request_id')],
        required_one_of=[('workflow_id', 'pipeline_id')],
        required_together=[('pipeline_id', 'workflow_name')],
        required_if=[('action', 'approve', ('approval_job', 'approval_request_id'), True)],
    )
    lost_hint = '. CircleCI may have done it all the same; it was not sent again. Look at the workflow before running this task again.'

    def check(self):
        params = self.params
        inputs = {}
        if params['workflow_id'] is not None:
            inputs['workflow_id'] = check_uuid(params['workflow_id'], 'workflow_id')
        else:
            inputs['pipeline_id'] = check_uuid(params['pipeline_id'], 'pipeline_id')
            check_text(params['workflow_name'], 'workflow_name')
        if params['approval_request_id'] is not None:
            inputs['approval_request_id'] = check_uuid(params['approval_request_id'], 'approval_request_id')
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
        return inputs

    def find(self):
        if self.inputs.get('workflow_id'):
            workflow = self.client.get('/workflow/%s' % quote_segment(self.inputs['workflow_id']))
        else:
            pipeline_id, name = self.inputs['pipeline_id'], self.params['workflow_name']
            workflows = self.client.list('/pipeline/%s/workflow' % quote_segment(pipeline_id))
            matches = [w for w in latest_per_name(workflows) if w.get('name') == name]
            if not matches:
                names = sorted(set(w.get('name') for w in workflows))
                raise CircleCIStateError('workflow_name: pipeline %s has no workflow named %r (its workflows: %s)'
                                         % (pipeline_id, name, ', '.join(names) or 'none yet'))
            workflow = matches[0]
        self.result['workflow_id'] = workflow['id']
        self.result['workflow'] = workflow_view(workflow)
        return workflow

    def jobs_of(self, workflow):
        return self.client.list('/workflow/%s/job' % quote_segment(workflow['id']))

    def plan(self, target):
        return getattr(self, 'plan_' + self.params['action'])(target)

    def act(self, target):
        return getattr(self, 'act_' + self.params['action'])(target)

    def unchanged(self, target):
        self.done(target['id'])

    def done(self, outcome):
        """``outcome``: the id of the workflow to wait for (the new one after a rerun)."""
        if self.params['wait']:
            wait_for_workflow(self.watch, outcome, self.params, self.result)
            self.result['workflow_id'] = outcome
        elif self.params['action'] == 'rerun':
            self.result['workflow'] = workflow_view(self.client.get('/workflow/%s' % quote_segment(outcome)))

    # -- approve ------------------------------------------------------------------------------

    def approval_job(self, workflow):
        approvals = [j for j in self.jobs_of(workflow) if j.get('type') == 'approval']
        wanted_name, wanted_id = self.params['approval_job'], self.inputs.get('approval_request_id')
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
        return option, matches[0]

    def plan_approve(self, workflow):
        option, job = self.approval_job(workflow)
        self.result['job'] = dict(job)
        status = job.get('status')
        before = {'approval_job': job.get('name'), 'status': status}
        if status == 'on_hold':
            return True, {'before': before, 'after': dict(before, status='success')}
        if status == 'success' or job.get('approved_by'):
            return False, {'before': before, 'after': dict(before)}
        raise CircleCIStateError('%s: approval job %s of workflow %s (id %s) is %s, not on_hold: %s'
                                 % (option, job.get('name'), workflow.get('name'), workflow['id'], status,
                                    'it waits for the jobs it requires' if status == 'blocked'
                                    else 'it can no longer be approved'))

    def act_approve(self, workflow):
        self.client.post('/workflow/%s/approve/%s' % (quote_segment(workflow['id']),
                                                      quote_segment(self.result['job']['approval_request_id'])))
        return workflow['id']

    # -- cancel -------------------------------------------------------------------------------

    def plan_cancel(self, workflow):
        return cancel_plan(workflow.get('status'), FINISHED_WORKFLOW)

    def act_cancel(self, workflow):
        path = '/workflow/%s' % quote_segment(workflow['id'])
        self.client.post(path + '/cancel')
        self.result['workflow'] = workflow_view(self.client.get(path))
        return workflow['id']

    # -- rerun --------------------------------------------------------------------------------

    def plan_rerun(self, workflow):
        status = workflow.get('status')
        if status not in FINISHED_WORKFLOW:
            raise CircleCIStateError('workflow %s (id %s) is %s: only a finished workflow can be rerun'
                                     % (workflow.get('name'), workflow['id'], status))
        self.result['rerun_of'] = workflow['id']
        if self.params['jobs']:
            # Named jobs are checked (and turned into ids) in check mode too.
            self.inputs['job_ids'] = self.job_ids(workflow, self.params['jobs'])
        return True, None

    def preview(self, target):
        if self.params['action'] == 'rerun':
            self.result['workflow_id'] = None

    def act_rerun(self, workflow):
        params = self.params
        body = {}
        if params['from_failed']:
            body['from_failed'] = True
        if params['jobs']:
            body['jobs'] = self.inputs['job_ids']
            for option in ('enable_ssh', 'sparse_tree'):
                if params[option]:
                    body[option] = True
        answer = self.client.post('/workflow/%s/rerun' % quote_segment(workflow['id']), body=body)
        new_id = (answer or {}).get('workflow_id')
        if not new_id:
            raise CircleCIStateError('POST /workflow/%s/rerun: CircleCI accepted the rerun but did not name the new workflow'
                                     % workflow['id'])
        self.result['workflow_id'] = new_id
        self.result['workflow'] = {'id': new_id, 'name': workflow.get('name')}
        self.watch.note(('rerun', new_id), 'workflow %s' % workflow.get('name'), 'rerun as %s' % new_id)
        self.result['progress'] = list(self.watch.lines)
        return new_id

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
