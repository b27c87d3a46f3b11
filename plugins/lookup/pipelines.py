# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
name: pipelines
short_description: The newest pipelines of CircleCI projects
version_added: 0.1.0
author:
  - community.circleci contributors (@ansible-collections)
description:
  - Returns the newest pipelines of each project given as a term, newest first, as CircleCI describes them
    (C(id), C(number), C(state), C(created_at), C(vcs), C(trigger), ...).
  - With several projects, the pipelines of the first project come first, then those of the next.
  - Every term and option is checked before any request is sent.
options:
  _terms:
    description: Project slugs, as V(vcs/org/repo) (V(gh/acme/api)).
    type: list
    elements: str
    required: true
  branch:
    description:
      - Only the pipelines of this branch.
      - Cannot be combined with O(mine), since CircleCI has no such filter.
    type: str
  mine:
    description: Only the pipelines you triggered.
    type: bool
    default: false
  limit:
    description:
      - The most pipelines to return per project; pages are followed until that many are read.
      - V(0) reads every page, which for a busy project can be thousands of pipelines.
    type: int
    default: 20
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.PLUGINS
notes:
  - Like every lookup, this runs on the controller, when the template is rendered.
seealso:
  - module: community.circleci.circleci_info
  - plugin: community.circleci.workflows
    plugin_type: lookup
'''

EXAMPLES = r'''
- name: The state of the five newest pipelines of main
  ansible.builtin.debug:
    msg: "{{ item.number }}: {{ item.state }}"
  loop: "{{ query('community.circleci.pipelines', 'gh/acme/api', branch='main', limit=5) }}"
  vars:
    circleci_api_token: "{{ vault_circleci_token }}"

- name: The number of the newest pipeline of each of two projects
  ansible.builtin.debug:
    msg: "{{ query('community.circleci.pipelines', 'gh/acme/api', 'gh/acme/web', limit=1) | map(attribute='number') }}"

- name: Every pipeline I triggered, token from the environment (CIRCLECI_TOKEN)
  ansible.builtin.set_fact:
    my_pipelines: "{{ query('community.circleci.pipelines', 'gh/acme/api', mine=true, limit=0) }}"

- name: Against CircleCI Server, with the address and token given directly
  ansible.builtin.debug:
    msg: >-
      {{ lookup('community.circleci.pipelines', 'gh/acme/api', limit=1,
                api_url='https://circleci.example.com', api_token=my_token) }}
'''

RETURN = r'''
_raw:
  description:
    - The pipelines, newest first within each project.
  type: list
  elements: dict
  contains:
    id:
      description: The pipeline's UUID.
      type: str
      sample: 5034460f-c7c4-4c43-9457-de07e2029e7b
    number:
      description: The pipeline's number within its project.
      type: int
      sample: 42
    state:
      description: C(created), C(errored), C(setup-pending), C(setup) or C(pending).
      type: str
      sample: created
    project_slug:
      description: The project's slug.
      type: str
      sample: gh/acme/api
    created_at:
      description: When the pipeline was created (RFC 3339).
      type: str
      sample: '2026-09-21T17:29:21.042Z'
    vcs:
      description: The commit it ran on (C(branch) or C(tag), C(revision), C(commit), ...).
      type: dict
    trigger:
      description: What triggered it (C(type), C(received_at), C(actor)).
      type: dict
'''

from ansible_collections.community.circleci.plugins.plugin_utils._lookup_base import CircleCILookupBase, translate_errors


class LookupModule(CircleCILookupBase):

    @translate_errors
    def run(self, terms, variables=None, **kwargs):
        self.setup(variables, kwargs)
        values = dict(branch=self.get_option('branch'), mine=self.get_option('mine'))
        prepared = self.prepare_all([('pipelines', dict(values, project_slug=term), self.get_option('limit'))
                                     for term in terms])
        result = []
        for query in prepared:
            result.extend(self.execute(query))
        return result
