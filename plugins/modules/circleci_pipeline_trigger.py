#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_pipeline_trigger
short_description: Trigger a CircleCI pipeline and wait for its outcome, or continue a setup pipeline
version_added: 0.1.0
description:
  - Triggers a new pipeline of a project on a branch or a tag, with pipeline parameters.
  - With O(wait=true), waits until every workflow of the pipeline has finished and reports each workflow's final status and
    jobs; by default the task fails when a workflow ends V(failed), V(error), V(canceled) or V(unauthorized), naming the
    failed jobs and their web addresses.
  - While waiting, each change of state (of the pipeline, a workflow or a job) is shown as one line at C(-v), as it happens.
    The same lines are returned in RV(progress).
  - Continues a setup pipeline (dynamic configuration) with O(continuation_key) and O(configuration) instead.
  - "Run mode: projects of GitHub App, GitLab and standalone organizations (slugs V(circleci/<org-id>/<project-id>)) run pipeline
    definitions. With any of O(pipeline_definition), O(pipeline_definition_id), O(config_branch), O(config_tag), O(checkout_branch)
    and O(checkout_tag), or with a slug that starts with V(circleci/), the module sends C(POST /project/{vcs}/{org}/{project}/pipeline/run)
    (the slug as three path segments) with the definition, the config ref, the checkout ref and the parameters. There O(branch) and
    O(tag) stand for both the config ref and the checkout ref, where those are not given themselves. Waiting, O(stop_on_hold),
    O(fail_on_failure) and the progress lines work as for any other pipeline."
  - When CircleCI answers that it triggered nothing (for example the commit says C([ci skip])), the task reports no change,
    RV(triggered=false) and CircleCI's message as a warning; with O(wait=true) it fails with that message, since there is nothing
    to wait for.
  - The trigger is never sent twice. The request that creates the pipeline is retried only after a 429 answer (which means
    it was not done); after a server error or a lost connection CircleCI may have created the pipeline, so the task fails
    and says so rather than risk a second deploy.
  - Triggering is not idempotent by nature; the task reports a change whenever a pipeline was created.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project, as C(vcs/org/repo), for example V(gh/acme/api), V(bb/acme/api) or V(circleci/<org-id>/<project-id>).
      - Required unless O(continuation_key) is given.
    type: str
  branch:
    description:
      - The branch to build; its latest commit is used.
      - For a GitHub pull request, V(pull/<number>/head) or V(pull/<number>/merge).
      - Without O(branch) and O(tag), the project's default branch.
    type: str
  tag:
    description:
      - The tag to build. Mutually exclusive with O(branch).
    type: str
  pipeline_definition:
    description:
      - Run mode. The name of the pipeline definition to run (the project and its definitions are read to find its id).
      - Without it and O(pipeline_definition_id), CircleCI runs the project's first definition.
    type: str
  pipeline_definition_id:
    description:
      - Run mode. The UUID of the pipeline definition to run.
    type: str
  config_branch:
    description:
      - Run mode. The branch whose configuration the pipeline runs. Defaults to O(branch) (or O(tag)), else the default branch.
    type: str
  config_tag:
    description:
      - Run mode. The tag whose configuration the pipeline runs, instead of O(config_branch).
    type: str
  checkout_branch:
    description:
      - Run mode. The branch the pipeline checks out. Defaults to O(branch) (or O(tag)), else CircleCI checks out the config ref.
    type: str
  checkout_tag:
    description:
      - Run mode. The tag the pipeline checks out, instead of O(checkout_branch).
    type: str
  parameters:
    description:
      - Pipeline parameters, by name. Values are strings, integers or booleans.
      - CircleCI accepts at most 100 parameters, names of up to 128 characters and values of up to 512 characters; these
        limits are checked before any request.
      - CircleCI refuses a parameter that the project's configuration does not declare.
      - With O(continuation_key), the parameters of the continued configuration.
    type: dict
  continuation_key:
    description:
      - Continue the setup pipeline that this key belongs to, with O(configuration), instead of triggering a new pipeline.
      - The key is the value of E(CIRCLE_CONTINUATION_KEY) in the setup job. It can be used once.
      - Excludes O(project_slug), O(branch), O(tag), the run mode options and O(wait), because CircleCI does not say which
        pipeline a continuation belongs to.
    type: str
  configuration:
    description:
      - The configuration to continue the setup pipeline with, as a string of CircleCI configuration (YAML), or as a
        dictionary (sent as JSON, which CircleCI reads as YAML).
      - Required with O(continuation_key), and used only with it.
    type: raw
  wait:
    description:
      - Wait for the pipeline to finish, that is until every workflow has finished (or, with O(stop_on_hold=true), is on hold).
      - A pipeline with no workflow yet is not finished. A pipeline that V(errored) (for example, invalid configuration) is.
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
      - With O(wait=true), fail the task when a workflow ends V(failed), V(error), V(canceled) or V(unauthorized), or when
        the pipeline V(errored). The message names the failed jobs and their web addresses.
      - With V(false), the task succeeds and the outcome is in RV(workflows).
    type: bool
    default: true
  stop_on_hold:
    description:
      - With O(wait=true), stop waiting as soon as every workflow is finished or on hold (waiting for an approval), so
        that the play can approve it with M(community.circleci.circleci_workflow).
      - Without it, a workflow on hold is waited for until someone approves it or O(wait_timeout) runs out.
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
      - In check mode nothing is triggered or continued. The project is read, so a wrong slug or token still fails.
  diff_mode:
    support: none
  idempotent:
    support: none
    details:
      - Every run triggers a new pipeline (unless CircleCI declines to, as for a C([ci skip]) commit).
seealso:
  - module: community.circleci.circleci_workflow
  - module: community.circleci.circleci_info
  - name: Triggering pipelines with the API
    description: CircleCI's guide to the pipeline trigger endpoint and pipeline parameters.
    link: https://circleci.com/docs/api/v2/index.html#operation/triggerPipeline
  - name: Dynamic configuration
    description: Setup workflows and continuation.
    link: https://circleci.com/docs/dynamic-config/
'''

EXAMPLES = r'''
- name: Deploy main and wait for the outcome
  community.circleci.circleci_pipeline_trigger:
    project_slug: gh/acme/api
    branch: main
    parameters:
      deploy_prod: true
      environment: production
    wait: true
    wait_timeout: 3600
    poll_interval: 15
  register: deploy

- name: Show the jobs of every workflow
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.status }} ({{ item.jobs | map(attribute='name') | join(', ') }})"
  loop: "{{ deploy.workflows }}"

- name: Release a tag; stop at the approval step, approve, then wait for the rest
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ lookup('ansible.builtin.env', 'CIRCLECI_TOKEN') }}"
  block:
    - name: Trigger the release
      community.circleci.circleci_pipeline_trigger:
        project_slug: gh/acme/api
        tag: v1.4.0
        wait: true
        stop_on_hold: true
      register: release

    - name: Approve the hold and wait for the deploy
      community.circleci.circleci_workflow:
        pipeline_id: "{{ release.pipeline.id }}"
        workflow_name: release
        action: approve
        approval_job: hold-for-approval
        wait: true

- name: Trigger without waiting, and tolerate a failing pipeline later
  community.circleci.circleci_pipeline_trigger:
    project_slug: gh/acme/web
    branch: feature/new-header
  register: triggered

- name: Run the deploy definition of a GitHub App project on a release tag, with the configuration of main
  community.circleci.circleci_pipeline_trigger:
    project_slug: circleci/9YjU4TjbZhbSC7RtnTnr4R/5GmSzy2ZHV6RW5XD8BXhpw
    pipeline_definition: deploy
    config_branch: main
    checkout_tag: v2.3.0
    wait: true
  register: deploy

- name: From a setup job, continue the pipeline with generated configuration
  community.circleci.circleci_pipeline_trigger:
    continuation_key: "{{ lookup('ansible.builtin.env', 'CIRCLE_CONTINUATION_KEY') }}"
    configuration: "{{ lookup('ansible.builtin.file', 'generated-config.yml') }}"
    parameters:
      run_integration: true
'''

RETURN = r'''
pipeline:
  description:
    - The pipeline. After a trigger without waiting, what CircleCI answered to the trigger; after a wait, the pipeline as
      it was last read.
    - V({}) in check mode and after a continuation (CircleCI does not say which pipeline was continued).
  returned: always
  type: dict
  contains:
    id:
      description: The pipeline's UUID.
      type: str
      returned: when triggered
      sample: 5034460f-c7c4-4c43-9457-de07e2029e7b
    number:
      description: The pipeline's number within the project.
      type: int
      returned: when triggered
      sample: 25
    state:
      description: V(created), V(errored), V(setup-pending), V(setup) or V(pending).
      type: str
      returned: when triggered
      sample: created
    created_at:
      description: When the pipeline was created (RFC 3339).
      type: str
      returned: when triggered
      sample: '2026-09-21T17:29:21.042Z'
    project_slug:
      description: The project.
      type: str
      returned: when triggered
      sample: gh/acme/api
    errors:
      description: The pipeline's errors, each with V(type) and V(message); set when it V(errored).
      type: list
      elements: dict
      returned: after a wait
    vcs:
      description: The branch or tag, the revision and the commit the pipeline built.
      type: dict
      returned: after a wait
    trigger:
      description: How and by whom the pipeline was triggered.
      type: dict
      returned: after a wait
workflows:
  description:
    - Every workflow of the pipeline with its final status and its jobs, oldest first. When a workflow was rerun, only
      its latest run is listed.
  returned: when O(wait=true), also when the wait failed or timed out
  type: list
  elements: dict
  contains:
    id:
      description: The workflow's UUID.
      type: str
      sample: 7d8ed9a2-9e5c-4a45-92df-8e2bcee9a3b1
    name:
      description: The workflow's name.
      type: str
      sample: build-and-deploy
    status:
      description:
        - V(success), V(failed), V(error), V(canceled), V(unauthorized), V(not_run), V(on_hold), or, when the wait
          timed out, V(running) or V(failing).
      type: str
      sample: success
    created_at:
      description: When the workflow started (RFC 3339).
      type: str
    stopped_at:
      description: When it finished; V(null) while it runs.
      type: str
    pipeline_id:
      description: The pipeline's UUID.
      type: str
    pipeline_number:
      description: The pipeline's number.
      type: int
    project_slug:
      description: The project.
      type: str
    jobs:
      description:
        - The workflow's jobs as CircleCI lists them (V(id), V(name), V(type), V(status), V(job_number),
          V(started_at), V(stopped_at), V(dependencies), and V(approval_request_id) for approval jobs).
        - A failed job of a failed workflow also has V(web_url), its page in the CircleCI app.
      type: list
      elements: dict
progress:
  description: One line per change of state seen, in order; the same lines that C(-v) shows while the task runs.
  returned: when triggered
  type: list
  elements: str
  sample:
    - 'pipeline gh/acme/api #25: triggered on branch main (id 5034460f-c7c4-4c43-9457-de07e2029e7b)'
    - 'pipeline gh/acme/api #25: created'
    - 'pipeline gh/acme/api #25 workflow build-and-deploy: running'
    - 'pipeline gh/acme/api #25 workflow build-and-deploy job build: success'
triggered:
  description:
    - Whether a pipeline was created. V(false) in check mode, and when CircleCI triggered nothing (run mode, see RV(message)).
  returned: unless continuing
  type: bool
  sample: true
message:
  description:
    - CircleCI's answer to a continuation; or, in run mode, why CircleCI triggered nothing.
  returned: after a continuation, and when nothing was triggered
  type: str
  sample: Ignoring pipeline due to CI skip in the commit
'''

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._pipelines import PipelineTrigger


def main():
    run_module(PipelineTrigger)


if __name__ == '__main__':
    main()
