# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the governance modules share: durations as CircleCI prints them (OIDC ``ttl``), the name a
Rego document declares (config policies), and a context's restrictions, an item set that
circleci_context carries."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import re

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment
from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._resolve import org_of, project_of
from ansible_collections.community.circleci.plugins.module_utils._resource import ItemSet, plan_items
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    UUID_RE,
    check_project_slug,
    check_text,
    check_uuid,
    shown,
)

# -- durations ----------------------------------------------------------------------------------

# Go's duration units as time.Duration.String() prints them, in milliseconds.
GO_UNITS = {'h': 3600000, 'm': 60000, 's': 1000, 'ms': 1, 'us': 0.001, '\u00b5s': 0.001, 'ns': 0.000001}
GO_DURATION_RE = re.compile(r'^(?:([0-9]+(?:\.[0-9]+)?)(h|ms|m|s|us|\u00b5s|ns))+\Z')
GO_PART_RE = re.compile(r'([0-9]+(?:\.[0-9]+)?)(h|ms|m|s|us|\u00b5s|ns)')


def go_duration(millis):
    """``millis`` as CircleCI stores a duration (Go's time.Duration.String()): 90m is 1h30m0s."""
    if millis < 1000:
        return '%dms' % millis if millis else '0s'
    seconds, fraction = divmod(millis, 1000)
    text = '%d%ss' % (seconds % 60, ('.%03d' % fraction).rstrip('0') if fraction else '')
    minutes = seconds // 60
    if minutes:
        text = '%dm%s' % (minutes % 60, text)
        if minutes >= 60:
            text = '%dh%s' % (minutes // 60, text)
    return text


def stored_duration(value):
    """A duration CircleCI answered, as go_duration() writes it (so that both sides compare by value);
    anything else as it came."""
    if not isinstance(value, str) or not GO_DURATION_RE.match(value):
        return value
    millis = sum(float(number) * GO_UNITS[unit] for number, unit in GO_PART_RE.findall(value))
    return go_duration(int(round(millis)))


def duration_body(stored):
    """A duration written by go_duration(), in the form CircleCI takes (whole units): 1h30m0s is 1h30m."""
    millis = int(round(sum(float(number) * GO_UNITS[unit] for number, unit in GO_PART_RE.findall(stored))))
    parts = []
    for unit in ('h', 'm', 's', 'ms'):
        count, millis = divmod(millis, GO_UNITS[unit])
        if count:
            parts.append('%d%s' % (count, unit))
    return ''.join(parts)


# -- config policies ---------------------------------------------------------------------------

POLICY_NAME_RE = re.compile(r'^\s*policy_name\s*\[\s*"((?:[^"\\\n]|\\.)*)"\s*\]', re.M)


def policy_name(text):
    """The name a Rego document declares (``policy_name["jobs"]``), which CircleCI names the policy
    by whatever the file is called; None when it declares none. Comment lines are skipped."""
    code = '\n'.join(line for line in text.splitlines() if not line.lstrip().startswith('#'))
    match = POLICY_NAME_RE.search(code)
    return match.group(1) if match else None


# -- deletes ---------------------------------------------------------------------------------------

def delete_or_gone(client, path):
    """DELETE ``path``; an answer of 403 or 404 means the object is gone already (CircleCI answers 403
    for a group or a context restriction that is not there), which is what was asked."""
    try:
        client.delete(path, gone=(403, 404))
    except CircleCIError as exc:
        if exc.status not in (403, 404):
            raise


# -- context restrictions -------------------------------------------------------------------------

RESTRICTION_TYPES = ('project', 'expression', 'group')


def project_ref(value, option):
    """A project named by its id (answered lower-case) or by its slug (answered as ``('slug', slug)``, to resolve)."""
    if isinstance(value, str) and UUID_RE.match(value):
        return value.lower()
    try:
        return ('slug', check_project_slug(value, option))
    except CircleCIInputError:
        raise CircleCIInputError(option, '%s is neither a project slug (such as gh/acme/api) nor a project id (a UUID)' % shown(value))


def restriction_view(item):
    return dict((k, item.get(k)) for k in ('id', 'restriction_type', 'restriction_value', 'name'))


class Restrictions(ItemSet):
    """A context's restrictions, keyed by (type, value). CircleCI has no update: a restriction is
    there or not. Every create is sent before any delete (ItemSet), so the context is never open
    wider than the union of its old and new restrictions. A new context starts with the "All
    members" group restriction, whose value is the organization's id."""

    option, field, noun, reread, reported = 'restrictions', 'restrictions', 'restriction', True, ()

    def check(self):
        declared, seen = [], {}
        for index, entry in enumerate(self.params['restrictions']):
            option = 'restrictions[%d].value' % index
            kind, value = entry['type'], entry['value']
            if kind == 'group':
                value = check_uuid(value, option)
            elif kind == 'project':
                value = project_ref(value, option)
            else:
                check_text(value, option)
            key = (kind, value)
            if key in seen:
                raise CircleCIInputError(option, '%s restriction %s is already declared by restrictions[%d]' % (kind, shown(entry['value']), seen[key]))
            seen[key] = index
            declared.append((key, entry.get('state') or 'present'))
        return {'declared': declared}

    def read(self, scope):
        if not scope.get('id'):
            # A context that check mode would create starts with the "All members" restriction only.
            owner = self.params.get('owner_id') or org_of(self.client, org_slug=self.params['owner_slug'])['id']
            return {('group', owner.lower()): {'restriction_type': 'group', 'restriction_value': owner.lower(), 'name': 'All members'}}
        items = self.client.paginate('/context/%s/restrictions' % quote_segment(scope['id']))
        return dict(((i['restriction_type'], (i['restriction_value'] or '').lower() if i['restriction_type'] != 'expression'
                      else i['restriction_value']), restriction_view(i)) for i in items)

    def plan(self, current):
        """Project slugs are resolved to ids first (a read each)."""
        declared, seen = [], {}
        for index, ((kind, value), state) in enumerate(self.inputs['declared']):
            if isinstance(value, tuple):
                value = project_of(self.client, project_slug=value[1])['id'].lower()
            if (kind, value) in seen:
                raise CircleCIInputError('restrictions[%d].value' % index, 'names the project of restrictions[%d] (%s) again' % (seen[kind, value], value))
            seen[kind, value] = index
            declared.append(((kind, value), {'restriction_type': kind, 'restriction_value': value}, state))
        return plan_items(current, declared, lambda item, desired: False, self.params['purge_restrictions'])

    def write(self, scope, action, key, desired, item):
        path = '/context/%s/restrictions' % quote_segment(scope['id'])
        if action == 'delete':
            delete_or_gone(self.client, '%s/%s' % (path, quote_segment(item['id'])))
            return None
        return dict(restriction_view(self.client.post(path, body=desired)), name=None)

    def predict(self, scope, action, key, desired, item):
        return None if action == 'delete' else dict(desired, id=None, name=desired['restriction_value'] if key[0] == 'expression' else None)

    def report(self, before, after):
        self.result['restrictions'] = [after[key] for key in after]
        self.result['diff'] = dict(before=[before[key] for key in before], after=[after[key] for key in after])
