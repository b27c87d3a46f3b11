# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks of user input that run before any request. Each names the option and the reason."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import re

# \Z, not $: $ also matches before a final newline, which a YAML block scalar leaves in a value.
_SEGMENT = r'[^/\s]+'
PROJECT_SLUG_RE = re.compile(r'^[A-Za-z][A-Za-z0-9-]*/%s/%s\Z' % (_SEGMENT, _SEGMENT))
ORG_SLUG_RE = re.compile(r'^[A-Za-z][A-Za-z0-9-]*/%s\Z' % _SEGMENT)
UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z')
ENVVAR_NAME_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*\Z')


class CircleCIInputError(ValueError):
    """Bad input, found before any request was sent."""

    def __init__(self, option, reason):
        self.option = option
        self.reason = reason
        super(CircleCIInputError, self).__init__('%s: %s' % (option, reason))


def _shown(value):
    """The value as a message quotes it: its repr, cut to 80 characters (a repr of unusual
    characters is much longer than the text, so the repr is what is cut)."""
    shown = repr('%s' % (value,))
    return shown if len(shown) <= 80 else shown[:77] + '...'


def check_project_slug(value, option='project_slug'):
    if not isinstance(value, str) or not PROJECT_SLUG_RE.match(value):
        raise CircleCIInputError(option, '%s is not a project slug of the form vcs/org/repo '
                                 '(for example gh/acme/api, bb/acme/api or circleci/<org-id>/<project-id>)' % _shown(value))
    return value


def check_org_slug(value, option='org_slug'):
    if not isinstance(value, str) or not ORG_SLUG_RE.match(value):
        raise CircleCIInputError(option, '%s is not an organization slug of the form vcs/org '
                                 '(for example gh/acme, or circleci/<org-id>)' % _shown(value))
    return value


def check_uuid(value, option):
    if not isinstance(value, str) or not UUID_RE.match(value):
        raise CircleCIInputError(option, '%s is not a UUID (8-4-4-4-12 hexadecimal digits)' % _shown(value))
    return value.lower()


def check_envvar_name(value, option='name'):
    if not isinstance(value, str) or not ENVVAR_NAME_RE.match(value):
        raise CircleCIInputError(option, '%s is not a valid environment variable name: it must match '
                                 '[A-Za-z_][A-Za-z0-9_]*' % _shown(value))
    return value


def check_positive_int(value, option, minimum=1, maximum=None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CircleCIInputError(option, '%s is not a whole number' % _shown(value))
    if number < minimum or (maximum is not None and number > maximum):
        bound = 'from %d to %d' % (minimum, maximum) if maximum is not None else 'at least %d' % minimum
        raise CircleCIInputError(option, '%s must be %s' % (number, bound))
    return number
