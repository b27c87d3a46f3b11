# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
name: deploys
short_description: Which version of a CircleCI deploy component runs in each environment
version_added: 0.1.0
author:
  - community.circleci contributors (@ansible-collections)
description:
  - For each deploy component named as a term, returns a list with one dict per environment where the component runs,
    with C(component), C(environment), C(version) (the version live there) and the version's other fields as CircleCI
    gives them (C(namespace), C(last_deployed_at), C(pipeline_id), C(workflow_id), C(job_id), C(job_number), ...).
  - With O(environment), only that environment (a list of one dict, or an empty list when the component does not run
    there).
  - A component or an environment that does not exist raises an error naming it.
  - Every term and option is checked before any request is sent.
options:
  _terms:
    description: Deploy component names, for example V(api-server).
    type: list
    elements: str
    required: true
  org_slug:
    description:
      - The organization the components belong to, as C(vcs/org) (V(gh/acme), V(circleci/<org-id>)).
      - One of O(org_slug), O(org_id) or O(project_slug) is required.
    type: str
  org_id:
    description: The organization's UUID, instead of O(org_slug).
    type: str
  project_slug:
    description:
      - Only the components of this project (C(vcs/org/repo)). Without O(org_slug) or O(org_id), the project's
        organization is used.
      - Component names are unique within a project, not within an organization; name the project when two projects
        have components of the same name.
    type: str
  environment:
    description: Only the version live in this environment, by name (for example V(production)).
    type: str
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.PLUGINS
notes:
  - Like every lookup, this runs on the controller, when the template is rendered.
  - C(lookup()) with one term returns that term's list; C(query()) always returns one list per term.
seealso:
  - module: community.circleci.circleci_info
  - module: community.circleci.circleci_rollback
'''

EXAMPLES = r'''
- name: Which version runs in production
  ansible.builtin.debug:
    msg: "{{ lookup('community.circleci.deploys', 'api-server', org_slug='gh/acme', environment='production')[0].version }}"

- name: Every environment of two components
  ansible.builtin.debug:
    msg: "{{ item.component }} {{ item.version }} in {{ item.environment }} since {{ item.last_deployed_at }}"
  loop: "{{ query('community.circleci.deploys', 'api-server', 'worker', project_slug='gh/acme/api') | flatten }}"

- name: Remember what is live before a deploy, to roll back to it
  ansible.builtin.set_fact:
    previous_version: "{{ (live | first).version if live else '' }}"
  vars:
    live: "{{ lookup('community.circleci.deploys', 'api-server', org_slug='gh/acme', environment='production') }}"
'''

RETURN = r'''
_raw:
  description: One list per term; in each, one dict per environment where the component runs, by environment name.
  type: list
  elements: list
  contains:
    component:
      description: The component's name (the term).
      type: str
      sample: api-server
    component_id:
      description: The component's UUID.
      type: str
    environment:
      description: The environment's name.
      type: str
      sample: production
    environment_id:
      description: The environment's UUID.
      type: str
    version:
      description: The version live in the environment.
      type: str
      sample: 1.1.0
    is_live:
      description: Always V(true) here.
      type: bool
    namespace:
      description: The namespace it was deployed to.
      type: str
      sample: default
    last_deployed_at:
      description: When this version was last deployed there (RFC 3339).
      type: str
    pipeline_id:
      description: The pipeline that deployed it (the all-zero UUID when deployed outside CircleCI).
      type: str
    workflow_id:
      description: The workflow that deployed it (the all-zero UUID when none).
      type: str
    job_id:
      description: The job that deployed it (the all-zero UUID when none).
      type: str
    job_number:
      description: The number of that job (V(0) when none).
      type: int
'''

from ansible.errors import AnsibleLookupError

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._resolve import find_one, org_id_of, project_of
from ansible_collections.community.circleci.plugins.module_utils._validation import check_text
from ansible_collections.community.circleci.plugins.plugin_utils._lookup_base import CircleCILookupBase, translate_errors


class LookupModule(CircleCILookupBase):

    @translate_errors
    def run(self, terms, variables=None, **kwargs):
        self.setup(variables, kwargs)
        scope = dict((name, self.get_option(name)) for name in ('org_slug', 'org_id', 'project_slug'))
        environment = self.get_option('environment')
        if scope['org_slug'] and scope['org_id']:
            raise AnsibleLookupError('org_slug: give org_slug or org_id, not both')
        if not any(scope.values()):
            raise AnsibleLookupError('org_slug: give org_slug, org_id or project_slug: the organization of the components')
        for term in terms:
            check_text(term, '_terms')
        if environment is not None:
            check_text(environment, 'environment')
        # The options as the queries check them, before any request.
        self.prepare_all([('deploy_components', scope, 0)])

        where = scope['org_slug'] or scope['org_id'] or scope['project_slug']
        ids = {}
        if scope['project_slug']:
            project = project_of(self.client, project_slug=scope['project_slug'])
            ids['project_id'] = project['id']
            org_id = project['organization_id']
        if scope['org_slug'] or scope['org_id']:
            org_id = org_id_of(self.client, scope['org_slug'], scope['org_id'])
        components_query, environments_query = self.prepare_all([
            ('deploy_components', dict(ids, org_id=org_id), 0), ('deploy_environments', {'org_id': org_id}, 0)])
        components = self.execute(components_query)
        environments = self.execute(environments_query)
        names = dict((e.get('id'), e.get('name')) for e in environments)
        environment_id = None
        if environment is not None:
            found = find_one(environments, environment, 'environments', 'in organization %s' % where)
            if found is None:
                raise CircleCIStateError('environment: organization %s has no deploy environment named %r (its environments: %s)'
                                         % (where, environment, ', '.join(sorted('%s' % e.get('name') for e in environments)) or 'none'))
            environment_id = found['id']

        answers = []
        for term in terms:
            component = find_one(components, term, 'components', 'in %s' % where, hint='name the project with project_slug')
            if component is None:
                raise CircleCIStateError('component %r does not exist in %s (its components: %s)'
                                         % (term, where, ', '.join(sorted('%s' % c.get('name') for c in components)) or 'none'))
            versions, = self.prepare_all([('deploy_component_versions',
                                           {'component_id': component['id'], 'environment_id': environment_id}, 0)])
            live = []
            for version in self.execute(versions):
                if version.get('is_live'):
                    item = dict((k, v) for k, v in version.items() if k != 'name')
                    item.update(component=term, component_id=component['id'], environment=names.get(version.get('environment_id')),
                                version=version.get('name'))
                    live.append(item)
            answers.append(sorted(live, key=lambda i: '%s' % i['environment']))
        return answers
