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

from ansible_collections.community.circleci.plugins.module_utils._client import CircleCIStateError, quote_segment
from ansible_collections.community.circleci.plugins.module_utils._module import CircleCIModule, Resource
from ansible_collections.community.circleci.plugins.module_utils._resolve import get_project
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    CircleCIInputError,
    check_project_slug,
    check_uuid,
)

EVENTS = ('workflow-completed', 'job-completed')
# The reference's spelling first, then the one the live service reportedly uses.
SPELLINGS = {
    'verify_tls': ('verify-tls', 'verify_tls'),
    'signing_secret': ('signing-secret', 'signing_secret'),
    'created_at': ('created-at', 'created_at'),
    'updated_at': ('updated-at', 'updated_at'),
}
VIEW_KEYS = ('id', 'name', 'url', 'events', 'verify_tls', 'signing_secret_set', 'scope', 'created_at', 'updated_at')
CHECKED_FIELDS = ('name', 'url', 'events', 'verify_tls')


def _either(answer, field):
    for key in SPELLINGS[field]:
        if key in answer:
            return answer[key]
    return None


def normalise(answer):
    """A webhook as CircleCI answers it, in either spelling, with snake_case keys, events as a
    sorted set, and the (masked) secret reduced to whether one is set."""
    secret = _either(answer, 'signing_secret')
    return {
        'id': answer.get('id'),
        'name': answer.get('name'),
        'url': answer.get('url'),
        'events': sorted(set(answer.get('events') or [])),
        'verify_tls': _either(answer, 'verify_tls'),
        'signing_secret_set': None if secret is None else bool(secret),
        'scope': answer.get('scope') or {},
        'created_at': _either(answer, 'created_at'),
        'updated_at': _either(answer, 'updated_at'),
    }


def both_spellings(field, value):
    """A body fragment carrying ``value`` under every spelling of ``field``: a server ignores the
    key it does not know, so each kind of server gets the value."""
    return dict((key, value) for key in SPELLINGS[field])


def check_url(url, option='url'):
    if not isinstance(url, str) or not url.startswith('https://') or len(url) == len('https://') \
            or any(c.isspace() for c in url):
        raise CircleCIInputError(option, 'must be an https URL such as https://hooks.example.com/circleci '
                                 '(CircleCI delivers webhooks over https only)')
    return url


def check_events(events, option='events'):
    if not events:
        raise CircleCIInputError(option, 'must name at least one of %s' % ', '.join(EVENTS))
    for event in events:
        if event not in EVENTS:
            raise CircleCIInputError(option, '%r is not one of %s' % (event, ', '.join(EVENTS)))
    return sorted(set(events))


def unkept(obj, expected):
    """What the read-back ``obj`` shows was not kept of ``expected`` (normalised fields)."""
    problems = []
    for field in CHECKED_FIELDS:
        if field in expected and obj.get(field) != expected[field]:
            problems.append('%s reads back as %r, not %r' % (field, obj.get(field), expected[field]))
    if expected.get('signing_secret_set') and obj.get('signing_secret_set') is not True:
        problems.append('the signing secret reads back as not set')
    return problems


class Webhook(Resource):
    key = 'webhook'

    def validate(self):
        params = self.params
        if params['project_slug']:
            check_project_slug(params['project_slug'])
        else:
            self.scope_id = check_uuid(params['scope_id'], 'scope_id')
        if not params['name'] or not params['name'].strip():
            raise CircleCIInputError('name', 'must not be empty')
        if params['signing_secret'] == '':
            raise CircleCIInputError('signing_secret', 'must not be empty; omit it to leave the secret alone')
        if params['state'] == 'present':
            check_url(params['url'])
            self.events = check_events(params['events'])
            if params['update_secret'] == 'always' and params['signing_secret'] is None:
                raise CircleCIInputError('update_secret', 'always needs signing_secret')
        self.write_secret = False

    def find(self):
        if self.params['project_slug']:
            self.scope_id = get_project(self.client, self.params['project_slug'])['id']
        hooks = self.client.paginate('/webhook', params={'scope-id': self.scope_id, 'scope-type': 'project'})
        matches = [h for h in hooks if h.get('name') == self.params['name']]
        if len(matches) > 1:
            raise CircleCIStateError('%d webhooks are named %r in this project (ids: %s); delete all but one'
                                     % (len(matches), self.params['name'], ', '.join(sorted(h.get('id', '?') for h in matches))))
        return normalise(matches[0]) if matches else None

    def desired(self):
        return {'name': self.params['name'], 'url': self.params['url'], 'events': self.events,
                'verify_tls': self.params['verify_tls']}

    def compare(self, current, desired):
        changes = super(Webhook, self).compare(current, desired)
        secret, mode = self.params['signing_secret'], self.params['update_secret']
        self.write_secret = bool(secret) and (mode == 'always' or (mode == 'on_change' and not current['signing_secret_set']))
        if self.write_secret:
            changes['signing_secret_set'] = True
        return changes

    def predict_created(self, desired):
        return dict(desired, signing_secret_set=bool(self.params['signing_secret']),
                    scope={'id': self.scope_id, 'type': 'project'})

    def create(self, desired):
        secret = self.params['signing_secret'] or ''
        body = {'name': desired['name'], 'events': desired['events'], 'url': desired['url'],
                'scope': {'id': self.scope_id, 'type': 'project'}}
        body.update(both_spellings('verify_tls', desired['verify_tls']))
        body.update(both_spellings('signing_secret', secret))
        created = self.client.post('/webhook', body=body)
        expected = dict(desired, signing_secret_set=bool(secret))
        return self.read_back(created.get('id'), expected, 'POST /webhook')

    def update(self, current, changes):
        body = dict((k, changes[k]) for k in ('name', 'url', 'events') if k in changes)
        if 'verify_tls' in changes:
            body.update(both_spellings('verify_tls', changes['verify_tls']))
        if self.write_secret:
            body.update(both_spellings('signing_secret', self.params['signing_secret']))
        path = '/webhook/%s' % quote_segment(current['id'])
        self.client.put(path, body=body)
        return self.read_back(current['id'], changes, 'PUT %s' % path)

    def read_back(self, webhook_id, expected, write):
        """Read the webhook back and fail when CircleCI did not keep what was written: the live
        service drops keys it does not know instead of refusing them."""
        if not webhook_id:
            raise CircleCIStateError('%s answered no webhook id; the webhook may have been created: '
                                     'check the project before running again' % write)
        obj = normalise(self.client.get('/webhook/%s' % quote_segment(webhook_id)))
        self.result[self.key] = self.view(obj)
        problems = unkept(obj, expected)
        if problems:
            raise CircleCIStateError(
                'webhook %r (id %s): CircleCI did not keep what %s sent: %s. The service may read another '
                'spelling of the field names than this module sends (both verify-tls/verify_tls and '
                'signing-secret/signing_secret were sent); the webhook is left as shown in the result'
                % (obj.get('name'), webhook_id, write, '; '.join(problems)))
        return obj

    def delete(self, current):
        self.client.delete('/webhook/%s' % quote_segment(current['id']))

    def view(self, obj):
        return dict((k, obj[k]) for k in VIEW_KEYS if k in obj) if obj else {}


def main():
    module = CircleCIModule(
        argument_spec=dict(
            project_slug=dict(type='str'),
            scope_id=dict(type='str'),
            name=dict(type='str', required=True),
            url=dict(type='str'),
            events=dict(type='list', elements='str', choices=list(EVENTS)),
            verify_tls=dict(type='bool', default=True),
            signing_secret=dict(type='str', no_log=True),
            update_secret=dict(type='str', choices=['on_change', 'always', 'on_create'], default='on_change'),
            state=dict(type='str', choices=['present', 'absent'], default='present'),
        ),
        mutually_exclusive=[('project_slug', 'scope_id')],
        required_one_of=[('project_slug', 'scope_id')],
        required_if=[('state', 'present', ('url', 'events'))],
    )
    module.run(Webhook(module).run)


if __name__ == '__main__':
    main()
