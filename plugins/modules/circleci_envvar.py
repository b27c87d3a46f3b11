#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_envvar
short_description: Manage CircleCI project and context environment variables
version_added: 0.1.0
description:
  - Creates, updates or deletes environment variables of one CircleCI project or one context.
  - Manages one variable (O(name), O(value), O(state)) or many in one task (O(variables)), and with
    O(purge=true) deletes every variable of the project or context that O(variables) does not name.
  - Each run lists the variables of the project or context once (every page), then sends only the
    writes that are needed. Up to four writes run at the same time; they share the back-off
    after a C(429 Too Many Requests).
  - CircleCI never returns a stored value. It shows V(xxxx) followed by the last four characters
    of the value (as C(value) for project variables, as C(truncated_value) in the list of a
    context's variables), so that is all this module can compare. See O(update_value).
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project whose variables are managed, as V(vcs/org/repo) (for example V(gh/acme/api),
        V(bb/acme/api) or V(circleci/<org-id>/<project-id>)).
      - Exactly one of O(project_slug), O(context_id) and O(context_name) is required.
    type: str
  context_id:
    description:
      - The UUID of the context whose variables are managed.
    type: str
  context_name:
    description:
      - The name of the context whose variables are managed, with its owner in O(owner_slug) or
        O(owner_id). It is looked up once per task, by exact name.
      - A context that does not exist is an error; create it with M(community.circleci.circleci_context).
    type: str
  owner_slug:
    description:
      - With O(context_name), the slug of the organization that owns the context, such as V(gh/acme).
    type: str
  owner_id:
    description:
      - With O(context_name), the UUID of the organization or account that owns the context.
    type: str
  owner_type:
    description:
      - With O(context_name), the type of the owner. V(account) exists on CircleCI Server only.
    type: str
    choices: [organization, account]
    default: organization
  name:
    description:
      - The name of the one variable to manage.
      - It must match C([A-Za-z_][A-Za-z0-9_]*).
      - Exactly one of O(name) and O(variables) is required.
    type: str
  value:
    description:
      - The value of the variable named by O(name). Required when O(state=present).
      - Never shown in results, messages or diffs.
    type: str
  state:
    description:
      - Whether the variable named by O(name) should exist.
      - With O(variables), the state of each entry that does not set its own.
    type: str
    choices: [present, absent]
    default: present
  variables:
    description:
      - The variables to manage in one task. A name may appear only once.
      - An empty list is allowed; with O(purge=true) it deletes every variable of the project or context.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The name of the variable. It must match C([A-Za-z_][A-Za-z0-9_]*).
        type: str
        required: true
      value:
        description:
          - The value of the variable. Required when the entry's state is V(present).
        type: str
      state:
        description:
          - Whether the variable should exist. When not set, O(state) applies (V(present) by default).
        type: str
        choices: [present, absent]
  purge:
    description:
      - With O(variables), also delete every variable of the project or context that O(variables) does not name.
    type: bool
    default: false
  update_value:
    description:
      - When to write a variable that already exists.
      - V(on_change) writes it when the masked form CircleCI shows differs from V(xxxx) followed by the
        last four characters of the value. A new value that ends with the same four characters
        as the stored one is B(not) seen as a change and is left as is; use V(always) to be sure.
        Where CircleCI shows nothing of an existing value (a context variable on a server whose
        list has no C(truncated_value)), the variable is left as is and named in RV(unverified).
      - V(always) writes every declared variable on every run, and so always reports a change.
      - V(on_create) writes only variables that do not exist yet; existing ones are never overwritten.
    type: str
    choices: [on_change, always, on_create]
    default: on_change
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.MODULES
  - community.circleci.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The diff maps each variable name to its masked form (V(xxxx) and the last four characters), never to its value.
  idempotent:
    support: partial
    details:
      - With O(update_value=always) every run writes the declared variables and reports a change.
      - With V(on_change) and V(on_create), a second run with the same arguments sends no write.
notes:
  - Writes within one task run up to four at a time. When one fails, no further write is started,
    the task fails, and RV(created), RV(updated) and RV(deleted) list exactly the writes that
    completed, so nothing done is hidden.
  - The masked form of a value of four characters or fewer would be the whole value, so such a
    masked form is shown as V(xxxx) in RV(variables) and in the diff when it has fewer than four
    characters. The comparison of O(update_value=on_change) assumes CircleCI masks short values
    like any other (V(xxxx) and the whole value).
  - Every write of a context variable is an upsert (C(PUT)); project variables are created or
    overwritten with one C(POST).
seealso:
  - module: community.circleci.circleci_context
  - name: CircleCI environment variables
    description: How CircleCI projects and contexts hold secrets.
    link: https://circleci.com/docs/env-vars/
'''

EXAMPLES = r'''
- name: One project variable
  community.circleci.circleci_envvar:
    project_slug: gh/acme/api
    name: NPM_TOKEN
    value: "{{ vault_npm_token }}"
    api_token: "{{ circleci_token }}"

- name: Many variables of a context named by its owner, and nothing else in it
  community.circleci.circleci_envvar:
    context_name: deploy-production
    owner_slug: gh/acme
    variables:
      - name: AWS_ACCESS_KEY_ID
        value: "{{ vault_aws_key_id }}"
      - name: AWS_SECRET_ACCESS_KEY
        value: "{{ vault_aws_secret }}"
      - name: LEGACY_TOKEN
        state: absent
    purge: true
  register: deploy_vars

- name: Show what happened (names only; values are never returned)
  ansible.builtin.debug:
    msg: "created {{ deploy_vars.created }}, updated {{ deploy_vars.updated }}, deleted {{ deploy_vars.deleted }}"

- name: Rotate a secret whose new value may end like the old one
  community.circleci.circleci_envvar:
    context_id: 497f6eca-6276-4993-bfeb-53cbbbba6f08
    name: SIGNING_KEY
    value: "{{ new_signing_key }}"
    update_value: always

- name: Seed a variable once; never overwrite what someone set since
  community.circleci.circleci_envvar:
    project_slug: gh/acme/web
    name: FEATURE_FLAGS
    value: "{}"
    update_value: on_create

- name: Delete two variables
  community.circleci.circleci_envvar:
    project_slug: gh/acme/api
    state: absent
    variables:
      - name: OLD_TOKEN
      - name: OLDER_TOKEN
'''

RETURN = r'''
created:
  description: Names of the variables created (or that would be, in check mode), sorted.
  returned: always
  type: list
  elements: str
  sample: [AWS_ACCESS_KEY_ID]
updated:
  description: Names of the existing variables that were written (or would be, in check mode), sorted.
  returned: always
  type: list
  elements: str
  sample: [AWS_SECRET_ACCESS_KEY]
deleted:
  description:
    - Names of the variables deleted (or that would be, in check mode), sorted.
    - Holds both declared V(absent) variables and, with O(purge), undeclared ones.
  returned: always
  type: list
  elements: str
  sample: [LEGACY_TOKEN]
unchanged:
  description:
    - Names of the declared variables that needed no write, sorted.
    - An existing variable whose masked form matches, one left alone by O(update_value=on_create),
      or an V(absent) one that does not exist.
  returned: always
  type: list
  elements: str
  sample: [NPM_TOKEN]
unverified:
  description:
    - Names of the existing declared variables whose value CircleCI does not reveal at all, left
      as they are by O(update_value=on_change), sorted.
    - Use O(update_value=always) to write them anyway.
  returned: always
  type: list
  elements: str
  sample: []
variables:
  description:
    - Every variable of the project or context after the task, as CircleCI shows it, sorted by name.
    - In check mode, what CircleCI would show after the changes.
    - When the task fails part-way, the variables as they are after the writes that completed.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The variable's name.
      type: str
      returned: always
      sample: NPM_TOKEN
    masked_value:
      description:
        - V(xxxx) followed by the last four characters of the value, as CircleCI shows it.
        - V(xxxx) alone when CircleCI's masked form has fewer than four characters after V(xxxx) (it is then the whole value).
        - V(null) when CircleCI does not show it (context variables on servers without C(truncated_value)),
          and for a context variable written by this task when the context's list showed no
          C(truncated_value) to go by (for example, the context was empty).
      type: str
      returned: always
      sample: xxxx4f9c
    created_at:
      description: When the variable was created, as CircleCI gives it.
      type: str
      returned: when CircleCI gives it
      sample: '2026-09-21T17:29:21.042Z'
    updated_at:
      description: When the variable was last written (context variables on current servers).
      type: str
      returned: when CircleCI gives it
      sample: '2026-09-21T17:29:21.042Z'
diff:
  description: The variables of the project or context before and after, as name to masked form.
  returned: always
  type: dict
  contains:
    before:
      description: Each variable's name mapped to its masked form (V(null) when CircleCI shows none), before the task.
      type: dict
      returned: always
      sample: {NPM_TOKEN: xxxx4f9c}
    after:
      description: The same after the task.
      type: dict
      returned: always
      sample: {NPM_TOKEN: xxxx81ab, DEPLOY_KEY: xxxx0c1d}
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import context_id_from
from ansible_collections.community.circleci.plugins.module_utils._resource import ItemSet, plan_items
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    OWNER_TYPES,
    check_envvar_name,
    check_owner,
    check_project_slug,
    check_uuid,
)

# Concurrent writes within one task: enough to hide most of the network's latency, few enough
# that a large list does not trip CircleCI's rate limit at once.
MAX_WRITERS = 4
MASK = 'xxxx'


def masked(value):
    """What CircleCI shows of ``value``."""
    return MASK + value[-4:]


def revealed(shown):
    """Whether ``shown`` is a masked form that can be compared (``xxxx`` and up to four characters)."""
    return isinstance(shown, str) and shown.startswith(MASK) and len(shown) <= len(MASK) + 4


def displayed(shown):
    """A masked form safe to return: a tail shorter than four characters is the whole value."""
    if not revealed(shown):
        return None
    return shown if len(shown) == len(MASK) + 4 else MASK


def differs(update_value):
    """Whether a variable CircleCI shows as ``shown`` must be written with ``value`` (None: it cannot tell)."""
    def verdict(shown, value):
        if update_value in ('always', 'on_create'):
            return update_value == 'always'
        return None if not revealed(shown) else shown != masked(value)
    return verdict


def plan(current, declared, update_value, purge):
    """The writes for ``current`` (name -> masked form shown) and ``declared`` (name, value, state); see plan_items."""
    return plan_items(current, declared, differs(update_value), purge)


class ProjectVariables:
    """A project's variables: listed with a masked ``value``, created or overwritten by POST (an upsert)."""

    def __init__(self, client, project_slug):
        self.client = client
        self.path = '/project/%s/envvar' % quote_slug(project_slug)

    def read(self):
        return [self.normalize(item) for item in self.client.paginate(self.path)]

    def write(self, name, value):
        return self.normalize(self.client.post(self.path, body={'name': name, 'value': value}, retry=True), name, value)

    def predict(self, name, value):
        return {'name': name, 'masked': masked(value)}

    @staticmethod
    def normalize(item, name=None, value=None):
        item = item if isinstance(item, dict) else {}
        shown = item.get('value')
        if value is not None and not revealed(shown):
            shown = masked(value)
        return {'name': item.get('name') or name, 'masked': shown, 'created_at': item.get('created-at', item.get('created_at'))}


class ContextVariables:
    """A context's variables: listed with ``truncated_value`` (on current servers), upserted by PUT."""

    def __init__(self, client, context_id):
        self.client = client
        self.path = '/context/%s/environment-variable' % quote_segment(context_id)
        # Whether this server shows truncated_value; the PUT answer never carries it.
        self.shows_tails = False

    def read(self):
        items = list(self.client.paginate(self.path))
        self.shows_tails = any('truncated_value' in item for item in items)
        return [self.normalize(item) for item in items]

    def write(self, name, value):
        answer = self.client.put('%s/%s' % (self.path, quote_segment(name)), body={'value': value})
        answer = answer if isinstance(answer, dict) else {}
        return dict(self.normalize(answer), name=answer.get('variable') or name, masked=masked(value) if self.shows_tails else None)

    def predict(self, name, value):
        return {'name': name, 'masked': masked(value) if self.shows_tails else None}

    @staticmethod
    def normalize(item):
        return {'name': item.get('variable'), 'masked': item.get('truncated_value'),
                'created_at': item.get('created_at'), 'updated_at': item.get('updated_at')}


class EnvVars(ItemSet):
    noun, workers = 'variable', MAX_WRITERS
    argument_spec = dict(
        project_slug=dict(type='str'),
        context_id=dict(type='str'),
        context_name=dict(type='str'),
        owner_slug=dict(type='str'),
        owner_id=dict(type='str'),
        owner_type=dict(type='str', choices=list(OWNER_TYPES), default='organization'),
        name=dict(type='str'),
        value=dict(type='str', no_log=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        variables=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            value=dict(type='str', no_log=True),
            state=dict(type='str', choices=['present', 'absent']),
        )),
        purge=dict(type='bool', default=False),
        update_value=dict(type='str', choices=['on_change', 'always', 'on_create'], default='on_change'),
    )
    rules = dict(
        mutually_exclusive=[('project_slug', 'context_id', 'context_name'), ('name', 'variables'), ('owner_slug', 'owner_id')],
        required_one_of=[('project_slug', 'context_id', 'context_name'), ('name', 'variables')],
    )

    def check(self):
        params = self.params
        owner = None
        if params['project_slug'] is not None:
            check_project_slug(params['project_slug'])
        elif params['context_id'] is not None:
            check_uuid(params['context_id'], 'context_id')
        else:
            if not params['context_name']:
                raise CircleCIInputError('context_name', 'must not be empty')
            owner = check_owner(params['owner_slug'], params['owner_id'], params['owner_type'])
        if params['context_name'] is None:
            for option in ('owner_slug', 'owner_id'):
                if params[option] is not None:
                    raise CircleCIInputError(option, 'names the owner of a context given by context_name; '
                                             'it is not used with project_slug or context_id')
        if params['variables'] is None:
            if params['purge']:
                raise CircleCIInputError('purge', 'needs variables: the list of the variables to keep')
            entries = [('name', 'value', params['name'], params['value'], params['state'])]
        else:
            entries = [('variables[%d].name' % i, 'variables[%d].value' % i, e['name'], e['value'], e['state'] or params['state'])
                       for i, e in enumerate(params['variables'])]
        declared, seen = [], {}
        for name_option, value_option, name, value, state in entries:
            check_envvar_name(name, name_option)
            if name in seen:
                raise CircleCIInputError(name_option, '%s is already declared by %s; each variable may be declared once' % (name, seen[name]))
            seen[name] = name_option
            if state == 'present' and value is None:
                raise CircleCIInputError(value_option, 'is required when the state is present')
            declared.append((name, value if state == 'present' else None, state))
        return {'declared': declared, 'owner': owner}

    def scope(self):
        params = self.params
        if params['project_slug'] is not None:
            return ProjectVariables(self.client, params['project_slug'])
        return ContextVariables(self.client, context_id_from(self.client, params['context_id'], params['context_name'], self.inputs['owner']))

    def read(self, scope):
        return dict((var['name'], var) for var in scope.read())

    def differs(self, item, desired):
        return differs(self.params['update_value'])(item['masked'], desired)

    def write(self, scope, action, key, desired, item):
        if action == 'delete':
            self.client.delete('%s/%s' % (scope.path, quote_segment(key)))
            return None
        answer = scope.write(key, desired)
        return dict(item or {}, **dict((k, v) for k, v in answer.items() if v is not None or k == 'masked'))

    def predict(self, scope, action, key, desired, item):
        return None if action == 'delete' else dict(item or {}, **scope.predict(key, desired))

    def report(self, before, after):
        self.result['variables'] = [self.view(after[name]) for name in sorted(after)]
        self.result['diff'] = dict(before=self.masks(before), after=self.masks(after))

    @staticmethod
    def view(var):
        shown = {'name': var['name'], 'masked_value': displayed(var.get('masked'))}
        shown.update((key, var[key]) for key in ('created_at', 'updated_at') if var.get(key))
        return shown

    @staticmethod
    def masks(variables):
        return dict((name, displayed(var.get('masked'))) for name, var in variables.items())


def main():
    run_module(EnvVars)


if __name__ == '__main__':
    main()
