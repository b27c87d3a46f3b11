#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_info
short_description: Read anything CircleCI API v2 can tell
version_added: 0.1.0
description:
  - Runs one read-only O(query) against the CircleCI API v2 and returns CircleCI's answer as RV(result).
  - Every read operation of the API is reachable, from the user and organizations, projects, pipelines,
    workflows and jobs, to contexts and their variables, project variables, checkout keys, schedules,
    webhooks and every Insights report, project settings, pipeline definitions, triggers and pipeline values, and the
    governance of an organization (context restrictions, OIDC claims, the URL orb allow-list, groups, config policies
    and their decisions).
  - Each query takes the identifiers and filters its endpoint takes. They are checked before any request is
    sent; an option the query does not use is refused rather than ignored.
  - List queries follow every page up to O(limit) items and return a list; the others return a dict.
  - "The queries and what they need (C(or) separates the forms a query takes; brackets hold its optional filters):"
  - "V(me): nothing. V(collaborations): nothing. V(user): O(user_id). V(project): O(project_slug)."
  - "V(pipelines): O(project_slug) [O(branch)], or O(project_slug) and O(mine=true) (your pipelines of the project),
    or O(org_slug) [O(mine)] (the pipelines of the organization's most recently built projects that you follow)."
  - "V(pipeline), V(pipeline_config), V(workflows): O(pipeline_id), or O(project_slug) and O(pipeline_number)."
  - "V(workflow), V(workflow_jobs): O(workflow_id), or O(pipeline_id) and O(workflow_name)."
  - "V(job), V(job_artifacts), V(job_tests): O(project_slug) and O(job_number)."
  - "V(contexts): O(owner_slug) or O(owner_id) [O(owner_type)].
    V(context), V(context_envvars): O(context_id), or O(name) and O(owner_slug) or O(owner_id) [O(owner_type)]."
  - "V(project_envvars): O(project_slug). V(project_envvar): O(project_slug) and O(name)."
  - "V(checkout_keys): O(project_slug). V(checkout_key): O(project_slug) and O(fingerprint)."
  - "V(schedules): O(project_slug). V(schedule): O(schedule_id)."
  - "V(webhooks): O(project_slug) or O(scope_id). V(webhook): O(webhook_id)."
  - "V(insights_org_summary): O(org_slug) [O(reporting_window), O(project_names)].
    V(insights_project_summary): O(project_slug) [O(reporting_window), O(branches), O(workflow_names)].
    V(insights_branches): O(project_slug) [O(workflow_name)]. V(insights_flaky_tests): O(project_slug).
    V(insights_workflows): O(project_slug) [O(branch) or O(all_branches), O(reporting_window)]."
  - "V(insights_workflow_runs): O(project_slug) and O(workflow_name) [O(branch) or O(all_branches), O(start_date), O(end_date)].
    V(insights_workflow_jobs): O(project_slug) and O(workflow_name) [O(branch) or O(all_branches), O(reporting_window)].
    V(insights_workflow_summary), V(insights_test_metrics): O(project_slug) and O(workflow_name) [O(branch) or O(all_branches)].
    V(insights_job_timeseries): O(project_slug) and O(workflow_name) [O(branch), O(granularity), O(start_date), O(end_date)]."
  - "V(context_restrictions): O(context_id), or O(name) and O(owner_slug) or O(owner_id) [O(owner_type)]."
  - "V(oidc_claims): O(org_id) or O(org_slug) (the organization's claims), or O(project_id) or O(project_slug)
    (one project's own claims; O(org_id) may be given with O(project_id) to save the request that finds it).
    V(url_orb_allow_list), V(groups): O(org_id) or O(org_slug). V(group): O(org_id) or O(org_slug), and O(group_id)."
  - "Config policies, each with O(org_id) or O(org_slug): V(policy_bundle), V(policy_settings): nothing more.
    V(policy): O(policy_name). V(policy_decisions): [O(status), O(after), O(before), O(branch), O(project_id),
    O(build_number)]. V(policy_decision), V(policy_decision_bundle): O(decision_id).
    V(policy_evaluation): O(config) [O(metadata)]."
  - V(policy_evaluation) asks CircleCI for the decision its config policies would make on O(config). It is sent as a
    C(POST), which changes nothing (CircleCI only records the decision in its log), so it runs in check mode too.
  - A slug given for an endpoint that takes an id (O(org_slug) for an organization's id, O(project_slug) for a
    project's) costs one more request.
  - "V(deploy_components): O(org_id) or O(org_slug) [O(project_slug) or O(project_id)], or only O(project_slug) or
    O(project_id) (the project's organization). CircleCI gives V(release_count=0) in this list; V(deploy_component)
    gives the true count."
  - "V(deploy_component): O(component_id). V(deploy_component_versions): O(component_id) [O(environment_id)]: newest
    first, one item per version and environment, V(is_live) true for the version live there."
  - "V(deploy_environments): O(org_id) or O(org_slug). V(deploy_environment): O(environment_id)."
  - "V(usage_export): O(org_id) or O(org_slug), and O(usage_export_id) [O(return_download_urls)]. A usage export's
    download URLs are signed and give access to the organization's usage for about 36 hours, so they are shown with
    their signature (the query string) replaced by V(********), unless O(return_download_urls=true)."
  - "V(project_settings): O(project_slug) or O(project_id); CircleCI's whole answer, C({\"advanced\": {...}}), V(oss) included."
  - "V(pipeline_definitions): O(project_slug) or O(project_id). V(pipeline_definition), V(triggers): O(project_slug) or
    O(project_id), and O(pipeline_definition_id). V(trigger): O(project_slug) or O(project_id), and O(trigger_id).
    V(pipeline_values): O(pipeline_id)."
  - A webhook trigger's URL carries its secret; V(triggers) and V(trigger) show it with the C(secret) value replaced
    by C(********) (use M(community.circleci.circleci_trigger) with O(community.circleci.circleci_trigger#module:return_webhook_url=true)
    to read it).
  - The list queries are V(collaborations), V(pipelines), V(workflows), V(workflow_jobs), V(job_artifacts),
    V(job_tests), V(contexts), V(context_envvars), V(project_envvars), V(checkout_keys), V(schedules),
    V(webhooks), V(insights_workflows), V(insights_workflow_runs), V(insights_workflow_jobs),
    V(insights_job_timeseries), V(context_restrictions), V(url_orb_allow_list), V(groups), V(policy_decisions),
    V(deploy_components), V(deploy_component_versions), V(deploy_environments), V(pipeline_definitions) and V(triggers).
  - Secret values never appear in results, because CircleCI never returns them; variable values come back
    masked (V(xxxx) and the last four characters) and webhook signing secrets as V(****).
author:
  - community.circleci contributors (@ansible-collections)
options:
  query:
    description:
      - What to read. See the description above for what each query needs.
    type: str
    required: true
    choices:
      - me
      - collaborations
      - user
      - project
      - pipelines
      - pipeline
      - pipeline_config
      - workflows
      - workflow
      - workflow_jobs
      - job
      - job_artifacts
      - job_tests
      - contexts
      - context
      - context_envvars
      - project_envvars
      - project_envvar
      - checkout_keys
      - checkout_key
      - schedules
      - schedule
      - webhooks
      - webhook
      - insights_org_summary
      - insights_project_summary
      - insights_branches
      - insights_flaky_tests
      - insights_workflows
      - insights_workflow_runs
      - insights_workflow_jobs
      - insights_workflow_summary
      - insights_test_metrics
      - insights_job_timeseries
      - context_restrictions
      - oidc_claims
      - url_orb_allow_list
      - groups
      - group
      - policy_bundle
      - policy
      - policy_settings
      - policy_decisions
      - policy_decision
      - policy_decision_bundle
      - policy_evaluation
      - deploy_components
      - deploy_component
      - deploy_component_versions
      - deploy_environments
      - deploy_environment
      - usage_export
      - project_settings
      - pipeline_definitions
      - pipeline_definition
      - triggers
      - trigger
      - pipeline_values
  project_slug:
    description:
      - The project, as V(vcs/org/repo) (V(gh/acme/api), V(bb/acme/api), V(circleci/<org-id>/<project-id>)).
      - For V(webhooks), the project whose webhooks to list (resolved to its id).
      - For V(oidc_claims), the project whose own claims to read (resolved to its id and its organization's).
      - For V(deploy_components), only the components of this project (resolved to its id).
      - For V(pipeline_definitions), V(pipeline_definition), V(triggers) and V(trigger), resolved to its id (one more request).
    type: str
  pipeline_definition_id:
    description: The UUID of a pipeline definition. For V(pipeline_definition) and V(triggers).
    type: str
  trigger_id:
    description: The UUID of a trigger. For V(trigger).
    type: str
  org_slug:
    description:
      - The organization, as V(vcs/org) (V(gh/acme), V(circleci/<org-id>)). For V(pipelines), V(insights_org_summary)
        and V(url_orb_allow_list).
      - For the governance queries, V(deploy_components), V(deploy_environments) and V(usage_export), resolved to the
        organization's id (one read of the organizations of the token's user).
    type: str
  org_id:
    description:
      - The organization's UUID. For the governance queries, V(deploy_components), V(deploy_environments) and
        V(usage_export), instead of O(org_slug).
    type: str
  project_id:
    description:
      - For V(oidc_claims), the UUID of the project whose own claims to read.
      - For V(policy_decisions), only the decisions of this project.
      - For V(deploy_components), the UUID of the project whose components to list (instead of O(project_slug)).
      - The project's UUID, instead of O(project_slug), for V(project_settings) (resolved to its slug, one more request),
        V(pipeline_definitions), V(pipeline_definition), V(triggers) and V(trigger).
    type: str
  group_id:
    description: The group's UUID. For V(group).
    type: str
  policy_name:
    description: The name a config policy declares (its C(policy_name)). For V(policy).
    type: str
  decision_id:
    description: The UUID of a decision log. For V(policy_decision) and V(policy_decision_bundle).
    type: str
  status:
    description: For V(policy_decisions), only the decisions of this status, such as V(PASS), V(SOFT_FAIL) or V(HARD_FAIL).
    type: str
  after:
    description: For V(policy_decisions), only the decisions made after this RFC 3339 date-time.
    type: str
  before:
    description: For V(policy_decisions), only the decisions made before this RFC 3339 date-time.
    type: str
  build_number:
    description: For V(policy_decisions), only the decisions of this build number.
    type: str
  config:
    description: For V(policy_evaluation), the text of a CircleCI config (YAML) to evaluate against the config policies.
    type: str
  metadata:
    description:
      - For V(policy_evaluation), the metadata the policies see with the config (such as C(project_id), C(branch)).
    type: dict
  component_id:
    description: The deploy component's UUID. For V(deploy_component) and V(deploy_component_versions).
    type: str
  environment_id:
    description:
      - The deploy environment's UUID. For V(deploy_environment); for V(deploy_component_versions), only the versions
        deployed to this environment.
    type: str
  usage_export_id:
    description: The usage export job's UUID (CircleCI's C(usage_export_job_id)). For V(usage_export).
    type: str
  return_download_urls:
    description:
      - For V(usage_export), show the download URLs whole. They are credentials for about 36 hours; keep them out of logs.
      - Without it, each URL's signature is masked.
    type: bool
  user_id:
    description: The user's UUID. For V(user).
    type: str
  pipeline_id:
    description: The pipeline's UUID.
    type: str
  pipeline_number:
    description:
      - The pipeline's number within O(project_slug).
      - For V(pipeline_config) and V(workflows) it is first resolved to the pipeline's id (one more request).
    type: int
  workflow_id:
    description: The workflow's UUID.
    type: str
  workflow_name:
    description:
      - The name of a workflow.
      - With O(pipeline_id), names the workflow of V(workflow) and V(workflow_jobs); when a rerun left several
        workflows of that name in the pipeline, the newest is used.
      - For the Insights queries, the workflow to report on (V(insights_branches) takes it as a filter).
    type: str
  job_number:
    description: The job's number within O(project_slug).
    type: int
  context_id:
    description: The context's UUID.
    type: str
  name:
    description:
      - For V(context), V(context_envvars) and V(context_restrictions), the exact name of the context (with O(owner_slug) or O(owner_id)).
      - For V(project_envvar), the name of the environment variable.
    type: str
  owner_slug:
    description:
      - The organization that owns the contexts, as V(vcs/org).
      - Mutually exclusive with O(owner_id).
    type: str
  owner_id:
    description: The UUID of the organization or account that owns the contexts.
    type: str
  owner_type:
    description:
      - The type of the context owner. Defaults to V(organization). V(account) exists on CircleCI Server only
        and must be named by O(owner_id).
    type: str
    choices: [organization, account]
  fingerprint:
    description: The fingerprint of a checkout key, as CircleCI lists it. For V(checkout_key).
    type: str
  schedule_id:
    description: The schedule's UUID. For V(schedule).
    type: str
  webhook_id:
    description: The webhook's UUID. For V(webhook).
    type: str
  scope_id:
    description: For V(webhooks), the UUID of the project whose webhooks to list (instead of O(project_slug)).
    type: str
  branch:
    description:
      - For V(pipelines), only the pipelines of this branch.
      - For V(policy_decisions), only the decisions made on this branch.
      - For the Insights queries, the branch to report on; CircleCI uses the project's default branch when
        neither O(branch) nor O(all_branches) is given.
    type: str
  all_branches:
    description:
      - For the Insights queries, report on all branches combined. Mutually exclusive with O(branch).
    type: bool
  branches:
    description: For V(insights_project_summary), the branches to include in the branch-level metrics.
    type: list
    elements: str
  workflow_names:
    description: For V(insights_project_summary), the workflows to include in the workflow-level metrics.
    type: list
    elements: str
  project_names:
    description: For V(insights_org_summary), the projects (by name, such as V(api)) to include.
    type: list
    elements: str
  mine:
    description:
      - For V(pipelines), only the pipelines you triggered.
      - With O(project_slug) it cannot be combined with O(branch), since CircleCI has no such filter.
    type: bool
  reporting_window:
    description:
      - For the Insights summaries, the time window of the metrics. CircleCI's default is V(last-90-days).
    type: str
    choices: [last-24-hours, last-7-days, last-30-days, last-60-days, last-90-days]
  start_date:
    description:
      - For V(insights_workflow_runs) and V(insights_job_timeseries), only runs that started at or after this
        RFC 3339 date-time (V(2026-08-21T13:26:29Z)).
    type: str
  end_date:
    description:
      - Only runs that started before this RFC 3339 date-time. Needs O(start_date), and may be at most 90 days
        after it.
    type: str
  granularity:
    description: For V(insights_job_timeseries), the size of each time bucket.
    type: str
    choices: [daily, hourly]
  limit:
    description:
      - For list queries, the most items to return; pages are followed until that many are read.
      - V(0) reads every page.
      - Ignored by queries that return a single object.
    type: int
    default: 100
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.MODULES
  - community.circleci.attributes
  - community.circleci.attributes.INFO_MODULE
seealso:
  - plugin: community.circleci.pipelines
    plugin_type: lookup
  - plugin: community.circleci.workflows
    plugin_type: lookup
  - plugin: community.circleci.insights
    plugin_type: lookup
  - plugin: community.circleci.deploys
    plugin_type: lookup
  - name: CircleCI API v2 reference
    description: Every endpoint and field this module reads.
    link: https://circleci.com/docs/api/v2/
'''

EXAMPLES = r'''
- name: Who am I?
  community.circleci.circleci_info:
    query: me
    api_token: "{{ circleci_token }}"
  register: me

- name: Read CircleCI with the token set once for the play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/community.circleci.circleci:
      api_token: "{{ lookup('ansible.builtin.env', 'CIRCLECI_TOKEN') }}"
  tasks:
    - name: The ten newest pipelines of the main branch
      community.circleci.circleci_info:
        query: pipelines
        project_slug: gh/acme/api
        branch: main
        limit: 10
      register: pipelines

    - name: The workflows of the newest one
      community.circleci.circleci_info:
        query: workflows
        pipeline_id: "{{ pipelines.result[0].id }}"
      register: workflows

    - name: The jobs of its build-and-test workflow
      community.circleci.circleci_info:
        query: workflow_jobs
        pipeline_id: "{{ pipelines.result[0].id }}"
        workflow_name: build-and-test
      register: jobs

    - name: The artifacts of a job
      community.circleci.circleci_info:
        query: job_artifacts
        project_slug: gh/acme/api
        job_number: 1234

    - name: The configuration of pipeline number 42
      community.circleci.circleci_info:
        query: pipeline_config
        project_slug: gh/acme/api
        pipeline_number: 42

- name: Every context of an organization (all pages)
  community.circleci.circleci_info:
    query: contexts
    owner_slug: gh/acme
    limit: 0
  register: contexts

- name: The variables of a context named by its name (values come back masked)
  community.circleci.circleci_info:
    query: context_envvars
    name: deploy-production
    owner_slug: gh/acme

- name: One project variable (masked)
  community.circleci.circleci_info:
    query: project_envvar
    project_slug: gh/acme/api
    name: AWS_REGION

- name: The webhooks of a project
  community.circleci.circleci_info:
    query: webhooks
    project_slug: gh/acme/api

- name: A checkout key by fingerprint
  community.circleci.circleci_info:
    query: checkout_key
    project_slug: gh/acme/api
    fingerprint: c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f

- name: The schedules of a project
  community.circleci.circleci_info:
    query: schedules
    project_slug: gh/acme/api

- name: Success rate of every workflow over the last 30 days, all branches
  community.circleci.circleci_info:
    query: insights_workflows
    project_slug: gh/acme/api
    all_branches: true
    reporting_window: last-30-days
  register: insights

- name: Show the success rates
  ansible.builtin.debug:
    msg: "{{ insights.result | items2dict(key_name='name', value_name='metrics') }}"

- name: Who may use the production context
  community.circleci.circleci_info:
    query: context_restrictions
    name: deploy-production
    owner_slug: gh/acme

- name: Would the config policies let this config run?
  community.circleci.circleci_info:
    query: policy_evaluation
    org_slug: gh/acme
    config: "{{ lookup('ansible.builtin.file', '.circleci/config.yml') }}"
  register: decision

- name: Fail early on a hard failure
  ansible.builtin.assert:
    that: decision.result.status != 'HARD_FAIL'
    fail_msg: "{{ decision.result.hard_failures | default([]) }}"

- name: The hard failures of the last day
  community.circleci.circleci_info:
    query: policy_decisions
    org_slug: gh/acme
    status: HARD_FAIL
    after: "2026-09-20T00:00:00Z"
    limit: 0

- name: Runs of one workflow in August
  community.circleci.circleci_info:
    query: insights_workflow_runs
    project_slug: gh/acme/api
    workflow_name: build-and-test
    branch: main
    start_date: "2026-08-01T00:00:00Z"
    end_date: "2026-09-01T00:00:00Z"
    limit: 0

- name: Hourly job timings of a workflow
  community.circleci.circleci_info:
    query: insights_job_timeseries
    project_slug: gh/acme/api
    workflow_name: build-and-test
    granularity: hourly

- name: Organization summary for two projects
  community.circleci.circleci_info:
    query: insights_org_summary
    org_slug: gh/acme
    project_names: [api, web]
    reporting_window: last-7-days

- name: The pipeline definitions of a GitHub App project
  community.circleci.circleci_info:
    query: pipeline_definitions
    project_slug: circleci/9YjU4TjbZhbSC7RtnTnr4R/5GmSzy2ZHV6RW5XD8BXhpw
  register: definitions

- name: The triggers of its first definition (webhook URLs masked)
  community.circleci.circleci_info:
    query: triggers
    project_id: "{{ project_id }}"
    pipeline_definition_id: "{{ definitions.result[0].id }}"

- name: A project's advanced settings
  community.circleci.circleci_info:
    query: project_settings
    project_slug: gh/acme/api

- name: The values of a pipeline (pipeline.git.branch and the others)
  community.circleci.circleci_info:
    query: pipeline_values
    pipeline_id: 5034460f-c7c4-4c43-9457-de07e2029e7b

- name: Flaky tests of a project
  community.circleci.circleci_info:
    query: insights_flaky_tests
    project_slug: gh/acme/api
  register: flaky

- name: The deploy components of a project
  community.circleci.circleci_info:
    query: deploy_components
    project_slug: gh/acme/api
  register: components

- name: The versions of the first one in one environment, newest first
  community.circleci.circleci_info:
    query: deploy_component_versions
    component_id: "{{ components.result[0].id }}"
    environment_id: "{{ production_environment_id }}"
  register: versions

- name: The state of a usage export (download URLs masked)
  community.circleci.circleci_info:
    query: usage_export
    org_slug: gh/acme
    usage_export_id: 9f4f8a52-9d32-4c55-b5e2-1b0f0c1c2a41
'''

RETURN = r'''
result:
  description:
    - CircleCI's answer, with CircleCI's own field names (see the API reference).
    - For list queries, a list of the items of every page read (at most O(limit)); otherwise a dict.
  returned: success
  type: raw
  sample:
    - id: 5034460f-c7c4-4c43-9457-de07e2029e7b
      number: 42
      state: created
      project_slug: gh/acme/api
      created_at: '2026-09-21T17:29:21.042Z'
      vcs:
        branch: main
        revision: f454a02b5d10fcccfd7d9dd7608a76d6493a98b4
'''

from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._queries import (
    DEFAULT_LIMIT,
    GRANULARITIES,
    OPTIONS,
    OWNER_TYPES,
    QUERIES,
    REPORTING_WINDOWS,
    run_query,
)
from ansible_collections.community.circleci.plugins.module_utils._task import Task

# Types of the query options; every other one is a string.
TYPES = {
    'pipeline_number': dict(type='int'),
    'job_number': dict(type='int'),
    'mine': dict(type='bool'),
    'all_branches': dict(type='bool'),
    'branches': dict(type='list', elements='str'),
    'workflow_names': dict(type='list', elements='str'),
    'project_names': dict(type='list', elements='str'),
    'reporting_window': dict(type='str', choices=list(REPORTING_WINDOWS)),
    'granularity': dict(type='str', choices=list(GRANULARITIES)),
    'owner_type': dict(type='str', choices=list(OWNER_TYPES)),
    'metadata': dict(type='dict'),
    'return_download_urls': dict(type='bool'),
}


def argument_spec():
    spec = dict(
        query=dict(type='str', required=True, choices=sorted(QUERIES)),
        limit=dict(type='int', default=DEFAULT_LIMIT),
    )
    for option in OPTIONS:
        spec[option] = dict(TYPES.get(option, dict(type='str')))
    return spec


class Info(Task):
    """One read query; none changes anything (policy_evaluation is a POST that only logs its decision), so check mode runs it as it is."""

    argument_spec = argument_spec()

    def run(self):
        values = dict((option, self.params[option]) for option in OPTIONS)
        self.result['result'] = run_query(self.client, self.params['query'], values, self.params['limit'])


def main():
    run_module(Info)


if __name__ == '__main__':
    main()
