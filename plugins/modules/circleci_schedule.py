#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_schedule
short_description: Create, update or delete CircleCI scheduled pipelines
version_added: 0.1.0
description:
  - Ensures that a schedule of a project, named exactly, exists with the given timetable, parameters and description, or does not exist.
  - The project's schedules are read in full and matched by exact, case-sensitive name, so a schedule is never created twice.
    When two schedules of the project share the name, the task fails and lists their ids.
  - Timetables are compared after normalising both sides (numbers sorted and without repeats, day and month names in upper case
    and in calendar order), so writing them in another order or case is no change. Only the fields that differ are sent
    (C(PATCH /schedule/{id})).
  - Every check of O(timetable) and O(parameters) runs before any request.
author:
  - community.circleci contributors (@ansible-collections)
options:
  project_slug:
    description:
      - The project the schedule triggers pipelines of, such as V(gh/acme/api).
    type: str
    required: true
  name:
    description:
      - The name of the schedule, its identity within the project.
    type: str
    required: true
  description:
    description:
      - A description of the schedule. Left as it is when omitted.
    type: str
  timetable:
    description:
      - When the schedule triggers, in UTC. Required when O(state=present).
      - Give O(timetable.days_of_week) or O(timetable.days_of_month), not both.
      - The whole timetable is sent when any part of it differs.
    type: dict
    suboptions:
      per_hour:
        description:
          - How many times an hour the schedule triggers, from 1 to 60.
        type: int
        required: true
      hours_of_day:
        description:
          - The hours of the day (UTC) in which it triggers, each from 0 to 23.
        type: list
        elements: int
        required: true
      days_of_week:
        description:
          - The days of the week on which it triggers, as three-letter names (V(MON) to V(SUN), any case).
        type: list
        elements: str
      days_of_month:
        description:
          - The days of the month on which it triggers, each from 1 to 31.
        type: list
        elements: int
      months:
        description:
          - The months in which it triggers, as three-letter names (V(JAN) to V(DEC), any case). All months when omitted.
        type: list
        elements: str
  attribution_actor:
    description:
      - Whom the scheduled pipelines are attributed to. V(current) is the user of O(api_token); V(system) is CircleCI's scheduling system.
      - CircleCI answers with the resulting RV(schedule.actor), never with this setting, so a change of O(attribution_actor) alone
        cannot be seen and is not made. It is sent when the schedule is created and with any other change.
        To change only the actor, delete the schedule and create it again, or change another field in the same task.
    type: str
    choices: [current, system]
    default: current
  parameters:
    description:
      - The pipeline parameters of each scheduled run. Required when O(state=present).
      - Must hold C(branch) or C(tag), the ref to build. Values are strings, whole numbers or booleans.
      - Compared as a whole; the whole dictionary is sent when it differs.
    type: dict
  state:
    description:
      - Whether the schedule should exist.
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
  diff_mode:
    support: full
  idempotent:
    support: full
seealso:
  - module: community.circleci.circleci_info
  - name: Scheduled pipelines
    description: How CircleCI runs pipelines on a schedule.
    link: https://circleci.com/docs/scheduled-pipelines/
'''

EXAMPLES = r'''
- name: Nightly build of main at 02:00 and 14:00 UTC on weekdays
  community.circleci.circleci_schedule:
    project_slug: gh/acme/api
    name: nightly
    description: Nightly build and integration tests
    timetable:
      per_hour: 1
      hours_of_day: [2, 14]
      days_of_week: [MON, TUE, WED, THU, FRI]
    parameters:
      branch: main
      run_integration: true
    attribution_actor: system
    api_token: "{{ circleci_token }}"

- name: Quarterly release check on the first of the month
  community.circleci.circleci_schedule:
    project_slug: gh/acme/api
    name: quarterly
    timetable:
      per_hour: 1
      hours_of_day: [6]
      days_of_month: [1]
      months: [jan, apr, jul, oct]
    parameters:
      tag: release-candidate

- name: Remove a schedule
  community.circleci.circleci_schedule:
    project_slug: gh/acme/api
    name: nightly
    state: absent
'''

RETURN = r'''
schedule:
  description:
    - The schedule after the task; V({}) when it is absent. Keys are in snake_case, the timetable normalised and spelled like O(timetable).
    - In check mode, a schedule that would be created has only the fields given to the module.
  returned: always
  type: dict
  contains:
    id:
      description: The schedule's UUID.
      type: str
      returned: when the schedule exists
      sample: 497f6eca-6276-4993-bfeb-53cbbbba6f08
    name:
      description: The schedule's name.
      type: str
      returned: when the schedule exists
      sample: nightly
    description:
      description: The schedule's description, V(null) when it has none.
      type: str
      returned: when the schedule exists
      sample: Nightly build and integration tests
    timetable:
      description: When the schedule triggers.
      type: dict
      returned: when the schedule exists
      sample: {per_hour: 1, hours_of_day: [2, 14], days_of_week: [MON, TUE, WED, THU, FRI]}
    parameters:
      description: The pipeline parameters of each run.
      type: dict
      returned: when the schedule exists
      sample: {branch: main, run_integration: true}
    actor:
      description: Whom the scheduled pipelines are attributed to, as CircleCI reports it.
      type: dict
      returned: when the schedule exists, except for one that would be created in check mode
      sample: {id: 2b8e56d6-5d6b-4c5a-8a4a-4b0f3c1a2e9d, login: scheduling-system, name: Scheduling System}
    project_slug:
      description: The project the schedule belongs to.
      type: str
      returned: when the schedule exists
      sample: gh/acme/api
    created_at:
      description: When the schedule was created (RFC 3339).
      type: str
      returned: when the schedule exists
      sample: '2026-09-21T17:29:21Z'
    updated_at:
      description: When the schedule was last changed (RFC 3339).
      type: str
      returned: when the schedule exists
      sample: '2026-09-21T17:29:21Z'
diff:
  description: The schedule before and after the task, as in RV(schedule).
  returned: always
  type: dict
  contains:
    before:
      description: The schedule before the task; V({}) when it did not exist.
      type: dict
      returned: always
    after:
      description: The schedule after the task; V({}) when it does not exist.
      type: dict
      returned: always
'''

from ansible_collections.community.circleci.plugins.module_utils._client import quote_segment, quote_slug
from ansible_collections.community.circleci.plugins.module_utils._module import run_module
from ansible_collections.community.circleci.plugins.module_utils._resource import Field, Resource
from ansible_collections.community.circleci.plugins.module_utils._schedule import (
    TIMETABLE_OPTION_NAMES,
    TIMETABLE_OPTIONS,
    api_spelling,
    canonical_timetable,
    check_parameters,
    check_timetable,
    option_spelling,
)
from ansible_collections.community.circleci.plugins.module_utils._validation import check_project_slug, check_text


class Schedule(Resource):
    key, plural = 'schedule', 'schedules'
    argument_spec = dict(
        project_slug=dict(type='str', required=True),
        name=dict(type='str', required=True),
        description=dict(type='str'),
        timetable=dict(type='dict', options=TIMETABLE_OPTIONS),
        attribution_actor=dict(type='str', choices=['current', 'system'], default='current'),
        parameters=dict(type='dict'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    rules = dict(required_if=[('state', 'present', ('timetable', 'parameters'))])
    # CircleCI answers every write with the schedule: fail when it did not keep what was sent.
    verify = 'answer'
    fields = (
        Field('id'), Field('name', option='name', check=check_text), Field('description', option='description'),
        Field('timetable', option='timetable', required=True, check=lambda value, option: option_spelling(check_timetable(value, option)),
              normalise=lambda value: option_spelling(canonical_timetable(value)), to_api=api_spelling),
        Field('parameters', option='parameters', required=True, check=check_parameters), Field('actor'),
        Field('project_slug', api=('project-slug',)), Field('created_at', api=('created-at',)),
        Field('updated_at', api=('updated-at',)),
    )

    def scope(self):
        return quote_slug(check_project_slug(self.params['project_slug']))

    def items(self, scope):
        return self.client.paginate('/project/%s/schedule' % scope)

    def compare(self, current, desired):
        changes = super(Schedule, self).compare(current, desired)
        # CircleCI answers null for no description; asking for an empty one is no change.
        if 'description' in changes and not changes['description'] and not current.get('description'):
            del changes['description']
        return changes

    def body(self, values):
        # CircleCI never answers the attribution-actor, so it cannot be compared: send it with every write.
        return dict(super(Schedule, self).body(values), **{'attribution-actor': self.params['attribution_actor']})

    def create(self, scope, body):
        return self.client.post('/project/%s/schedule' % scope, body=body)

    def update(self, scope, current, body):
        # The whole timetable, its dropped keys as empty lists: a server that merges a PATCH's
        # timetable into the stored one would otherwise keep them.
        for key in ('days-of-week', 'days-of-month', 'months'):
            if 'timetable' in body and key not in body['timetable'] and TIMETABLE_OPTION_NAMES[key] in current['timetable']:
                body['timetable'][key] = []
        return self.client.patch('/schedule/%s' % quote_segment(current['id']), body=body)

    def delete(self, scope, current):
        self.client.delete('/schedule/%s' % quote_segment(current['id']))

    def predict_created(self, scope, desired):
        return dict(super(Schedule, self).predict_created(scope, desired), project_slug=self.params['project_slug'])


def main():
    run_module(Schedule)


if __name__ == '__main__':
    main()
