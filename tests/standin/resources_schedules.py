# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scheduled pipelines: ``/project/{slug}/schedule`` and ``/schedule/{id}``.

Bodies and answers use the documented kebab-case keys (``per-hour``, ``hours-of-day``,
``days-of-week``, ``days-of-month``, ``attribution-actor``, ``created-at``, ``updated-at``,
``project-slug``). Unknown keys are refused with 400, so a client that spells a field wrongly
learns it here. The timetable is stored as sent (lists keep their order), so a client that wants
to compare must normalise. CircleCI answers the resulting ``actor``, never ``attribution-actor``.

Config ``schedule_timetable_merge`` (default false): a PATCH's timetable is merged into the
stored one key by key, as an independent CircleCI fake showed the live service doing, so a key
left out of the PATCH (``months``) keeps its old value; an empty list clears it. A client must
send the keys it wants gone as empty lists to converge on such a server.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import collections

from server import CONFIG, ApiError, fixed_id, new_id, now, require_uuid
from resources_core import project_for  # pylint: disable=import-error

DAYS = ('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN')
MONTHS = ('JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC')
TIMETABLE_KEYS = ('per-hour', 'hours-of-day', 'days-of-week', 'days-of-month', 'months')
BODY_KEYS = ('name', 'description', 'timetable', 'attribution-actor', 'parameters')
CONFIG.setdefault('schedule_timetable_merge', False)
SYSTEM_ACTOR = {'id': fixed_id('user:scheduling-system'), 'login': 'scheduling-system',
                'name': 'Scheduling System', 'avatar_url': None}


def _int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def check_timetable(timetable):
    if not isinstance(timetable, dict):
        raise ApiError(400, 'timetable must be an object')
    unknown = sorted(set(timetable) - set(TIMETABLE_KEYS))
    if unknown:
        raise ApiError(400, 'unknown timetable field(s): %s' % ', '.join(unknown))
    per_hour = timetable.get('per-hour')
    if not _int(per_hour) or not 1 <= per_hour <= 60:
        raise ApiError(400, 'per-hour must be an integer between 1 and 60')
    hours = timetable.get('hours-of-day')
    if not isinstance(hours, list) or not hours or not all(_int(h) and 0 <= h <= 23 for h in hours):
        raise ApiError(400, 'hours-of-day must be a non-empty list of integers between 0 and 23')
    week, month = timetable.get('days-of-week'), timetable.get('days-of-month')
    if week and month:
        raise ApiError(400, 'days-of-week and days-of-month are mutually exclusive')
    if not week and not month:
        raise ApiError(400, 'one of days-of-week or days-of-month is required')
    if week is not None and (not isinstance(week, list) or not all(d in DAYS for d in week)):
        raise ApiError(400, 'days-of-week must be a list of %s' % ', '.join(DAYS))
    if month is not None and (not isinstance(month, list) or not all(_int(d) and 1 <= d <= 31 for d in month)):
        raise ApiError(400, 'days-of-month must be a list of integers between 1 and 31')
    months = timetable.get('months')
    if months is not None and (not isinstance(months, list) or not all(m in MONTHS for m in months)):
        raise ApiError(400, 'months must be a list of %s' % ', '.join(MONTHS))
    return dict((k, list(v) if isinstance(v, list) else v) for k, v in timetable.items() if v not in (None, []))


def check_parameters(parameters):
    if not isinstance(parameters, dict):
        raise ApiError(400, 'parameters must be an object')
    if 'branch' not in parameters and 'tag' not in parameters:
        raise ApiError(400, 'parameters must contain branch or tag')
    for key in ('branch', 'tag'):
        if key in parameters and (not isinstance(parameters[key], str) or not parameters[key]):
            raise ApiError(400, 'parameter %s must be a non-empty string' % key)
    for key, value in parameters.items():
        if not isinstance(value, (str, int, bool)):
            raise ApiError(400, 'parameter %s must be a string, an integer or a boolean' % key)
    return dict(parameters)


def read_body(req, creating):
    body = req.json()
    unknown = sorted(set(body) - set(BODY_KEYS))
    if unknown:
        raise ApiError(400, 'unknown field(s): %s' % ', '.join(unknown))
    fields = {}
    if creating:
        for key in ('name', 'timetable', 'attribution-actor', 'parameters'):
            if key not in body:
                raise ApiError(400, '%s is required' % key)
    if 'name' in body:
        if not isinstance(body['name'], str) or not body['name'].strip():
            raise ApiError(400, 'name must be a non-empty string')
        fields['name'] = body['name']
    if 'description' in body:
        if body['description'] is not None and not isinstance(body['description'], str):
            raise ApiError(400, 'description must be a string')
        fields['description'] = body['description']
    if 'timetable' in body:
        fields['timetable'] = check_timetable(body['timetable'])
    if 'attribution-actor' in body:
        if body['attribution-actor'] not in ('current', 'system'):
            raise ApiError(400, 'attribution-actor must be current or system')
        fields['actor'] = body['attribution-actor']
    if 'parameters' in body:
        fields['parameters'] = check_parameters(body['parameters'])
    return fields


def actor_of(user, kind):
    if kind == 'system':
        return dict(SYSTEM_ACTOR)
    return {'id': user['id'], 'login': user['login'], 'name': user['name'],
            'avatar_url': 'https://avatars.example/%s' % user['login']}


def schedule_view(app, schedule):
    project = app.state.projects[schedule['project_id']]
    return {
        'id': schedule['id'], 'timetable': dict((k, list(v) if isinstance(v, list) else v)
                                                for k, v in schedule['timetable'].items()),
        'updated-at': schedule['updated_at'], 'name': schedule['name'], 'created-at': schedule['created_at'],
        'project-slug': project['slug'], 'parameters': dict(schedule['parameters']),
        'actor': dict(schedule['actor']), 'description': schedule['description'],
    }


def reset(app):
    app.state.schedules = collections.OrderedDict()


def register(app):
    app.on_reset(reset)

    def schedule_for(app, req):
        schedule = app.state.schedules.get(require_uuid(req.params['schedule_id'], 'schedule-id'))
        if schedule is None:
            raise ApiError(404, 'Schedule not found')
        project = app.state.projects[schedule['project_id']]
        app.member_org(req, app.state.orgs.get(project['org_id']))
        return schedule

    @app.route('GET', r'/project/(?P<slug>[^/]+/[^/]+/[^/]+)/schedule')
    def list_schedules(app, req):
        project = project_for(app, req)
        items = [schedule_view(app, s) for s in app.state.schedules.values() if s['project_id'] == project['id']]
        return app.paginate(req, items)

    @app.route('POST', r'/project/(?P<slug>[^/]+/[^/]+/[^/]+)/schedule')
    def create_schedule(app, req):
        project = project_for(app, req)
        fields = read_body(req, creating=True)
        stamp = now()
        schedule = {
            'id': new_id(), 'project_id': project['id'], 'name': fields['name'],
            'description': fields.get('description'), 'timetable': fields['timetable'],
            'parameters': fields['parameters'], 'actor': actor_of(req.user, fields['actor']),
            'created_at': stamp, 'updated_at': stamp,
        }
        app.state.schedules[schedule['id']] = schedule
        return 201, schedule_view(app, schedule)

    @app.route('GET', r'/schedule/(?P<schedule_id>[^/]+)')
    def get_schedule(app, req):
        return 200, schedule_view(app, schedule_for(app, req))

    @app.route('PATCH', r'/schedule/(?P<schedule_id>[^/]+)')
    def update_schedule(app, req):
        schedule = schedule_for(app, req)
        fields = read_body(req, creating=False)
        if 'actor' in fields:
            fields['actor'] = actor_of(req.user, fields['actor'])
        if 'timetable' in fields and app.config.get('schedule_timetable_merge'):
            merged = dict(schedule['timetable'])
            merged.update(req.json()['timetable'])
            fields['timetable'] = check_timetable(merged)
        schedule.update(fields)
        schedule['updated_at'] = now()
        return 200, schedule_view(app, schedule)

    @app.route('DELETE', r'/schedule/(?P<schedule_id>[^/]+)')
    def delete_schedule(app, req):
        schedule = schedule_for(app, req)
        del app.state.schedules[schedule['id']]
        return 200, {'message': 'Schedule deleted.'}

    def seed_schedule(app, obj):
        project = app.state.project_by_slug(obj.get('project_slug', 'gh/acme/api'))
        user = next(iter(app.state.users.values()))
        stamp = now()
        schedule = {
            'id': obj.get('id') or new_id(), 'project_id': project['id'], 'name': obj['name'],
            'description': obj.get('description'),
            'timetable': obj.get('timetable') or {'per-hour': 1, 'hours-of-day': [0], 'days-of-week': ['MON']},
            'parameters': obj.get('parameters') or {'branch': 'main'},
            'actor': actor_of(user, obj.get('attribution_actor', 'current')),
            'created_at': stamp, 'updated_at': stamp,
        }
        app.state.schedules[schedule['id']] = schedule
        return schedule_view(app, schedule)

    app.seeders['schedules'] = seed_schedule

    def dump(app, secrets):  # pylint: disable=unused-argument
        return {'schedules': [schedule_view(app, s) for s in app.state.schedules.values()]}

    app.state_dumpers.append(dump)
