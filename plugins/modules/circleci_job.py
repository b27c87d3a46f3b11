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
  - Cancels a job, named by its project and job number, while it is queued, blocked or running.
  - A job that has finished is no change.
  - Approval jobs have no job number; approve them, or cancel their workflow, with M(community.circleci.circleci_workflow).
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project, as C(vcs/org/repo), for example V(gh/acme/api).
    type: str
    required: true
  job_number:
    description:
      - The job's number within the project.
    type: int
    required: true
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
      - The job is read, so check mode reports whether it would be canceled.
  diff_mode:
    support: full
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_workflow
  - module: community.circleci.circleci_info
'''

EXAMPLES = r'''
- name: Cancel a running job
  community.circleci.circleci_job:
    project_slug: gh/acme/api
    job_number: 4321

- name: Cancel the running jobs of a workflow
  community.circleci.circleci_job:
    project_slug: gh/acme/api
    job_number: "{{ item.job_number }}"
  loop: "{{ deploy.workflows[0].jobs | selectattr('status', 'equalto', 'running') | list }}"
'''

RETURN = r'''
job:
  description: The job after the task, as CircleCI describes it.
  returned: always
  type: dict
  contains:
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
  returned: always
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
from ansible_collections.community.circleci.plugins.module_utils._validation import check_positive_int, check_project_slug
from ansible_collections.community.circleci.plugins.module_utils._wait import FINISHED_JOB


class JobCancel(Operation):
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        job_number=dict(type='int', required=True),
        action=dict(type='str', choices=['cancel'], default='cancel'),
    )
    lost_hint = '. CircleCI may have canceled the job all the same; it was not sent again.'

    def check(self):
        slug = quote_slug(check_project_slug(self.params['project_slug']))
        return {'path': '/project/%s/job/%s' % (slug, quote_segment(check_positive_int(self.params['job_number'], 'job_number')))}

    def find(self):
        self.result['job'] = self.client.get(self.inputs['path'])
        return self.result['job']

    def plan(self, target):
        return cancel_plan(target.get('status'), FINISHED_JOB)

    def act(self, target):
        self.client.post(self.inputs['path'] + '/cancel')
        self.result['job'] = self.client.get(self.inputs['path'])


def main():
    run_module(JobCancel)


if __name__ == '__main__':
    main()
