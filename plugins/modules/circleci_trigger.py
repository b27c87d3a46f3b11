#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_trigger
short_description: Create, update or delete a trigger of a CircleCI pipeline definition
version_added: 0.1.0
description:
  - Ensures that a trigger of a pipeline definition exists, with the given event preset, refs and state, or does not exist.
  - A trigger says which events start the definition's pipelines. Repository triggers (V(github_app), V(github_oauth)) fire on the
    events of a repository; webhook triggers (V(webhook)) fire when their URL is called.
  - Triggers have no name, and CircleCI lets identical triggers coexist. So a trigger is found among its definition's triggers
    by what tells it apart, that is its provider, its repository (or, for a webhook trigger, its sender) and its O(event_name). When two
    triggers of the definition match, the task fails and lists their ids; name one of them with O(trigger_id).
  - O(event_preset), O(checkout_ref), O(config_ref) and O(disabled) are updated in place (C(PATCH)), only when they differ.
    The provider and repository of a trigger cannot change; asking for others with O(trigger_id) fails the task before any write.
  - A webhook trigger's URL carries its secret (C(?secret=...)). It is shown with the secret replaced by C(********), unless
    O(return_webhook_url=true).
  - Triggers exist on CircleCI cloud only; CircleCI Server answers 404.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project, as C(vcs/org/repo) or V(circleci/<org-id>/<project-id>). It is resolved to the project's id (one request).
      - Exactly one of O(project_slug) and O(project_id) is required.
    type: str
  project_id:
    description: The project's UUID. Saves the request that resolves O(project_slug).
    type: str
  pipeline_definition:
    description:
      - The name of the pipeline definition the trigger belongs to (the project's definitions are listed to find it).
      - Exactly one of O(pipeline_definition) and O(pipeline_definition_id) is required.
    type: str
  pipeline_definition_id:
    description: The definition's UUID.
    type: str
  trigger_id:
    description:
      - Address one trigger exactly, by its UUID, instead of by its event source and event name (for example, one of two that
        match). It must be a trigger of the definition; with O(state=present), one that does not exist fails the task.
      - With it, O(event_source) and O(event_name) are optional; given, O(event_name) and a webhook trigger's sender are updated.
    type: str
  event_source:
    description:
      - Where the events come from. Required unless O(trigger_id) is given.
    type: dict
    suboptions:
      provider:
        description:
          - V(github_app) (a repository of the organization's GitHub App installation), V(github_oauth) (a repository of a classic
            GitHub organization) or V(webhook) (a URL that CircleCI makes for the trigger).
        type: str
        choices: [github_app, github_oauth, webhook]
        default: github_app
      repo_id:
        description:
          - The external id of the repository whose events fire the trigger (the VCS's numeric id, as a string).
            Required for repository triggers; not used with V(webhook).
        type: str
      webhook_sender:
        description: For a webhook trigger, a name of whoever calls it (shown in CircleCI). Part of the trigger's identity.
        type: str
  event_name:
    description:
      - For a webhook trigger, the name of the event it receives. Required for webhook triggers, not used with the others.
    type: str
  event_preset:
    description:
      - For a V(github_app) trigger, which of the repository's events fire it.
    type: str
    choices: [all-pushes, only-tags, default-branch-pushes, only-build-prs, only-open-prs, only-labeled-prs, only-merged-prs,
              only-ready-for-review-prs, only-branch-delete, only-build-pushes-to-non-draft-prs, only-merged-or-closed-prs]
  checkout_ref:
    description:
      - The branch or tag whose code the pipeline checks out.
      - Required for webhook triggers. For a repository trigger, used only when its repository is not the definition's checkout
        repository; when it is, the option is left out of every request (CircleCI refuses it there).
    type: str
  config_ref:
    description:
      - The branch or tag whose configuration the pipeline runs.
      - Required for webhook triggers. For a repository trigger, used only when its repository is not the definition's config
        repository (otherwise left out, as O(checkout_ref)).
    type: str
  disabled:
    description: Whether the trigger is disabled. Left as it is when omitted; a new trigger is enabled.
    type: bool
  return_webhook_url:
    description:
      - Return a webhook trigger's URL (V(webhook_url) in RV(trigger.event_source)) with its secret. Anyone with the URL can start the
        definition's pipelines; use it with C(no_log) and keep it in a vault.
      - The diff always shows the URL masked.
    type: bool
    default: false
  state:
    description: Whether the trigger should exist.
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
      - A trigger that would be created has no RV(trigger.id) in check mode, and a webhook trigger no URL.
  diff_mode:
    support: full
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_pipeline_definition
  - module: community.circleci.circleci_pipeline_trigger
  - name: Triggers of GitHub App projects
    description: CircleCI's guide to triggers and their event presets.
    link: https://circleci.com/docs/guides/orchestrate/triggers-overview/
'''

EXAMPLES = r'''
- name: Run the build definition on every push to its repository
  community.circleci.circleci_trigger:
    project_id: "{{ project.id }}"
    pipeline_definition: build
    event_source:
      repo_id: "520000001"
    event_preset: all-pushes

- name: Run the deploy definition when the deploy-tools repository gets a tag, with the service's main branch
  community.circleci.circleci_trigger:
    project_id: "{{ project.id }}"
    pipeline_definition: deploy
    event_source:
      repo_id: "520000003"
    event_preset: only-tags
    checkout_ref: main
    config_ref: main

- name: A webhook trigger; keep its URL (a secret) for the caller
  community.circleci.circleci_trigger:
    project_id: "{{ project.id }}"
    pipeline_definition: deploy
    event_source:
      provider: webhook
      webhook_sender: release-bot
    event_name: release
    checkout_ref: main
    config_ref: main
    return_webhook_url: true
  register: release_hook
  no_log: true

- name: Disable one of two identical triggers, by id
  community.circleci.circleci_trigger:
    project_id: "{{ project.id }}"
    pipeline_definition: build
    trigger_id: 7b7c1f0e-2a49-4c1e-9f8a-9d5f2b9e6a11
    disabled: true
'''

RETURN = r'''
trigger:
  description:
    - The trigger after the task; V({}) when it is absent. Its event source is spelled as the option is.
  returned: always
  type: dict
  contains:
    id:
      description: The trigger's UUID.
      type: str
      returned: when the trigger exists
      sample: 7b7c1f0e-2a49-4c1e-9f8a-9d5f2b9e6a11
    event_source:
      description:
        - V(provider) with V(repo_id) and V(repo_full_name) for a repository trigger, or with V(webhook_sender) and V(webhook_url)
          for a webhook trigger.
        - V(webhook_url) has its C(secret) masked, unless O(return_webhook_url=true).
      type: dict
      returned: when the trigger exists
      sample: {provider: webhook, webhook_sender: release-bot,
               webhook_url: 'https://internal.circleci.com/private/soc/e/7b7c1f0e-2a49-4c1e-9f8a-9d5f2b9e6a11?secret=********'}
    event_name:
      description: The webhook trigger's event name; V(null) when it has none.
      type: str
      returned: when the trigger exists
    event_preset:
      description: The events that fire a V(github_app) trigger; V(null) when it has none.
      type: str
      returned: when the trigger exists
    checkout_ref:
      description: The ref checked out; V(null) when it has none.
      type: str
      returned: when the trigger exists
    config_ref:
      description: The ref of the configuration; V(null) when it has none.
      type: str
      returned: when the trigger exists
    disabled:
      description: Whether the trigger is disabled.
      type: bool
      returned: when the trigger exists
    created_at:
      description: When the trigger was created (RFC 3339).
      type: str
      returned: when the trigger exists
diff:
  description: The trigger before and after the task (its webhook URL always masked).
  returned: always
  type: dict
  contains:
    before:
      description: The trigger before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The trigger after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._definitions import (
    EVENT_PRESETS, TRIGGER_PROVIDERS, event_source_body, event_source_view, mask_url, source_view, trigger_identity,
)
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import definition_of, find_one, project_id_of
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._validation import check_text, check_uuid


def empty_is_none(value):
    return value or None


class Trigger(Resource):
    key, plural = 'trigger', 'triggers'
    definition = None  # the definition's answer, read by scope()
    argument_spec = dict(
        project_slug=dict(type='str'), project_id=dict(type='str'), pipeline_definition=dict(type='str'), pipeline_definition_id=dict(type='str'),
        trigger_id=dict(type='str'), event_source=dict(type='dict', options=dict(
            provider=dict(type='str', choices=list(TRIGGER_PROVIDERS), default='github_app'), repo_id=dict(type='str'), webhook_sender=dict(type='str'))),
        event_name=dict(type='str'), event_preset=dict(type='str', choices=list(EVENT_PRESETS)), checkout_ref=dict(type='str'),
        config_ref=dict(type='str'), disabled=dict(type='bool'), return_webhook_url=dict(type='bool', default=False),
        state=dict(type='str', choices=['present', 'absent'], default='present'))
    rules = dict(mutually_exclusive=[('project_slug', 'project_id'), ('pipeline_definition', 'pipeline_definition_id')],
                 required_one_of=[('project_slug', 'project_id'), ('pipeline_definition', 'pipeline_definition_id'), ('event_source', 'trigger_id')])
    fields = (Field('id'), Field('event_source', option='event_source', normalise=event_source_view, to_api=event_source_body, partial=True),
              Field('event_name', option='event_name', check=check_text, normalise=empty_is_none), Field('event_preset', option='event_preset'),
              Field('checkout_ref', option='checkout_ref', check=check_text, normalise=empty_is_none),
              Field('config_ref', option='config_ref', check=check_text, normalise=empty_is_none),
              Field('disabled', option='disabled', normalise=bool), Field('created_at'))

    def check(self):
        inputs, params, source = super(Trigger, self).check(), self.params, self.params['event_source']
        for option in ('trigger_id', 'pipeline_definition_id', 'project_id'):
            inputs[option] = params[option] and check_uuid(params[option], option)
        if source and source['provider'] == 'webhook':
            if source['repo_id'] is not None:
                raise CircleCIInputError('event_source.repo_id', 'is only used with repository triggers (github_app, github_oauth)')
            creating = params['state'] == 'present' and not params['trigger_id']
            for option in ['event_name'] + (['checkout_ref', 'config_ref'] if creating else []):
                if params[option] is None:
                    raise CircleCIInputError(option, 'is required for a webhook trigger')
        elif source:
            if source['repo_id'] is None:
                raise CircleCIInputError('event_source.repo_id', 'is required for a repository trigger (github_app, github_oauth)')
            check_text(source['repo_id'], 'event_source.repo_id')
            for option, value in (('event_name', params['event_name']), ('event_source.webhook_sender', source['webhook_sender'])):
                if value is not None:
                    raise CircleCIInputError(option, 'is only used with webhook triggers')
            if params['event_preset'] and source['provider'] != 'github_app':
                raise CircleCIInputError('event_preset', 'is only used with github_app triggers')
        return inputs

    def scope(self):
        project_id = project_id_of(self.client, self.params['project_slug'], self.inputs['project_id'])
        source, definition_id = self.params['event_source'] or {}, self.inputs['pipeline_definition_id']
        if definition_id and not (source.get('repo_id') and (self.params['checkout_ref'] or self.params['config_ref'])):
            # Its repositories matter only to a repository trigger's refs: otherwise its id is all it takes.
            self.definition = {'id': definition_id}
        else:
            self.definition = definition_of(self.client, project_id, self.params['pipeline_definition'], definition_id)
        return {'project_id': project_id, 'definition': self.definition}

    @staticmethod
    def path(scope, trigger=None):
        """Triggers are listed and created under their definition, read and changed under the project."""
        if trigger is None:
            return '/projects/%s/pipeline-definitions/%s/triggers' % (quote_segment(scope['project_id']), quote_segment(scope['definition']['id']))
        return '/projects/%s/triggers/%s' % (quote_segment(scope['project_id']), quote_segment(trigger['id']))

    def items(self, scope):
        return self.client.list(self.path(scope))

    def find(self, scope):
        triggers = [self.normalise(item) for item in self.items(scope)]
        definition = scope['definition']
        where = 'in pipeline definition %r (id %s)' % (definition['name'], definition['id']) if 'name' in definition else \
            'in pipeline definition %s' % definition['id']
        if self.inputs['trigger_id']:
            found = [t for t in triggers if t['id'] == self.inputs['trigger_id']]
            if not found and self.params['state'] == 'present':
                listed = ', '.join(t['id'] for t in triggers) or 'none'
                raise CircleCIStateError('trigger_id: no trigger %s %s (its triggers: %s)' % (self.inputs['trigger_id'], where, listed))
            return found[0] if found else None
        keyed = [dict(t, identity=trigger_identity(t['event_source'], t['event_name'])) for t in triggers]
        return find_one(keyed, self.wanted_identity(), self.plural, where, key='identity', verb='match', hint='name one by trigger_id')

    def wanted_identity(self):
        return trigger_identity(self.params['event_source'], self.params['event_name'])

    def desired(self):
        """A repository trigger's refs are left out where its repository is the definition's own (CircleCI refuses them there)."""
        desired, source = super(Trigger, self).desired(), self.params['event_source'] or {}
        if source.get('repo_id') is not None:
            for ref, definition_source in (('checkout_ref', 'checkout_source'), ('config_ref', 'config_source')):
                if source['repo_id'] == (source_view(self.definition.get(definition_source)) or {}).get('repo_id'):
                    desired[ref] = None
        return desired

    def compare(self, current, desired):
        changes = super(Trigger, self).compare(current, dict(desired, event_source=None))
        want, have = desired.get('event_source'), current.get('event_source') or {}
        if want and (want['provider'], want['repo_id']) != (have.get('provider'), have.get('repo_id')):
            raise CircleCIStateError('event_source: trigger %s has %s; the provider and repository of a trigger cannot change. '
                                     'Delete it and create another' % (current['id'], trigger_identity(have, None)))
        if want and want['webhook_sender'] is not None and want['webhook_sender'] != have.get('webhook_sender'):
            changes['event_source'] = {'webhook_sender': want['webhook_sender']}
        return changes

    def create(self, scope, body):
        return self.client.post(self.path(scope), body=body)

    def update(self, scope, current, body):
        return self.client.patch(self.path(scope, current), body=body)

    def delete(self, scope, current):
        self.client.delete(self.path(scope, current))

    def view(self, obj):
        view = super(Trigger, self).view(obj)
        if (view.get('event_source') or {}).get('webhook_url'):
            view['event_source'] = dict(view['event_source'], webhook_url=mask_url(view['event_source']['webhook_url']))
        return view

    def report(self, before, after):
        super(Trigger, self).report(before, after)
        if self.params['return_webhook_url']:
            self.result['trigger'] = Resource.view(self, after)


def main():
    run_module(Trigger)


if __name__ == '__main__':
    main()
