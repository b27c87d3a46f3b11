# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
name: insights
short_description: CircleCI Insights metrics of projects and organizations
version_added: 0.1.0
author:
  - community.circleci contributors (@ansible-collections)
description:
  - Returns a CircleCI Insights report for each project given as a term (organizations for O(kind=org_summary)),
    with CircleCI's own field names.
  - "The reports that are lists (O(kind=workflows), V(workflow_runs), V(workflow_jobs), V(job_timeseries)) give
    their items, project after project; the others give one dict per term."
  - Every term and option is checked before any request is sent; an option the O(kind) does not use is refused.
options:
  _terms:
    description:
      - Project slugs, as V(vcs/org/repo) (V(gh/acme/api)).
      - For O(kind=org_summary), organization slugs, as V(vcs/org) (V(gh/acme)).
    type: list
    elements: str
    required: true
  kind:
    description:
      - The report.
      - V(summary) - metrics and trends of the project, per workflow and per branch.
      - V(workflows) - metrics of each workflow (success rate, durations, credits, MTTR).
      - V(workflow_runs) - recent runs of O(workflow), newest first.
      - V(workflow_jobs) - metrics of each job of O(workflow).
      - V(workflow_summary) - metrics and trends of O(workflow).
      - V(test_metrics) - most failed and slowest tests of the recent runs of O(workflow).
      - V(flaky_tests) - the project's flaky tests (tests that passed and failed on the same commit).
      - V(branches) - the branches Insights has data for (of O(workflow) when given).
      - V(org_summary) - metrics and trends of an organization and of each of its projects.
      - V(job_timeseries) - job metrics of O(workflow) per day or hour (O(granularity)).
    type: str
    choices: [summary, workflows, workflow_runs, workflow_jobs, workflow_summary, test_metrics, flaky_tests, branches, org_summary, job_timeseries]
    default: summary
  workflow:
    description:
      - The workflow's name. Required by V(workflow_runs), V(workflow_jobs), V(workflow_summary), V(test_metrics)
        and V(job_timeseries); a filter for V(branches) and V(summary).
    type: str
  branch:
    description:
      - The branch to report on; CircleCI uses the project's default branch when neither O(branch) nor
        O(all_branches) is given.
      - For V(summary), the branch to include in the branch-level metrics.
    type: str
  all_branches:
    description:
      - Report on all branches combined (V(workflows), V(workflow_runs), V(workflow_jobs), V(workflow_summary),
        V(test_metrics)). Mutually exclusive with O(branch).
    type: bool
    default: false
  reporting_window:
    description: The time window of V(summary), V(org_summary), V(workflows) and V(workflow_jobs). CircleCI's default is V(last-90-days).
    type: str
    choices: [last-24-hours, last-7-days, last-30-days, last-60-days, last-90-days]
  start_date:
    description: For V(workflow_runs) and V(job_timeseries), only runs that started at or after this RFC 3339 date-time.
    type: str
  end_date:
    description: Only runs that started before this RFC 3339 date-time. Needs O(start_date); at most 90 days after it.
    type: str
  granularity:
    description: For V(job_timeseries), the size of each time bucket.
    type: str
    choices: [daily, hourly]
  limit:
    description:
      - For the list reports, the most items per term; pages are followed until that many are read. V(0) reads every page.
    type: int
    default: 100
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.PLUGINS
seealso:
  - module: community.circleci.circleci_info
  - name: CircleCI Insights
    description: What the metrics mean.
    link: https://circleci.com/docs/insights/
'''

EXAMPLES = r'''
- name: Success rate of each workflow of the default branch
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ (item.metrics.success_rate * 100) | round(1) }}%"
  loop: "{{ query('community.circleci.insights', 'gh/acme/api', kind='workflows') }}"

- name: Fail when the main branch's build got worse than 90% this week
  ansible.builtin.assert:
    that: summary.metrics.success_rate >= 0.9
  vars:
    summary: "{{ lookup('community.circleci.insights', 'gh/acme/api', kind='workflow_summary', workflow='build-and-test', branch='main') }}"

- name: Credits used by each project of the organization over 30 days
  ansible.builtin.debug:
    msg: "{{ org.org_project_data | items2dict(key_name='project_name', value_name='metrics') }}"
  vars:
    org: "{{ lookup('community.circleci.insights', 'gh/acme', kind='org_summary', reporting_window='last-30-days') }}"

- name: Every run of a workflow in August, on all branches
  ansible.builtin.set_fact:
    runs: >-
      {{ query('community.circleci.insights', 'gh/acme/api', kind='workflow_runs', workflow='build-and-test',
               all_branches=true, start_date='2026-08-01T00:00:00Z', end_date='2026-09-01T00:00:00Z', limit=0) }}

- name: Flaky tests of two projects
  ansible.builtin.debug:
    msg: "{{ query('community.circleci.insights', 'gh/acme/api', 'gh/acme/web', kind='flaky_tests') | map(attribute='total-flaky-tests') }}"
'''

RETURN = r'''
_raw:
  description:
    - For the list reports, their items (every term's, in turn); otherwise one dict per term.
    - The fields are CircleCI's, for example C(name) and C(metrics) (C(success_rate), C(total_runs),
      C(duration_metrics), ...) for V(workflows); C(org_data), C(org_project_data) and C(all_projects)
      for V(org_summary); C(flaky-tests) and C(total-flaky-tests) for V(flaky_tests).
  type: list
  elements: dict
'''

import re

from ansible_collections.community.circleci.plugins.module_utils._queries import INSIGHTS_KINDS, QUERIES
from ansible_collections.community.circleci.plugins.module_utils._validation import CircleCIInputError
from ansible_collections.community.circleci.plugins.plugin_utils._lookup_base import CircleCILookupBase, translate_errors

# The query options that this lookup spells differently.
RENAMED = {'workflow_name': 'workflow', 'workflow_names': 'workflow', 'branches': 'branch'}


def _in_lookup_terms(exc, kind):
    """The query's input error, in the words of this lookup (its option names, its kinds)."""
    reason = re.sub(r'\bquery insights_\w+', 'kind %s' % kind, exc.reason)
    reason = re.sub(r'\b(%s)\b' % '|'.join(RENAMED), lambda m: RENAMED[m.group(1)], reason)
    return CircleCIInputError(RENAMED.get(exc.option, exc.option), reason)


class LookupModule(CircleCILookupBase):

    def values(self, kind, term):
        """The query options of one term: the lookup's options under the query's names."""
        workflow, branch = self.get_option('workflow'), self.get_option('branch')
        values = dict(
            all_branches=self.get_option('all_branches'),
            reporting_window=self.get_option('reporting_window'),
            start_date=self.get_option('start_date'),
            end_date=self.get_option('end_date'),
            granularity=self.get_option('granularity'),
        )
        if kind == 'org_summary':
            values['org_slug'] = term
        else:
            values['project_slug'] = term
        if kind == 'summary':
            # The project summary filters by lists of branches and workflows.
            values['branches'] = [branch] if branch else None
            values['workflow_names'] = [workflow] if workflow else None
        else:
            values['branch'] = branch
            values['workflow_name'] = workflow
        return values

    @translate_errors
    def run(self, terms, variables=None, **kwargs):
        self.setup(variables, kwargs)
        kind = self.get_option('kind')
        name = INSIGHTS_KINDS[kind]
        try:
            prepared = self.prepare_all([(name, self.values(kind, term), self.get_option('limit')) for term in terms])
        except CircleCIInputError as exc:
            raise _in_lookup_terms(exc, kind)
        result = []
        for query in prepared:
            answer = self.execute(query)
            if QUERIES[name].is_list:
                result.extend(answer)
            else:
                result.append(answer)
        return result
