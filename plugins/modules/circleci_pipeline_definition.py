#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_pipeline_definition
short_description: Create, update or delete a pipeline definition of a CircleCI project
version_added: 0.1.0
description:
  - Ensures that a pipeline definition of a project, named exactly, exists with the given description, config source and
    checkout source, or does not exist.
  - A pipeline definition says which configuration file a pipeline runs (O(config_source)) and which repository it checks out
    (O(checkout_source)). Projects of GitHub App, GitLab and standalone organizations run their pipelines from definitions;
    their triggers are managed with M(community.circleci.circleci_trigger).
  - The project's definitions are read in one listing and matched by exact, case-sensitive name. When two definitions of the
    project share the name, the task fails and lists their ids.
  - Only what differs is sent (C(PATCH)), of the description, the config file's path and the checkout source.
  - The provider and the repository of a config source cannot change once the definition exists. Asking for another fails
    the task and says so, before any write; the definition is never deleted and created again behind your back, since that
    would drop its triggers and change its id. Delete it (O(state=absent)) and create it again to change them.
  - Pipeline definitions exist on CircleCI cloud only; CircleCI Server answers 404.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project, as C(vcs/org/repo) or V(circleci/<org-id>/<project-id>). It is resolved to the project's id (one request).
      - Exactly one of O(project_slug) and O(project_id) is required.
    type: str
  project_id:
    description:
      - The project's UUID. Saves the request that resolves O(project_slug).
    type: str
  name:
    description:
      - The definition's name, its identity within the project.
    type: str
    required: true
  description:
    description:
      - A description of the definition. Left as it is when omitted.
    type: str
  config_source:
    description:
      - Where the pipeline's configuration comes from. Required when O(state=present).
    type: dict
    suboptions:
      provider:
        description:
          - V(github_app), a file of a repository of the organization's GitHub App installation; V(circleci), a file CircleCI keeps.
          - Cannot change once the definition exists.
        type: str
        choices: [github_app, circleci]
        default: github_app
      repo_id:
        description:
          - The repository's external id, the VCS's own numeric id of the repository (not its name), as a string.
            For GitHub, the C(id) of C(https://api.github.com/repos/OWNER/REPO).
          - Required with O(config_source.provider=github_app). Cannot change once the definition exists.
        type: str
      file_path:
        description:
          - The configuration file's path in the repository. It can be changed.
        type: str
        default: .circleci/config.yml
  checkout_source:
    description:
      - The repository the pipeline's jobs check out. It can be changed.
      - Defaults to the repository of O(config_source); required when O(config_source.provider=circleci).
    type: dict
    suboptions:
      provider:
        description: The provider of the repository.
        type: str
        choices: [github_app]
        default: github_app
      repo_id:
        description: The repository's external id (see O(config_source.repo_id)).
        type: str
        required: true
  state:
    description:
      - Whether the definition should exist. V(absent) deletes it with its triggers.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.MODULES
  - community.circleci.attributes
attributes:
  check_mode:
    support: full
    details:
      - A definition that would be created has no RV(pipeline_definition.id) in check mode.
  diff_mode:
    support: full
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_project
  - module: community.circleci.circleci_trigger
  - module: community.circleci.circleci_pipeline_trigger
  - name: Pipelines and triggers of GitHub App projects
    description: CircleCI's guide to pipeline definitions and triggers.
    link: https://circleci.com/docs/guides/orchestrate/pipelines/
'''

EXAMPLES = r'''
- name: Build from the repository's own configuration
  community.circleci.circleci_pipeline_definition:
    project_slug: circleci/9YjU4TjbZhbSC7RtnTnr4R/5GmSzy2ZHV6RW5XD8BXhpw
    name: build
    description: Build and test every push
    config_source:
      repo_id: "520000001"
  register: build

- name: Deploy with a configuration kept in a shared repository, checking out the service's own
  community.circleci.circleci_pipeline_definition:
    project_id: "{{ project.id }}"
    name: deploy
    config_source:
      repo_id: "520000002"
      file_path: services/payments/deploy.yml
    checkout_source:
      repo_id: "520000001"

- name: Remove a definition and its triggers
  community.circleci.circleci_pipeline_definition:
    project_id: "{{ project.id }}"
    name: legacy
    state: absent
'''

RETURN = r'''
pipeline_definition:
  description:
    - The definition after the task; V({}) when it is absent. Its sources are spelled as the options are.
  returned: always
  type: dict
  contains:
    id:
      description: The definition's UUID (the C(pipeline_definition_id) of the other modules).
      type: str
      returned: when the definition exists
      sample: 0c39e7a0-94e4-4b2b-8f0e-46c7b2f7c0f4
    name:
      description: The definition's name.
      type: str
      returned: when the definition exists
      sample: build
    description:
      description: Its description; V(null) when it has none.
      type: str
      returned: when the definition exists
    config_source:
      description: V(provider), V(repo_id), V(repo_full_name) (the repository's name, as CircleCI gives it) and V(file_path).
      type: dict
      returned: when the definition exists
      sample: {provider: github_app, repo_id: '520000001', repo_full_name: acme/app, file_path: .circleci/config.yml}
    checkout_source:
      description: V(provider), V(repo_id) and V(repo_full_name).
      type: dict
      returned: when the definition exists
      sample: {provider: github_app, repo_id: '520000001', repo_full_name: acme/app}
    created_at:
      description: When the definition was created (RFC 3339); V(null) for old definitions, which CircleCI shows without it.
      type: str
      returned: when the definition exists
diff:
  description: The definition before and after the task.
  returned: always
  type: dict
  contains:
    before:
      description: The definition before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The definition after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._definitions import CONFIG_PROVIDERS, DEFAULT_CONFIG_PATH, source_body, source_view
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import project_id_of
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._validation import check_text

FIXED = ('This cannot change on CircleCI once the definition exists. To read the configuration elsewhere, delete the definition '
         '(state=absent) and create it again: that deletes its triggers and gives it a new id')


def check_description(value, option):
    if not isinstance(value, str):
        raise CircleCIInputError(option, 'must be a string')
    return value


class PipelineDefinition(Resource):
    key, plural = 'pipeline_definition', 'pipeline definitions'
    argument_spec = dict(
        project_slug=dict(type='str'), project_id=dict(type='str'), name=dict(type='str', required=True), description=dict(type='str'),
        config_source=dict(type='dict', options=dict(provider=dict(type='str', choices=list(CONFIG_PROVIDERS), default='github_app'),
                                                     repo_id=dict(type='str'), file_path=dict(type='str', default=DEFAULT_CONFIG_PATH))),
        checkout_source=dict(type='dict', options=dict(provider=dict(type='str', choices=['github_app'], default='github_app'),
                                                       repo_id=dict(type='str', required=True))),
        state=dict(type='str', choices=['present', 'absent'], default='present'))
    rules = dict(mutually_exclusive=[('project_slug', 'project_id')], required_one_of=[('project_slug', 'project_id')],
                 required_if=[('state', 'present', ('config_source',))])
    fields = (Field('id'), Field('name', option='name', check=check_text), Field('description', option='description', check=check_description),
              Field('config_source', option='config_source', normalise=source_view, to_api=source_body, partial=True),
              Field('checkout_source', option='checkout_source', normalise=source_view, to_api=source_body), Field('created_at'))

    def check(self):
        inputs = super(PipelineDefinition, self).check()
        config, checkout = self.params['config_source'], self.params['checkout_source']
        if config is not None:
            if config['provider'] == 'github_app':
                if config['repo_id'] is None:
                    raise CircleCIInputError('config_source.repo_id', "is required with provider github_app (the repository's external id)")
                check_text(config['repo_id'], 'config_source.repo_id')
            elif config['repo_id'] is not None:
                raise CircleCIInputError('config_source.repo_id', 'is only used with provider github_app')
            elif checkout is None:
                raise CircleCIInputError('checkout_source', 'is required with config_source.provider=circleci (no repository to default to)')
            inputs['config_source'] = dict(config, file_path=check_text(config['file_path'], 'config_source.file_path'))
            inputs['checkout_source'] = dict(checkout or {'provider': 'github_app', 'repo_id': config['repo_id']})
            check_text(inputs['checkout_source']['repo_id'], 'checkout_source.repo_id')
        return inputs

    def scope(self):
        return project_id_of(self.client, self.params['project_slug'], self.params['project_id'])

    def items(self, scope):
        return self.client.list('/projects/%s/pipeline-definitions' % quote_segment(scope))

    def compare(self, current, desired):
        changes = super(PipelineDefinition, self).compare(current, dict(desired, config_source=None, checkout_source=None))
        want, have = desired.get('config_source'), current.get('config_source') or {}
        if want is not None:
            fixed = [key for key in ('provider', 'repo_id') if want[key] != have.get(key)]
            if fixed:
                raise CircleCIStateError('config_source.%s: the pipeline definition %r (id %s) reads its configuration from %s, not %s. %s.'
                                         % (fixed[0], current['name'], current['id'], self.shown(have), self.shown(want), FIXED))
            if want['file_path'] != have.get('file_path'):
                changes['config_source'] = {'file_path': want['file_path']}
        want, have = desired.get('checkout_source'), current.get('checkout_source') or {}
        if want is not None and (want['provider'], want['repo_id']) != (have.get('provider'), have.get('repo_id')):
            changes['checkout_source'] = dict(want, repo_full_name=None)
        return changes

    @staticmethod
    def shown(source):
        name = ' (%s)' % source['repo_full_name'] if source.get('repo_full_name') else ''
        repo = 'repository %s%s' % (source['repo_id'], name) if source.get('repo_id') else 'no repository'
        return 'provider %s, %s' % (source.get('provider'), repo)

    def create(self, scope, body):
        return self.client.post('/projects/%s/pipeline-definitions' % quote_segment(scope), body=body)

    def update(self, scope, current, body):
        return self.client.patch('/projects/%s/pipeline-definitions/%s' % (quote_segment(scope), quote_segment(current['id'])), body=body)

    def delete(self, scope, current):
        self.client.delete('/projects/%s/pipeline-definitions/%s' % (quote_segment(scope), quote_segment(current['id'])))


def main():
    run_module(PipelineDefinition)


if __name__ == '__main__':
    main()
