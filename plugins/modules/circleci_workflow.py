#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_workflow
short_description: Approve, cancel or rerun a CircleCI workflow
version_added: 0.1.0
description:
  - Acts on one workflow, named by O(workflow_id), or by O(pipeline_id) and O(workflow_name).
  - V(approve) approves an approval job that is on hold, named by O(approval_job) or O(approval_request_id). An approval
    job already approved is no change.
  - V(cancel) cancels a workflow that is still running. A workflow that has finished is no change.
  - V(rerun) reruns a finished workflow as a new workflow, in full, from its failed jobs (O(from_failed)), or from the
    jobs in O(jobs). It always reports a change, and returns the new workflow's id in RV(workflow_id).
  - After V(approve) or V(rerun), O(wait=true) waits for that workflow (the new one after a rerun) to finish, showing each
    change of state at C(-v) as the trigger module does.
author:
  - community.circleci contributors (@ansible-collections)
options:
  workflow_id:
    description:
      - The workflow's UUID.
      - Exactly one of O(workflow_id) and O(pipeline_id) is required.
    type: str
  pipeline_id:
    description:
      - The UUID of the pipeline the workflow belongs to; with O(workflow_name).
    type: str
  workflow_name:
    description:
      - The workflow's name within the pipeline O(pipeline_id). When the workflow was rerun, its latest run is used.
    type: str
  action:
    description:
      - What to do.
    type: str
    required: true
    choices: [approve, cancel, rerun]
  approval_job:
    description:
      - With V(approve), the name of the approval job to approve.
      - When the workflow has no approval job of that name, the task fails and lists the approval jobs it has.
    type: str
  approval_request_id:
    description:
      - With V(approve), the approval job's V(approval_request_id) (a UUID), instead of its name.
    type: str
  from_failed:
    description:
      - With V(rerun), rerun the workflow from its failed jobs; the jobs that succeeded are kept.
      - Excludes O(jobs).
    type: bool
    default: false
  jobs:
    description:
      - With V(rerun), the jobs to run again (with the jobs that depend on them), each by name or by id.
      - Without O(jobs) and O(from_failed), the whole workflow is rerun.
    type: list
    elements: str
  enable_ssh:
    description:
      - With V(rerun) and O(jobs), allow SSH into the rerun jobs. Needs O(jobs).
    type: bool
    default: false
  sparse_tree:
    description:
      - With V(rerun) and O(jobs), rerun with CircleCI's sparse tree logic (for workflows of disconnected job graphs).
        Needs O(jobs).
    type: bool
    default: false
  wait:
    description:
      - After V(approve) or V(rerun), wait for the workflow to finish.
      - Not used with V(cancel).
    type: bool
    default: false
  wait_timeout:
    description:
      - How long to wait, in seconds. When it runs out, the task fails, naming the workflow, which is left running.
    type: float
    default: 1800
  poll_interval:
    description:
      - Seconds between two looks at the workflow while waiting.
    type: float
    default: 10
  fail_on_failure:
    description:
      - With O(wait=true), fail when the workflow ends V(failed), V(error), V(canceled) or V(unauthorized), naming the
        failed jobs and their web addresses.
    type: bool
    default: true
  stop_on_hold:
    description:
      - With O(wait=true), stop waiting when the workflow is on hold again (at a later approval job).
    type: bool
    default: false
notes:
  - This module has an action plugin of the same name, which runs it on the controller so that progress can be shown
    while waiting. It does not support C(async). Environment variables for the connection options are read from the
    controller's environment and the task's C(environment).
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.MODULES
  - community.circleci.attributes
attributes:
  check_mode:
    support: full
    details:
      - The workflow and its jobs are read, so check mode reports whether an approval or a cancel would change anything;
        nothing is approved, canceled or rerun.
  diff_mode:
    support: partial
    details:
      - V(approve) and V(cancel) show the status before and after. V(rerun) shows no diff.
  idempotent:
    support: partial
    details:
      - V(approve) and V(cancel) are idempotent. V(rerun) starts a new run every time.
seealso:
  - module: community.circleci.circleci_pipeline_trigger
  - module: community.circleci.circleci_job
  - module: community.circleci.circleci_info
'''

EXAMPLES = r'''
- name: Approve the production deploy of a pipeline and wait for it
  community.circleci.circleci_workflow:
    pipeline_id: "{{ release.pipeline.id }}"
    workflow_name: release
    action: approve
    approval_job: hold-for-approval
    wait: true
    poll_interval: 15

- name: Approve by approval request id
  community.circleci.circleci_workflow:
    workflow_id: 7d8ed9a2-9e5c-4a45-92df-8e2bcee9a3b1
    action: approve
    approval_request_id: 0e53027b-521a-4c40-9042-47e72b3c63a3

- name: Cancel a workflow (no change when it has finished)
  community.circleci.circleci_workflow:
    workflow_id: 7d8ed9a2-9e5c-4a45-92df-8e2bcee9a3b1
    action: cancel

- name: Rerun from the failed jobs and wait for the new run
  community.circleci.circleci_workflow:
    workflow_id: 7d8ed9a2-9e5c-4a45-92df-8e2bcee9a3b1
    action: rerun
    from_failed: true
    wait: true
  register: rerun

- name: Rerun one job with SSH enabled
  community.circleci.circleci_workflow:
    workflow_id: "{{ rerun.workflow_id }}"
    action: rerun
    jobs: [integration-tests]
    enable_ssh: true
'''

RETURN = r'''
workflow_id:
  description:
    - The workflow acted on; after V(rerun), the new workflow's id (V(null) in check mode).
  returned: always
  type: str
  sample: 0e53027b-521a-4c40-9042-47e72b3c63a3
rerun_of:
  description: After V(rerun), the id of the workflow that was rerun.
  returned: when O(action=rerun)
  type: str
  sample: 7d8ed9a2-9e5c-4a45-92df-8e2bcee9a3b1
workflow:
  description:
    - The workflow as last read; after V(rerun), the new workflow.
    - After a wait, with its RV(workflow.jobs).
  returned: always
  type: dict
  contains:
    id:
      description: The workflow's UUID.
      type: str
    name:
      description: The workflow's name.
      type: str
    status:
      description: V(success), V(running), V(not_run), V(failed), V(error), V(failing), V(on_hold), V(canceled) or V(unauthorized).
      type: str
      sample: success
    pipeline_id:
      description: The pipeline's UUID.
      type: str
    pipeline_number:
      description: The pipeline's number.
      type: int
    project_slug:
      description: The project.
      type: str
    created_at:
      description: When the workflow started (RFC 3339).
      type: str
    stopped_at:
      description: When it finished; V(null) while it runs.
      type: str
    jobs:
      description:
        - The workflow's jobs as CircleCI lists them; a failed job of a failed workflow also has V(web_url).
      type: list
      elements: dict
      returned: after a wait
job:
  description: With V(approve), the approval job as it was before the task.
  returned: when O(action=approve)
  type: dict
  sample:
    id: 9b4f0cee-a362-4a2a-b16b-fe7c0f7d3416
    name: hold-for-approval
    type: approval
    status: on_hold
    approval_request_id: 02d80b8b-c906-4d7a-accc-5922d869e3b3
progress:
  description: One line per change of state seen while waiting; the same lines that C(-v) shows.
  returned: after a rerun or a wait
  type: list
  elements: str
diff:
  description: The status before and after, for V(approve) and V(cancel).
  returned: when O(action=approve) or O(action=cancel)
  type: dict
'''

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._pipelines import WorkflowAction


def main():
    run_module(WorkflowAction)


if __name__ == '__main__':
    main()
