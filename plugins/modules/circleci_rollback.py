#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_rollback
short_description: Roll a CircleCI deploy component back to an earlier version, and wait for the rollback
version_added: 0.1.0
description:
  - Asks CircleCI to roll a deploy component of a project back, in one environment, from the version live there
    (O(current_version)) to an earlier one (O(target_version)).
  - CircleCI runs the rollback as a pipeline of the project (its rollback type V(PIPELINE)). With O(wait=true) the task
    waits for that pipeline exactly as M(community.circleci.circleci_pipeline_trigger) waits, until every workflow has
    finished, failing by default when one fails, naming the failed jobs and their web addresses.
  - While waiting, each change of state is shown as one line at C(-v), as it happens; the same lines are returned in
    RV(progress).
  - The rollback is never sent twice. Its request is retried only after a 429 answer (which means it was not done). After
    a server error or a lost connection CircleCI may have started the rollback, so the task fails and says so, rather
    than risk a second rollback.
  - CircleCI refuses a rollback (409) while another command of the project is being handled, and one whose
    O(current_version) is not the version live in the environment (400); the task fails with CircleCI's message.
  - A rollback is not idempotent by nature; the task always reports a change.
  - The lookup P(community.circleci.deploys#lookup) tells which version is live in each environment, and
    M(community.circleci.circleci_info) (queries V(deploy_components), V(deploy_component_versions)) lists the versions.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project the component belongs to, as C(vcs/org/repo), for example V(gh/acme/api) or
        V(circleci/<org-id>/<project-id>). It is read once, for its id.
      - Mutually exclusive with O(project_id); one of them is required.
    type: str
  project_id:
    description:
      - The project's UUID, instead of O(project_slug) (no read needed).
    type: str
  component_name:
    description:
      - The deploy component to roll back, by name.
    type: str
    required: true
  environment_name:
    description:
      - The environment to roll it back in, by name, for example V(production).
    type: str
    required: true
  current_version:
    description:
      - The version live in the environment now. CircleCI refuses the rollback when another version is live there, so a
        rollback decided on stale information does not happen.
    type: str
    required: true
  target_version:
    description:
      - The version to roll back to. It must differ from O(current_version).
    type: str
    required: true
  namespace:
    description:
      - The namespace of the deploy, when the component is deployed to several (for example Kubernetes namespaces).
    type: str
  reason:
    description:
      - Why the rollback is made; CircleCI records it with the rollback.
    type: str
  parameters:
    description:
      - Pipeline parameters for the rollback pipeline, by name. Values are strings, integers or booleans, within CircleCI's
        limits (at most 100, names up to 128 characters, values up to 512); checked before any request.
    type: dict
  wait:
    description:
      - Wait for the rollback pipeline to finish, that is until every workflow has finished (or, with O(stop_on_hold=true),
        is on hold).
      - A rollback of another type than V(PIPELINE) cannot be followed; the task then warns and does not wait.
    type: bool
    default: false
  wait_timeout:
    description:
      - How long to wait, in seconds. When it runs out, the task fails with the pipeline's id and number, and the
        pipeline is left running.
    type: float
    default: 1800
  poll_interval:
    description:
      - Seconds between two looks at the pipeline while waiting.
    type: float
    default: 10
  fail_on_failure:
    description:
      - With O(wait=true), fail the task when a workflow of the rollback pipeline ends V(failed), V(error), V(canceled) or
        V(unauthorized), or when the pipeline V(errored). The message names the failed jobs and their web addresses.
      - With V(false), the task succeeds and the outcome is in RV(workflows).
    type: bool
    default: true
  stop_on_hold:
    description:
      - With O(wait=true), stop waiting as soon as every workflow is finished or on hold (waiting for an approval), so
        that the play can approve it with M(community.circleci.circleci_workflow).
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
      - In check mode nothing is rolled back. With O(project_slug) the project is read (for its id), so a wrong slug or
        token still fails; with O(project_id) no request is sent at all.
  diff_mode:
    support: full
    details:
      - The diff shows the component's version in the environment before (O(current_version)) and after
        (O(target_version)).
  idempotent:
    support: none
    details:
      - Every run asks for a new rollback; a second run with the same versions is refused by CircleCI, since
        O(current_version) is then no longer the live one.
seealso:
  - module: community.circleci.circleci_pipeline_trigger
  - module: community.circleci.circleci_info
  - plugin: community.circleci.deploys
    plugin_type: lookup
  - name: The rollback endpoint
    description: CircleCI's API reference of the project rollback.
    link: https://circleci.com/docs/api/v2/index.html#operation/rollbackProject
'''

EXAMPLES = r'''
- name: Roll production back to the version that ran before, and wait for it
  community.circleci.circleci_rollback:
    project_slug: gh/acme/api
    component_name: api-server
    environment_name: production
    current_version: 1.2.0
    target_version: 1.1.0
    reason: smoke tests failed after the deploy of 1.2.0
    wait: true
    wait_timeout: 1800
    poll_interval: 15
  register: rollback

- name: Roll back from whatever is live now (the deploys lookup reads it)
  community.circleci.circleci_rollback:
    project_slug: gh/acme/api
    component_name: api-server
    environment_name: production
    current_version: "{{ lookup('community.circleci.deploys', 'api-server', org_slug='gh/acme', environment='production')[0].version }}"
    target_version: "{{ previous_version }}"
    wait: true

- name: Start a rollback without waiting, with parameters for the rollback pipeline
  community.circleci.circleci_rollback:
    project_id: 0c8ad0a5-6e0f-4f9f-a81b-3d3f4a9c2f1e
    component_name: worker
    environment_name: staging
    current_version: 2.1.0
    target_version: 2.0.3
    namespace: workers
    parameters:
      notify: true
'''

RETURN = r'''
rollback:
  description: What CircleCI answered; V(null) values in check mode.
  returned: always
  type: dict
  contains:
    id:
      description: The rollback's id; for a V(PIPELINE) rollback, the id of the rollback pipeline.
      type: str
      sample: 5034460f-c7c4-4c43-9457-de07e2029e7b
    rollback_type:
      description: How CircleCI runs the rollback, for example V(PIPELINE).
      type: str
      sample: PIPELINE
pipeline:
  description: The rollback pipeline, as it was last read.
  returned: when O(wait=true) and the rollback is a pipeline, also when the wait failed or timed out
  type: dict
  contains:
    id:
      description: The pipeline's UUID (the rollback's id).
      type: str
    number:
      description: The pipeline's number within the project.
      type: int
    state:
      description: V(created), V(errored), V(setup-pending), V(setup) or V(pending).
      type: str
    project_slug:
      description: The project.
      type: str
workflows:
  description:
    - Every workflow of the rollback pipeline with its final status and its jobs, oldest first, as
      M(community.circleci.circleci_pipeline_trigger) returns them.
  returned: when O(wait=true) and the rollback is a pipeline, also when the wait failed or timed out
  type: list
  elements: dict
  contains:
    id:
      description: The workflow's UUID.
      type: str
    name:
      description: The workflow's name.
      type: str
      sample: rollback
    status:
      description: V(success), V(failed), V(error), V(canceled), V(unauthorized), V(not_run), V(on_hold), or, when the
        wait timed out, V(running) or V(failing).
      type: str
      sample: success
    jobs:
      description:
        - The workflow's jobs as CircleCI lists them. A failed job of a failed workflow also has V(web_url), its page in
          the CircleCI app.
      type: list
      elements: dict
progress:
  description: One line per change of state seen, in order; the same lines that C(-v) shows while the task runs.
  returned: when the rollback was started
  type: list
  elements: str
  sample:
    - 'rollback of api-server in production: from 1.2.0 to 1.1.0 started (PIPELINE 5034460f-c7c4-4c43-9457-de07e2029e7b)'
    - 'pipeline gh/acme/api #26: created'
    - 'pipeline gh/acme/api #26 workflow rollback job rollback: success'
    - 'pipeline gh/acme/api #26 workflow rollback: success'
diff:
  description: The component's version in the environment before and after.
  returned: always
  type: dict
  contains:
    before:
      description: V(component), V(environment) and V(version) (O(current_version)).
      type: dict
    after:
      description: V(component), V(environment) and V(version) (O(target_version)).
      type: dict
'''

from ansible_collections.community.circleci.plugins.module_utils._deploys import Rollback
from ansible_collections.community.circleci.plugins.module_utils._module import run_module


def main():
    run_module(Rollback)


if __name__ == '__main__':
    main()
