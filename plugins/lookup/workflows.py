# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
name: workflows
short_description: The workflows of CircleCI pipelines
version_added: 0.1.0
author:
  - community.circleci contributors (@ansible-collections)
description:
  - Returns the workflows of each pipeline given (by id) as a term, as CircleCI describes them
    (C(id), C(name), C(status), C(pipeline_id), C(pipeline_number), C(project_slug), C(created_at), C(stopped_at), ...).
  - Or, with no terms and O(project_slug), the workflows of the project's latest pipeline on O(branch)
    (on any branch when O(branch) is not given). A project with no such pipeline gives an empty list.
  - Every term and option is checked before any request is sent.
options:
  _terms:
    description: Pipeline ids (UUIDs). Leave out to use O(project_slug).
    type: list
    elements: str
  project_slug:
    description:
      - Instead of pipeline ids, the project (V(vcs/org/repo)) whose latest pipeline's workflows to return.
    type: str
  branch:
    description: With O(project_slug), the branch whose latest pipeline to use.
    type: str
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.PLUGINS
seealso:
  - module: community.circleci.circleci_info
  - module: community.circleci.circleci_workflow
  - plugin: community.circleci.pipelines
    plugin_type: lookup
'''

EXAMPLES = r'''
- name: Fail unless every workflow of the latest main pipeline succeeded
  ansible.builtin.assert:
    that: latest | map(attribute='status') | difference(['success']) | length == 0
    fail_msg: "Not all green: {{ latest | items2dict(key_name='name', value_name='status') }}"
  vars:
    latest: "{{ query('community.circleci.workflows', project_slug='gh/acme/api', branch='main') }}"

- name: The workflows of two pipelines
  ansible.builtin.debug:
    msg: "{{ item.name }} {{ item.status }}"
  loop: "{{ query('community.circleci.workflows', pipeline_a_id, pipeline_b_id) }}"

- name: Chain with the pipelines lookup
  ansible.builtin.debug:
    msg: >-
      {{ query('community.circleci.workflows',
               *(query('community.circleci.pipelines', 'gh/acme/api', limit=3) | map(attribute='id'))) }}
'''

RETURN = r'''
_raw:
  description: The workflows, pipeline by pipeline.
  type: list
  elements: dict
  contains:
    id:
      description: The workflow's UUID.
      type: str
      sample: 7a4c5d6e-1b2c-4d3e-8f90-a1b2c3d4e5f6
    name:
      description: The workflow's name.
      type: str
      sample: build-and-test
    status:
      description: >-
        C(success), C(running), C(not_run), C(failed), C(error), C(failing), C(on_hold), C(canceled)
        or C(unauthorized).
      type: str
      sample: success
    pipeline_id:
      description: The pipeline's UUID.
      type: str
    pipeline_number:
      description: The pipeline's number.
      type: int
    project_slug:
      description: The project's slug.
      type: str
    created_at:
      description: When the workflow was created (RFC 3339).
      type: str
    stopped_at:
      description: When the workflow stopped (RFC 3339); null while it runs.
      type: str
'''

from ansible.errors import AnsibleLookupError

from ansible_collections.community.circleci.plugins.plugin_utils._lookup_base import CircleCILookupBase, translate_errors


class LookupModule(CircleCILookupBase):

    @translate_errors
    def run(self, terms, variables=None, **kwargs):
        self.setup(variables, kwargs)
        project_slug, branch = self.get_option('project_slug'), self.get_option('branch')
        if terms and project_slug:
            raise AnsibleLookupError('project_slug: give pipeline ids as terms or project_slug, not both')
        if not terms and not project_slug:
            raise AnsibleLookupError('project_slug: give pipeline ids as terms, or project_slug (and branch)')
        if branch and not project_slug:
            raise AnsibleLookupError('branch: is used with project_slug only')
        if terms:
            prepared = self.prepare_all([('workflows', {'pipeline_id': term}, 0) for term in terms])
            result = []
            for query in prepared:
                result.extend(self.execute(query))
            return result
        latest, = self.prepare_all([('pipelines', {'project_slug': project_slug, 'branch': branch}, 1)])
        pipelines = self.execute(latest)
        if not pipelines:
            return []
        workflows, = self.prepare_all([('workflows', {'pipeline_id': pipelines[0]['id']}, 0)])
        return self.execute(workflows)
