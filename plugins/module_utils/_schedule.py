# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Schedule timetables and parameters: checked before any request, and normalised so that a
timetable written in another order or case compares equal to the one CircleCI holds."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError
from ansible_collections.community.circleci.plugins.module_utils._validation import check_pipeline_parameters

DAYS_OF_WEEK = ('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN')
MONTHS = ('JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC')

# The module's option names and the API's field names of a timetable.
TIMETABLE_FIELDS = (
    ('per_hour', 'per-hour'),
    ('hours_of_day', 'hours-of-day'),
    ('days_of_week', 'days-of-week'),
    ('days_of_month', 'days-of-month'),
    ('months', 'months'),
)
TIMETABLE_API_NAMES = dict(TIMETABLE_FIELDS)
TIMETABLE_OPTION_NAMES = dict((api, option) for option, api in TIMETABLE_FIELDS)
# The timetable option's suboptions (circleci_schedule's argument spec).
TIMETABLE_OPTIONS = dict(
    per_hour=dict(type='int', required=True),
    hours_of_day=dict(type='list', elements='int', required=True),
    days_of_week=dict(type='list', elements='str'),
    days_of_month=dict(type='list', elements='int'),
    months=dict(type='list', elements='str'),
)


def option_spelling(timetable):
    """A timetable in the API's spelling, with the module's option names."""
    return dict((TIMETABLE_OPTION_NAMES.get(k, k), v) for k, v in timetable.items())


def api_spelling(timetable):
    """A timetable with the module's option names, in the API's spelling."""
    return dict((TIMETABLE_API_NAMES.get(k, k), v) for k, v in timetable.items())


def _whole(value, option, low, high):
    # bool is an int in Python; True must not pass for 1.
    if isinstance(value, bool):
        raise CircleCIInputError(option, '%r is not a whole number' % (value,))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CircleCIInputError(option, '%r is not a whole number' % (value,))
    if isinstance(value, float) and value != number:
        raise CircleCIInputError(option, '%r is not a whole number' % (value,))
    if number < low or number > high:
        raise CircleCIInputError(option, '%d is out of range: must be from %d to %d' % (number, low, high))
    return number


def _numbers(values, option, low, high):
    if not isinstance(values, (list, tuple)) or not values:
        raise CircleCIInputError(option, 'must be a non-empty list of whole numbers from %d to %d' % (low, high))
    return sorted(set(_whole(v, option, low, high) for v in values))


def _names(values, option, allowed):
    if not isinstance(values, (list, tuple)) or not values:
        raise CircleCIInputError(option, 'must be a non-empty list of %s' % ', '.join(allowed))
    found = set()
    for value in values:
        name = value.strip().upper() if isinstance(value, str) else None
        if name not in allowed:
            raise CircleCIInputError(option, '%r is not one of %s' % (value, ', '.join(allowed)))
        found.add(name)
    # In calendar order, so that the result reads naturally and compares stably.
    return [name for name in allowed if name in found]


def check_timetable(timetable, option='timetable'):
    """Validate a timetable given with the module's option names; answer it in the API's spelling,
    normalised: numbers sorted and unique, day and month names upper-case in calendar order.

    Raises CircleCIInputError naming the sub-option and the reason.
    """
    if timetable is None:
        raise CircleCIInputError(option, 'is required with state=present')
    if not isinstance(timetable, dict):
        raise CircleCIInputError(option, 'must be a dictionary')
    unknown = sorted(set(timetable) - set(TIMETABLE_API_NAMES))
    if unknown:
        raise CircleCIInputError(option, 'unknown keys %s (known: %s)' % (', '.join(unknown), ', '.join(TIMETABLE_API_NAMES)))

    def given(key):
        value = timetable.get(key)
        return value not in (None, [], ())

    if not given('per_hour'):
        raise CircleCIInputError(option + '.per_hour', 'is required (how many times an hour, 1 to 60)')
    if not given('hours_of_day'):
        raise CircleCIInputError(option + '.hours_of_day', 'is required (a list of hours, 0 to 23, in UTC)')
    if given('days_of_week') and given('days_of_month'):
        raise CircleCIInputError(option, 'give days_of_week or days_of_month, not both')
    if not given('days_of_week') and not given('days_of_month'):
        raise CircleCIInputError(option, 'give days_of_week (MON to SUN) or days_of_month (1 to 31)')

    result = {
        'per-hour': _whole(timetable['per_hour'], option + '.per_hour', 1, 60),
        'hours-of-day': _numbers(timetable['hours_of_day'], option + '.hours_of_day', 0, 23),
    }
    if given('days_of_week'):
        result['days-of-week'] = _names(timetable['days_of_week'], option + '.days_of_week', DAYS_OF_WEEK)
    else:
        result['days-of-month'] = _numbers(timetable['days_of_month'], option + '.days_of_month', 1, 31)
    if given('months'):
        result['months'] = _names(timetable['months'], option + '.months', MONTHS)
    return result


def canonical_timetable(timetable):
    """A timetable as CircleCI answers it (API spelling), normalised like check_timetable's result
    but without refusing anything: what the service holds is compared, not judged.

    Empty lists and absent keys are the same thing.
    """
    if not isinstance(timetable, dict):
        return {}
    result = {}
    for key, value in timetable.items():
        if value in (None, [], ()):
            continue
        if key in ('days-of-week', 'months') and isinstance(value, list):
            order = DAYS_OF_WEEK if key == 'days-of-week' else MONTHS
            names = set(('%s' % v).upper() for v in value)
            result[key] = [n for n in order if n in names] + sorted(n for n in names if n not in order)
        elif key in ('hours-of-day', 'days-of-month') and isinstance(value, list):
            try:
                result[key] = sorted(set(int(v) for v in value))
            except (TypeError, ValueError):
                result[key] = value
        else:
            result[key] = value
    return result


def check_parameters(parameters, option='parameters'):
    """A schedule's parameters: pipeline parameters that must hold the ``branch`` or ``tag`` to build."""
    return check_pipeline_parameters(parameters, option, ref_required=True)
