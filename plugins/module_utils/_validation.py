# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks of user input that run before any request. Each names the option and the reason."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import datetime
import re

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIInputError

# \Z, not $: $ also matches before a final newline, which a YAML block scalar leaves in a value.
_SEGMENT = r'[^/\s]+'
PROJECT_SLUG_RE = re.compile(r'^[A-Za-z][A-Za-z0-9-]*/%s/%s\Z' % (_SEGMENT, _SEGMENT))
ORG_SLUG_RE = re.compile(r'^[A-Za-z][A-Za-z0-9-]*/%s\Z' % _SEGMENT)
UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')
ENVVAR_NAME_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*\Z')
MD5_FINGERPRINT_RE = re.compile(r'^[0-9a-f]{2}(:[0-9a-f]{2}){15}\Z')
SHA256_FINGERPRINT_RE = re.compile(r'^SHA256:[A-Za-z0-9+/]{43}=?\Z')
RFC3339_RE = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))\Z')
URL_RE = re.compile(r'^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<host>[^/?#\s@]+@)?[^/?#\s@:]+(:\d+)?([/?#]\S*)?\Z')
OWNER_TYPES = ('organization', 'account')
# A duration as CircleCI's OIDC service takes it (a token's ttl): 1h, 90m, 1h30m, 2d, 1w, 500ms.
DURATION_RE = re.compile(r'^([0-9]+(ms|s|m|h|d|w)){1,7}\Z')
DURATION_PART_RE = re.compile(r'([0-9]+)(ms|s|m|h|d|w)')
DURATION_MS = {'ms': 1, 's': 1000, 'm': 60000, 'h': 3600000, 'd': 86400000, 'w': 604800000}
# CircleCI's limits of pipeline parameters (trigger, continue, schedule, run, rollback).
PARAMETER_LIMITS = {'count': 100, 'name': 128, 'value': 512}


def shown(value):
    """The value as a message quotes it: its repr, cut to 80 characters (a repr of unusual
    characters is much longer than the text, so the repr is what is cut)."""
    text = repr('%s' % (value,))
    return text if len(text) <= 80 else text[:77] + '...'


def kind_of(value):
    """A value's type in plain words: on the controller, values arrive as tagged subclasses of the builtin types."""
    for kind, name in ((bool, 'a boolean'), (dict, 'a dictionary'), ((list, tuple), 'a list'), (float, 'a float')):
        if isinstance(value, kind):
            return name
    return 'null' if value is None else type(value).__name__


def check_project_slug(value, option='project_slug'):
    if not isinstance(value, str) or not PROJECT_SLUG_RE.match(value):
        raise CircleCIInputError(option, '%s is not a project slug of the form vcs/org/repo '
                                 '(for example gh/acme/api, bb/acme/api or circleci/<org-id>/<project-id>)' % shown(value))
    return value


def check_org_slug(value, option='org_slug'):
    if not isinstance(value, str) or not ORG_SLUG_RE.match(value):
        raise CircleCIInputError(option, '%s is not an organization slug of the form vcs/org '
                                 '(for example gh/acme, or circleci/<org-id>)' % shown(value))
    return value


def check_org_slug_or_id(value, option='organization'):
    """An organization named by its slug or its UUID; answers ``{'id': uuid}`` or ``{'slug': slug}``."""
    if isinstance(value, str) and UUID_RE.match(value):
        return {'id': value.lower()}
    if not isinstance(value, str) or not ORG_SLUG_RE.match(value):
        raise CircleCIInputError(option, '%s is neither an organization slug of the form vcs/org (for example gh/acme, or '
                                 'circleci/<org-id>) nor an organization UUID' % shown(value))
    return {'slug': value}


def check_uuid(value, option):
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise CircleCIInputError(option, '%s is not a UUID (8-4-4-4-12 hexadecimal digits)' % shown(value))
    return value.lower()


def check_envvar_name(value, option='name'):
    if not isinstance(value, str) or not ENVVAR_NAME_RE.match(value):
        raise CircleCIInputError(option, '%s is not a valid environment variable name: it must match '
                                 '[A-Za-z_][A-Za-z0-9_]*' % shown(value))
    return value


def check_positive_int(value, option, minimum=1, maximum=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CircleCIInputError(option, '%s is not a whole number' % shown(value))
    if number < minimum or (maximum is not None and number > maximum):
        bound = 'from %d to %d' % (minimum, maximum) if maximum is not None else 'at least %d' % minimum
        raise CircleCIInputError(option, '%s must be %s' % (number, bound))
    return number


def check_text(value, option):
    """A non-empty string (blanks alone do not count)."""
    if not isinstance(value, str):
        raise CircleCIInputError(option, 'must be a string, not %s' % kind_of(value))
    if not value.strip():
        raise CircleCIInputError(option, 'must not be empty')
    return value


def check_text_list(value, option):
    if not isinstance(value, (list, tuple)):
        raise CircleCIInputError(option, 'must be a list of strings')
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise CircleCIInputError(option, 'must be a list of non-empty strings')
    return list(value)


def check_duration(value, option):
    """A duration as CircleCI takes it (one to seven parts of a whole number and a unit of ms, s, m,
    h, d (24 h) or w (7 d), such as 90m or 1h30m); answers its milliseconds."""
    if not isinstance(value, str) or not DURATION_RE.match(value):
        raise CircleCIInputError(option, '%s is not a duration such as 1h, 90m, 1h30m, 2d or 500ms (whole numbers '
                                 'of ms, s, m, h, d or w, at most seven parts)' % shown(value))
    millis = sum(int(number) * DURATION_MS[unit] for number, unit in DURATION_PART_RE.findall(value))
    if millis == 0:
        raise CircleCIInputError(option, '%s is no time at all' % shown(value))
    return millis


def check_mapping(value, option):
    """A dictionary (answered as a copy)."""
    if not isinstance(value, dict):
        raise CircleCIInputError(option, 'must be a dictionary, not %s' % kind_of(value))
    return dict(value)


def check_bool(value, option):
    if not isinstance(value, bool):
        raise CircleCIInputError(option, '%s is not a boolean' % shown(value))
    return value


def check_choice(choices):
    def check(value, option):
        if value not in choices:
            raise CircleCIInputError(option, '%s is not one of %s' % (shown(value), ', '.join(choices)))
        return value
    return check


def check_subset(values, choices, option):
    """A non-empty list of some of ``choices``, answered as a sorted set."""
    if not values:
        raise CircleCIInputError(option, 'must name at least one of %s' % ', '.join(choices))
    for value in values:
        if value not in choices:
            raise CircleCIInputError(option, '%r is not one of %s' % (value, ', '.join(choices)))
    return sorted(set(values))


def parse_rfc3339(value, option):
    """The moment an RFC 3339 date-time names (timezone-aware), or CircleCIInputError."""
    match = RFC3339_RE.match(value) if isinstance(value, str) else None
    if not match:
        raise CircleCIInputError(option, '%s is not an RFC 3339 date-time such as 2026-08-21T13:26:29Z' % shown(value))
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = match.group(7)
    micro = int((fraction[1:] + '000000')[:6]) if fraction else 0
    if match.group(8) in ('Z', 'z'):
        offset = datetime.timedelta(0)
    else:
        offset = datetime.timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
        if match.group(9) == '-':
            offset = -offset
    try:
        return datetime.datetime(year, month, day, hour, minute, second, micro, tzinfo=datetime.timezone(offset))
    except ValueError as exc:
        raise CircleCIInputError(option, '%s is not a valid date-time: %s' % (shown(value), exc))


def check_date(value, option):
    parse_rfc3339(value, option)
    return value


def check_window(start, end, now, max_days, max_age_days=None, options=('start', 'end')):
    """A window of two RFC 3339 date-times: ``end`` after ``start``, at most ``max_days`` apart,
    neither after ``now`` (an aware datetime), and with ``max_age_days`` the start at most that
    many days before ``now``. Answers the two moments."""
    start_option, end_option = options
    first, last = parse_rfc3339(start, start_option), parse_rfc3339(end, end_option)
    if last <= first:
        raise CircleCIInputError(end_option, '%s is not after %s %s' % (shown(end), start_option, shown(start)))
    if last - first > datetime.timedelta(days=max_days):
        raise CircleCIInputError(end_option, 'the window from %s to %s is %s long; CircleCI takes at most %d days'
                                 % (start, end, last - first, max_days))
    for option, value, moment in ((start_option, start, first), (end_option, end, last)):
        if moment > now:
            raise CircleCIInputError(option, '%s is in the future (it is now %s)' % (shown(value), now.strftime('%Y-%m-%dT%H:%M:%SZ')))
    if max_age_days is not None and first < now - datetime.timedelta(days=max_age_days):
        raise CircleCIInputError(start_option, '%s is more than %d days ago; CircleCI takes a start at most that far back'
                                 % (shown(start), max_age_days))
    return first, last


def check_fingerprint(value, option='fingerprint', sha256=False):
    """An SSH key fingerprint: MD5 (16 colon-separated hexadecimal pairs, answered lower-case), and
    with ``sha256`` also the ``SHA256:`` form. CircleCI lists keys by their MD5 fingerprint, so a
    module that matches the list takes MD5 only."""
    text = value.strip() if isinstance(value, str) else None
    if text is not None and MD5_FINGERPRINT_RE.match(text.lower()):
        return text.lower()
    if sha256 and text is not None and SHA256_FINGERPRINT_RE.match(text):
        return text
    md5 = 'MD5 (16 colon-separated hexadecimal pairs, such as c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f)'
    if sha256:
        raise CircleCIInputError(option, '%s is not an SSH key fingerprint: neither %s nor SHA256 (such as '
                                 'SHA256:K8nAlY/N/csyEtVJaNgjhFk2r0vR7htSdnw5zDk0EKc)' % (shown(value), md5))
    raise CircleCIInputError(option, '%s is not an MD5 fingerprint of 16 colon-separated hexadecimal pairs, such as '
                             'c9:0b:1c:4f:d5:65:56:b9:ad:88:f9:81:2b:37:74:2f' % shown(value))


def check_url(value, option='url', https_only=True, example='https://hooks.example.com/circleci', why=''):
    """An absolute http(s) URL with a host; the scheme is case-insensitive. Answers the URL as given."""
    match = URL_RE.match(value) if isinstance(value, str) else None
    scheme = match.group('scheme').lower() if match else None
    if scheme != 'https' and (https_only or scheme != 'http'):
        raise CircleCIInputError(option, 'must be an %s URL such as %s%s' % ('https' if https_only else 'http or https', example, why))
    return value


def check_api_url(value, option='api_url'):
    """The base address of the service, without a trailing slash or ``/api/v2`` (which the client
    adds: an address given with it names the same base)."""
    check_url(value, option, https_only=False, example='https://circleci.com or https://circleci.example.com',
              why=' (the address of CircleCI or CircleCI Server; the client adds /api/v2)')
    base = value.rstrip('/')
    if base.lower().endswith('/api/v2'):
        base = base[:-len('/api/v2')].rstrip('/')
    return base


def check_owner(owner_slug=None, owner_id=None, owner_type='organization', required=True):
    """Validate a context owner; answer the query parameters that name it."""
    if owner_slug and owner_id:
        raise CircleCIInputError('owner_slug', 'give owner_slug or owner_id, not both')
    if not owner_slug and not owner_id:
        if required:
            raise CircleCIInputError('owner_slug', 'a context owner is needed: give owner_slug or owner_id')
        return None
    owner_type = owner_type or 'organization'
    if owner_type not in OWNER_TYPES:
        raise CircleCIInputError('owner_type', '%r is not one of %s' % (owner_type, ', '.join(OWNER_TYPES)))
    if owner_slug:
        if owner_type == 'account':
            raise CircleCIInputError('owner_slug', 'an account owner must be named by owner_id; '
                                     'owner_slug names organizations only')
        check_org_slug(owner_slug, 'owner_slug')
        return {'owner-slug': owner_slug, 'owner-type': owner_type}
    return {'owner-id': check_uuid(owner_id, 'owner_id'), 'owner-type': owner_type}


def check_pipeline_parameters(parameters, option='parameters', ref_required=False):
    """Pipeline parameters as CircleCI takes them: at most 100, names up to 128 characters,
    values strings (up to 512 characters), integers or booleans. With ``ref_required`` (a
    schedule's parameters), ``branch`` or ``tag`` must be one of them. Answers a copy."""
    if parameters is None:
        if ref_required:
            raise CircleCIInputError(option, 'is required with state=present (it holds the branch or tag to build)')
        return None
    if not isinstance(parameters, dict):
        raise CircleCIInputError(option, 'must be a dictionary')
    if len(parameters) > PARAMETER_LIMITS['count']:
        raise CircleCIInputError(option, '%d parameters given; CircleCI takes at most %d' % (len(parameters), PARAMETER_LIMITS['count']))
    if ref_required:
        refs = [key for key in ('branch', 'tag') if key in parameters]
        if not refs:
            raise CircleCIInputError(option, 'must hold "branch" or "tag": a schedule triggers a pipeline on a branch or a tag')
        for key in refs:
            if not isinstance(parameters[key], str) or not parameters[key].strip():
                raise CircleCIInputError('%s.%s' % (option, key), 'must be a non-empty string')
    for name, value in parameters.items():
        if not isinstance(name, str) or not name or len(name) > PARAMETER_LIMITS['name']:
            raise CircleCIInputError(option, 'parameter name %r must be 1 to %d characters' % (name, PARAMETER_LIMITS['name']))
        if isinstance(value, (bool, int)):
            continue
        if isinstance(value, str):
            if len(value) > PARAMETER_LIMITS['value']:
                raise CircleCIInputError('%s.%s' % (option, name), 'the value is %d characters long; CircleCI takes at most %d'
                                         % (len(value), PARAMETER_LIMITS['value']))
            continue
        raise CircleCIInputError('%s.%s' % (option, name), 'must be a string, an integer or a boolean, not %s' % kind_of(value))
    return dict(parameters)
