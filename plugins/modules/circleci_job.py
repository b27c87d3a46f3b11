#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_job
short_description: Cancel a CircleCI job
version_added: 0.1.0
description:
  - Cancels a job while it is queued, blocked, on hold or running, named either by its project and job number, or by its
    id (O(job_id)).
  - By project and number the job is read first, so a job that has finished is no change and nothing is sent.
  - By O(job_id), CircleCI offers no way to read the job first (its API reads jobs by number only), so the cancel is
    always sent and the task always reports a change. CircleCI accepts the cancel of a finished job and leaves the job
    as it was, so running the task again is harmless. This is the way to cancel a job that has no number yet (a
    V(blocked) job, or an approval job on hold), whose id M(community.circleci.circleci_info) (query V(workflow_jobs))
    lists.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project, as C(vcs/org/repo), for example V(gh/acme/api).
      - Required with O(job_number); mutually exclusive with O(job_id).
    type: str
  job_number:
    description:
      - The job's number within the project.
      - Required with O(project_slug); mutually exclusive with O(job_id).
    type: int
  job_id:
    description:
      - The job's UUID, instead of O(project_slug) and O(job_number).
    type: str
  action:
    description:
      - What to do. V(cancel) is the only action today.
    type: str
    choices: [cancel]
    default: cancel
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.MODULES
  - community.circleci.attributes
attributes:
  check_mode:
    support: full
    details:
      - By project and number the job is read, so check mode reports whether it would be canceled. By O(job_id) no
        request is sent and a change is reported.
  diff_mode:
    support: partial
    details:
      - By project and number, the job's status before and after. By O(job_id) there is no diff, since the job cannot be
        read.
  idempotent:
    support: partial
    details:
      - By project and number, a finished job is no change. By O(job_id) every run sends the cancel and reports a change;
        CircleCI leaves a finished job as it was.
seealso:
  - module: community.circleci.circleci_workflow
  - module: community.circleci.circleci_info
'''

EXAMPLES = r'''
- name: Cancel a running job
  community.circleci.circleci_job:
    project_slug: gh/acme/api
    job_number: 4321

- name: Cancel a job by its id, for example an approval job that is on hold
  community.circleci.circleci_job:
    job_id: 2b6f4b4e-3b1c-4d2a-9a53-5c8f1e7d9a10

- name: Cancel the running jobs of a workflow
  community.circleci.circleci_job:
    project_slug: gh/acme/api
    job_number: "{{ item.job_number }}"
  loop: "{{ deploy.workflows[0].jobs | selectattr('status', 'equalto', 'running') | list }}"
'''

RETURN = r'''
job:
  description:
    - The job after the task, as CircleCI describes it.
    - By O(job_id), only V(id) and CircleCI's V(message) (V(null) in check mode).
  returned: always
  type: dict
  contains:
    id:
      description: The job's UUID.
      type: str
      returned: with O(job_id)
    message:
      description: CircleCI's answer to the cancel, for example V(Job cancelled.).
      type: str
      returned: with O(job_id)
    number:
      description: The job number.
      type: int
      sample: 4321
    name:
      description: The job's name.
      type: str
      sample: deploy
    status:
      description: The job's status, for example V(running), V(success), V(failed) or V(canceled).
      type: str
      sample: canceled
    web_url:
      description: The job's page in the CircleCI app.
      type: str
      sample: https://app.circleci.com/pipelines/github/acme/api/25/workflows/7d8ed9a2-9e5c-4a45-92df-8e2bcee9a3b1/jobs/4321
    started_at:
      description: When the job started (RFC 3339).
      type: str
    stopped_at:
      description: When it stopped; V(null) while it runs.
      type: str
    latest_workflow:
      description: The latest workflow the job was part of (V(id), V(name)).
      type: dict
    pipeline:
      description: The pipeline the job belongs to (V(id)).
      type: dict
    project:
      description: The project (V(id), V(slug), V(name), V(external_url)).
      type: dict
diff:
  description: The job's status before and after.
  returned: with O(project_slug) and O(job_number)
  type: dict
  contains:
    before:
      description: The status before the task.
      type: dict
    after:
      description: The status after the task.
      type: dict
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._operation import Operation
from ansible_collections.community.circleci.plugins.module_utils._pipelines import cancel_plan
from ansible_collections.community.circleci.plugins.module_utils._validation import check_positive_int, check_project_slug, check_uuid
from ansible_collections.community.circleci.plugins.module_utils._wait import FINISHED_JOB


class JobCancel(Operation):
    argument_spec = dict(
        project_slug=dict(type='str'),
        job_number=dict(type='int'),
        job_id=dict(type='str'),
        action=dict(type='str', choices=['cancel'], default='cancel'),
    )
    rules = dict(
        mutually_exclusive=[('job_id', 'project_slug'), ('job_id', 'job_number')],
        required_one_of=[('job_id', 'project_slug')],
        required_together=[('project_slug', 'job_number')],
    )
    lost_hint = '. CircleCI may have canceled the job all the same; it was not sent again.'

    def check(self):
        if self.params['job_id'] is not None:
            return {'job_id': check_uuid(self.params['job_id'], 'job_id')}
        slug = quote_slug(check_project_slug(self.params['project_slug']))
        return {'path': '/project/%s/job/%s' % (slug, quote_segment(check_positive_int(self.params['job_number'], 'job_number')))}

    def find(self):
        if 'job_id' in self.inputs:
            # No route reads a job by its id: the cancel is always sent (CircleCI leaves a finished job alone).
            self.result['job'] = {'id': self.inputs['job_id'], 'message': None}
            return None
        self.result['job'] = self.client.get(self.inputs['path'])
        return self.result['job']

    def plan(self, target):
        if target is None:
            return True, None
        return cancel_plan(target.get('status'), FINISHED_JOB)

    def act(self, target):
        if target is None:
            answer = self.client.post('/jobs/%s/cancel' % quote_segment(self.inputs['job_id']))
            self.result['job']['message'] = (answer or {}).get('message')
            return
        self.client.post(self.inputs['path'] + '/cancel')
        self.result['job'] = self.client.get(self.inputs['path'])


def main():
    run_module(JobCancel)


if __name__ == '__main__':
    main()
