#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_webhook
short_description: Create, update or delete CircleCI outbound webhooks
version_added: 0.1.0
description:
  - Ensures that an outbound webhook of a project, named exactly, exists with the given URL, events and TLS setting, or does not exist.
  - The project's webhooks are read in full and matched by exact, case-sensitive name, so a webhook is never created twice.
    When two webhooks of the project share the name, the task fails and lists their ids.
  - Only the fields that differ are sent (C(PUT /webhook/{id})), and every write is read back.
    If CircleCI did not keep the URL, the events, the TLS setting or the signing secret, the task fails and says which.
  - The field names C(verify-tls) and C(signing-secret) are spelled in kebab-case by CircleCI's API reference but reportedly in
    snake_case by the live service, which ignores keys it does not know. A client that sends one spelling only may create a webhook
    without its signing secret and never notice. This module sends both spellings, accepts either in answers, and fails when the
    read-back shows that the secret or the TLS setting did not stick.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project whose webhook this is, such as V(gh/acme/api). It is resolved to the project's id (one request).
      - Exactly one of O(project_slug) and O(scope_id) is required.
    type: str
  scope_id:
    description:
      - The UUID of the project whose webhook this is. Saves the request that resolves O(project_slug).
    type: str
  name:
    description:
      - The name of the webhook, its identity within the project.
    type: str
    required: true
  url:
    description:
      - Where CircleCI delivers the events. Must start with V(https://).
      - Required when O(state=present).
    type: str
  events:
    description:
      - The events that trigger the webhook. Compared as a set, so order and repeats do not matter.
      - Required when O(state=present).
    type: list
    elements: str
    choices: [workflow-completed, job-completed]
  verify_tls:
    description:
      - Whether CircleCI verifies the TLS certificate of O(url) when it delivers an event.
    type: bool
    default: true
  signing_secret:
    description:
      - The secret CircleCI uses to sign each delivery (an HMAC of the payload in the C(circleci-signature) header).
      - CircleCI never shows a stored secret, only whether one is set; see O(update_secret) for when it is written.
      - When omitted, a new webhook is created without a secret and an existing webhook's secret is left alone.
      - It never appears in the results, the diff or the messages of this module.
    type: str
  update_secret:
    description:
      - When O(signing_secret) is written to an existing webhook.
      - V(on_change) writes it when the webhook has no secret set, and otherwise leaves the secret alone,
        because CircleCI cannot tell whether the stored secret equals O(signing_secret). To change a secret, use V(always) once.
      - V(always) writes it on every run, and the task reports changed every time (a rotation).
      - V(on_create) writes it only when the webhook is created.
    type: str
    choices: [on_change, always, on_create]
    default: on_change
  state:
    description:
      - Whether the webhook should exist.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Only project webhooks exist in CircleCI's API today (C(scope.type=project)).
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
      - The diff shows whether a signing secret is set (RV(webhook.signing_secret_set)), never the secret.
  idempotent:
    support: partial
    details:
      - Idempotent, except with O(update_secret=always), which writes the secret on every run.
      - With O(update_secret=on_change), a changed O(signing_secret) is not detected, because CircleCI does not reveal the stored secret.
seealso:
  - module: community.circleci.circleci_info
  - name: CircleCI webhooks
    description: The events, their payloads, and how to check a delivery's signature.
    link: https://circleci.com/docs/webhooks/
'''

EXAMPLES = r'''
- name: Notify the deploy tracker when a workflow completes
  community.circleci.circleci_webhook:
    project_slug: gh/acme/api
    name: deploy-tracker
    url: https://tracker.example.com/hooks/circleci
    events:
      - workflow-completed
    signing_secret: "{{ vault_tracker_webhook_secret }}"
    api_token: "{{ circleci_token }}"

- name: Rotate the signing secret (reports changed every time it runs)
  community.circleci.circleci_webhook:
    project_slug: gh/acme/api
    name: deploy-tracker
    url: https://tracker.example.com/hooks/circleci
    events: [workflow-completed]
    signing_secret: "{{ vault_tracker_webhook_secret_new }}"
    update_secret: always

- name: Job events to an internal receiver with its own CA, project named by id
  community.circleci.circleci_webhook:
    scope_id: 5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e
    name: job-metrics
    url: https://metrics.internal.example/circleci
    events: [job-completed, workflow-completed]
    verify_tls: false

- name: Remove a webhook
  community.circleci.circleci_webhook:
    project_slug: gh/acme/api
    name: deploy-tracker
    state: absent
'''

RETURN = r'''
webhook:
  description:
    - The webhook after the task; V({}) when it is absent. Keys are in snake_case whatever spelling CircleCI answered in.
    - It has no signing secret key, only RV(webhook.signing_secret_set).
    - In check mode, a webhook that would be created has no RV(webhook.id), RV(webhook.created_at) or RV(webhook.updated_at).
  returned: always
  type: dict
  contains:
    id:
      description: The webhook's UUID.
      type: str
      returned: when the webhook exists
      sample: 497f6eca-6276-4993-bfeb-53cbbbba6f08
    name:
      description: The webhook's name.
      type: str
      returned: when the webhook exists
      sample: deploy-tracker
    url:
      description: Where the events are delivered.
      type: str
      returned: when the webhook exists
      sample: https://tracker.example.com/hooks/circleci
    events:
      description: The events that trigger the webhook, sorted.
      type: list
      elements: str
      returned: when the webhook exists
      sample: [workflow-completed]
    verify_tls:
      description: Whether CircleCI verifies the receiver's TLS certificate.
      type: bool
      returned: when the webhook exists
      sample: true
    signing_secret_set:
      description:
        - Whether the webhook has a signing secret (CircleCI shows C(****) for one, and an empty string for none).
        - V(null) when CircleCI's answer did not say.
      type: bool
      returned: when the webhook exists
      sample: true
    scope:
      description: The project the webhook belongs to.
      type: dict
      returned: when the webhook exists
      sample: {id: 2b8e56d6-5d6b-4c5a-8a4a-4b0f3c1a2e9d, type: project}
    created_at:
      description: When the webhook was created (RFC 3339).
      type: str
      returned: when the webhook exists
      sample: '2026-09-21T17:29:21.042Z'
    updated_at:
      description: When the webhook was last changed (RFC 3339).
      type: str
      returned: when the webhook exists
      sample: '2026-09-21T17:29:21.042Z'
diff:
  description: The webhook before and after the task, as in RV(webhook).
  returned: always
  type: dict
  contains:
    before:
      description: The webhook before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The webhook after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resolve import get_project
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._validation import check_subset, check_text, check_url, check_uuid

EVENTS = ('workflow-completed', 'job-completed')
# The reference's spelling first, then the one the live service reportedly uses (api-notes.md).
FIELDS = (
    Field('id'), Field('name', option='name', check=check_text),
    Field('url', option='url', check=lambda value, option: check_url(value, option, why=' (CircleCI delivers webhooks over https only)')),
    Field('events', option='events', check=lambda value, option: check_subset(value, EVENTS, option), normalise=lambda v: sorted(set(v or []))),
    Field('verify_tls', api=('verify-tls', 'verify_tls'), option='verify_tls'),
    Field('signing_secret_set', api=('signing-secret', 'signing_secret'), sends='signing_secret', mode='update_secret',
          normalise=lambda v: None if v is None else bool(v), unkept='the signing secret reads back as not set'),
    Field('scope'), Field('created_at', api=('created-at', 'created_at')), Field('updated_at', api=('updated-at', 'updated_at')),
)


class Webhook(Resource):
    key, plural = 'webhook', 'webhooks'
    argument_spec = dict(
        project_slug=dict(type='str'),
        scope_id=dict(type='str'),
        name=dict(type='str', required=True),
        url=dict(type='str'),
        events=dict(type='list', elements='str', choices=list(EVENTS)),
        verify_tls=dict(type='bool', default=True),
        signing_secret=dict(type='str', no_log=True),
        update_secret=dict(type='str', choices=['on_change', 'always', 'on_create'], default='on_change'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    rules = dict(mutually_exclusive=[('project_slug', 'scope_id')], required_one_of=[('project_slug', 'scope_id')],
                 required_if=[('state', 'present', ('url', 'events'))])
    fields = FIELDS
    # The live service drops keys it does not know instead of refusing them: read every write back.
    verify = 'read'

    def scope(self):
        if self.params['project_slug']:
            return get_project(self.client, self.params['project_slug'])['id']
        return check_uuid(self.params['scope_id'], 'scope_id')

    def items(self, scope):
        return self.client.paginate('/webhook', params={'scope-id': scope, 'scope-type': 'project'})

    def predict_created(self, scope, desired):
        return dict(desired, scope={'id': scope, 'type': 'project'})

    def create(self, scope, body):
        return self.client.post('/webhook', body=dict(body, scope={'id': scope, 'type': 'project'}))

    def get(self, scope, object_id):
        return self.client.get('/webhook/%s' % quote_segment(object_id))

    def update(self, scope, current, body):
        self.client.put('/webhook/%s' % quote_segment(current['id']), body=body)

    def delete(self, scope, current):
        self.client.delete('/webhook/%s' % quote_segment(current['id']))

    def unkept_hint(self):
        return (' The service may read another spelling of the field names than this module sends (both verify-tls/verify_tls '
                'and signing-secret/signing_secret were sent); the webhook is left as shown in the result')


def main():
    run_module(Webhook)


if __name__ == '__main__':
    main()
