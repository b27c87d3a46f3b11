#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_project
short_description: Create, follow or delete a CircleCI project, and manage its advanced settings
version_added: 0.1.0
description:
  - Ensures that a CircleCI project exists (or does not), with the advanced settings given.
  - A project of a standalone, GitHub App or GitLab organization is named by O(organization) and O(name). It is looked up by
    name (C(GET /api/v3/projects), the look-up CircleCI's own CLI uses, since API v2 has none) and created with
    C(POST /organization/{org}/project) when missing. When CircleCI answers that the name is taken (409, for example a project
    made meanwhile by someone else), the project is looked up again and adopted, and the task reports no change for it.
  - Where the look-up by name is not available (CircleCI answers it with a 4xx, as CircleCI Server does), the task fails and asks
    for O(project_slug). It never creates a project without having looked for it first.
  - A project CircleCI already knows, of any kind, can be named by O(project_slug) instead. A classic project (C(gh/...),
    C(bb/...)) that CircleCI does not know yet is followed (C(POST /project/{vcs}/{org}/{repo}), which needs a default branch with
    a configuration).
  - Only the settings given in O(settings) are managed. They are compared with the project's settings
    (C(GET /project/{slug}/settings)) and the differences are sent in one C(PATCH); nothing is sent when none differs.
  - The slug of a standalone organization's project is made of opaque ids (C(circleci/<org-id>/<project-id>)), not names; use
    RV(project.slug) or RV(project.id) to name the project to the other modules.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project, as C(vcs/org/repo) (V(gh/acme/api), V(bb/acme/api)) or V(circleci/<org-id>/<project-id>) (ids or UUIDs).
      - Exactly one of O(project_slug) and O(name) is required.
    type: str
  organization:
    description:
      - The organization of the project named by O(name), by its slug (V(circleci/<org-id>), V(gh/acme)) or its UUID.
      - A slug is resolved to the organization's UUID through C(GET /me/collaborations) (one request); a UUID saves it.
      - Required with O(name).
    type: str
  name:
    description:
      - The name of the project in O(organization), its identity there. Names are unique within an organization.
      - In a classic (GitHub OAuth, Bitbucket) organization, the name of a repository that exists on the VCS.
    type: str
  settings:
    description:
      - The project's advanced settings to manage, by their API names. Settings not given are left as they are.
      - When given (even as V({})), the settings are read and returned in RV(settings).
    type: dict
    suboptions:
      autocancel_builds:
        description: Cancel the running builds of a branch when a newer commit is pushed to it.
        type: bool
      build_fork_prs:
        description: Build pull requests from forks.
        type: bool
      build_prs_only:
        description: Build only the branches that have an open pull request (and those in O(settings.pr_only_branch_overrides)).
        type: bool
      disable_ssh:
        description: Refuse re-runs of jobs with SSH.
        type: bool
      forks_receive_secret_env_vars:
        description: Pass the project's secrets to builds of pull requests from forks.
        type: bool
      set_github_status:
        description: Report the status of each commit to GitHub.
        type: bool
      setup_workflows:
        description: Allow dynamic configuration (setup workflows).
        type: bool
      write_settings_requires_admin:
        description: Allow only organization admins to change the project's settings.
        type: bool
      pr_only_branch_overrides:
        description:
          - The branches built even without a pull request when O(settings.build_prs_only) is on (at most 100).
          - Compared as a set (CircleCI does not keep the order); a change replaces the whole list.
        type: list
        elements: str
      oss:
        description:
          - Cannot be set. CircleCI's API refuses it (it is read-only); giving it fails the task before any request.
          - It is shown in RV(settings).
        type: bool
  state:
    description:
      - Whether the project should exist.
      - V(absent) deletes the project B(with its build history), pipelines, environment variables, checkout keys, schedules,
        webhooks, pipeline definitions and triggers. A project that is not there is left alone (no request deletes it).
    type: str
    choices: [present, absent]
    default: present
notes:
  - A project that CircleCI reports as taken (409) but that the look-up by name does not show fails the task.
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.MODULES
  - community.circleci.attributes
attributes:
  check_mode:
    support: full
    details:
      - A project that would be created has no RV(project.id) or RV(project.slug) in check mode.
  diff_mode:
    support: full
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_pipeline_definition
  - module: community.circleci.circleci_trigger
  - module: community.circleci.circleci_info
  - name: CircleCI project settings
    description: What each advanced setting does.
    link: https://circleci.com/docs/settings/
'''

EXAMPLES = r'''
- name: A project of a GitHub App organization, with two settings
  community.circleci.circleci_project:
    organization: circleci/9YjU4TjbZhbSC7RtnTnr4R
    name: payments
    settings:
      autocancel_builds: true
      disable_ssh: true
  register: payments

- name: Its slug, for the other modules
  ansible.builtin.debug:
    msg: "{{ payments.project.slug }}"

- name: Follow a classic GitHub repository and build pull requests only, except on main
  community.circleci.circleci_project:
    project_slug: gh/acme/api
    settings:
      build_prs_only: true
      pr_only_branch_overrides: [main]

- name: Read a project's settings without changing any
  community.circleci.circleci_project:
    project_slug: gh/acme/api
    settings: {}
  register: api

- name: Delete a project and its build history
  community.circleci.circleci_project:
    organization: 3d9ffb36-0c1a-4dd6-8ec4-8b76b4a5c3b1
    name: old-service
    state: absent
'''

RETURN = r'''
project:
  description:
    - The project after the task, as CircleCI answers C(GET /project/{slug}); V({}) when it is absent.
  returned: always
  type: dict
  contains:
    id:
      description: The project's UUID.
      type: str
      returned: when the project exists
      sample: 2b8e56d6-5d6b-4c5a-8a4a-4b0f3c1a2e9d
    slug:
      description: The project's slug, the form CircleCI answers with.
      type: str
      returned: when the project exists
      sample: circleci/9YjU4TjbZhbSC7RtnTnr4R/5GmSzy2ZHV6RW5XD8BXhpw
    name:
      description: The project's name.
      type: str
      returned: when the project exists
      sample: payments
    organization_id:
      description: The organization's UUID.
      type: str
      returned: when the project exists
    organization_slug:
      description: The organization's slug.
      type: str
      returned: when the project exists
    organization_name:
      description: The organization's name.
      type: str
      returned: when the project exists
    vcs_info:
      description: The repository URL, provider and default branch, as CircleCI gives them.
      type: dict
      returned: when the project exists
settings:
  description:
    - The project's advanced settings after the task, as CircleCI answers them (with V(oss)).
    - V({}) when O(settings) is not given or the project is absent. In check mode, the settings of a project that would be
      created are those given.
  returned: always
  type: dict
  sample: {autocancel_builds: true, build_fork_prs: false, build_prs_only: false, disable_ssh: true,
           forks_receive_secret_env_vars: false, oss: false, set_github_status: true, setup_workflows: false,
           write_settings_requires_admin: false, pr_only_branch_overrides: []}
diff:
  description: The project (and, with O(settings), its settings) before and after the task.
  returned: always
  type: dict
  contains:
    before:
      description: The project before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The project after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import get_project, org_of, project_by_name
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._validation import check_org_slug_or_id, check_project_slug, check_text, check_text_list

FLAGS = ('autocancel_builds', 'build_fork_prs', 'build_prs_only', 'disable_ssh', 'forks_receive_secret_env_vars', 'set_github_status',
         'setup_workflows', 'write_settings_requires_admin', 'oss')
OVERRIDES = 'pr_only_branch_overrides'
SETTINGS = dict([(flag, dict(type='bool')) for flag in FLAGS] + [(OVERRIDES, dict(type='list', elements='str'))])


def check_settings(value, option):
    """The settings given (not None), checked: ``oss`` is read-only, at most 100 overrides."""
    if value.get('oss') is not None:
        raise CircleCIInputError(option + '.oss', "is read-only: CircleCI's API refuses to set it; it is only shown in the result")
    given = dict((key, item) for key, item in value.items() if item is not None)
    if len(check_text_list(given.get(OVERRIDES, []), option + '.' + OVERRIDES)) > 100:
        raise CircleCIInputError(option + '.' + OVERRIDES, 'CircleCI takes at most 100 branches')
    return given


def differs(key, have, want):
    return sorted(set(have or [])) != sorted(set(want)) if key == OVERRIDES else have != want


class Project(Resource):
    key, plural, where, taken = 'project', 'projects', 'in this organization', (409,)
    argument_spec = dict(project_slug=dict(type='str'), organization=dict(type='str'), name=dict(type='str'),
                         settings=dict(type='dict', options=SETTINGS), state=dict(type='str', choices=['present', 'absent'], default='present'))
    rules = dict(mutually_exclusive=[('project_slug', 'name'), ('project_slug', 'organization')],
                 required_one_of=[('project_slug', 'name')], required_together=[('organization', 'name')])
    fields = (Field('id'), Field('slug'), Field('name', option='name', check=check_text)) + tuple(
        Field(name) for name in ('organization_id', 'organization_slug', 'organization_name', 'vcs_info')) + (
        Field('settings', api=('advanced',), option='settings', check=check_settings, partial=True),)

    def check(self):
        inputs = super(Project, self).check()
        if self.params['project_slug'] is not None:
            check_project_slug(self.params['project_slug'])
        else:
            inputs['org'] = check_org_slug_or_id(self.params['organization'], 'organization')
        return inputs

    def scope(self):
        """The organization ({id, slug}) of a project named by name; None for a project_slug."""
        org = self.inputs.get('org')
        return org_of(self.client, org_slug=org['slug']) if org and 'slug' in org else org

    def find(self, scope):
        if scope is None:
            try:
                return self.with_settings(get_project(self.client, self.params['project_slug']))
            except CircleCIError as exc:
                if exc.not_found:
                    return None
                raise
        found = project_by_name(self.client, scope['id'], self.params['name'], scope.get('slug'))
        return found and self.with_settings(found)

    def with_settings(self, project):
        """The project, normalised, with its settings when they are managed."""
        if self.params['settings'] is not None:
            project = dict(project, advanced=self.client.get('/project/%s/settings' % quote_slug(project['slug'])).get('advanced'))
        return self.normalise(project)

    def compare(self, current, desired):
        have = current.get('settings') or {}
        changed = dict((key, want) for key, want in (desired.get('settings') or {}).items() if differs(key, have.get(key), want))
        return {'settings': changed} if changed else {}

    def create(self, scope, body):
        if scope is not None:
            org = quote_slug(scope['slug']) if scope.get('slug') else quote_segment(scope['id'])
            project = self.with_settings(self.client.post('/organization/%s/project' % org, body={'name': self.params['name']}))
        else:
            slug = self.params['project_slug']
            if slug.split('/')[0] not in ('gh', 'github', 'bb', 'bitbucket'):
                raise CircleCIStateError('project_slug: CircleCI knows no project %s. A project of a standalone, GitHub App or GitLab '
                                         'organization is created by organization and name, not by slug' % slug)
            self.client.post('/project/%s' % quote_slug(slug))
            project = self.with_settings(get_project(self.client, slug))
        changes = self.compare(project, self.desired())
        return self.update(scope, project, self.body(changes)) if changes else dict(project, advanced=project['settings'])

    def update(self, scope, current, body):
        return dict(current, advanced=self.client.patch('/project/%s/settings' % quote_slug(current['slug']), body=body).get('advanced'))

    def delete(self, scope, current):
        self.client.delete('/project/%s' % quote_slug(current['slug']))

    def report(self, before, after):
        super(Project, self).report(before, after)
        self.result['settings'] = self.result['project'].pop('settings', None) or {}


def main():
    run_module(Project)


if __name__ == '__main__':
    main()
