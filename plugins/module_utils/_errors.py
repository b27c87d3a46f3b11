# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Everything the collection raises, and the one place that turns it into a failure.

Three kinds, one base: bad input found before any request (CircleCIInputError), a failed API
call (CircleCIError) and a state of CircleCI that forbids a safe decision (CircleCIStateError).
``failure()`` turns any of them (or anything else) into the message and fields of a failed
result; modules, action plugins and lookups all go through it, with a Redactor that knows every
secret of the task.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import traceback

HTTP_REASONS = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
    405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 422: 'Unprocessable Entity',
    429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
    503: 'Service Unavailable', 504: 'Gateway Timeout',
}
MASK = '********'


class CircleCIException(Exception):
    """The base of everything the collection raises on purpose."""


class CircleCIInputError(CircleCIException, ValueError):
    """Bad input, found before any request was sent."""

    def __init__(self, option, reason):
        self.option = option
        self.reason = reason
        super(CircleCIInputError, self).__init__('%s: %s' % (option, reason))


class CircleCIStateError(CircleCIException):
    """CircleCI's state forbids a safe decision (two objects share a name, a write did not stick)."""


class CircleCIError(CircleCIException):
    """A failed API call: method, path (relative to /api/v2), status and CircleCI's message.

    ``status`` is None when no HTTP answer was had (connection error, timeout). ``sent`` is
    False only when the request certainly never reached the server (the connection could not be
    opened), so that a write which failed that way is known not to have happened.
    """

    def __init__(self, method, path, status=None, message='', reason=None, sent=True):
        self.method = method
        self.path = path
        self.status = status
        self.message = message or ''
        self.reason = reason if reason is not None else HTTP_REASONS.get(status, '')
        self.sent = sent
        super(CircleCIError, self).__init__(self.__str__())

    def __str__(self):
        head = '%s %s' % (self.method, self.path)
        if self.status is None:
            return '%s: %s' % (head, self.message)
        status = ('%s %s' % (self.status, self.reason)).strip()
        if self.message:
            return '%s: %s: %s' % (head, status, self.message)
        return '%s: %s' % (head, status)

    @property
    def not_found(self):
        return self.status == 404

    @property
    def maybe_applied(self):
        """Whether the request may have had its effect: it was sent and no answer said it did not
        (no answer at all, or a 5xx, which a proxy gives after the backend committed)."""
        return self.sent and (self.status is None or self.status >= 500)

    def with_message(self, message):
        """The same error with another message (a hint added)."""
        return CircleCIError(self.method, self.path, self.status, message, reason=self.reason, sent=self.sent)


class Redactor:
    """Replaces every secret of a task (the token, every no_log value) in text and results.

    Values shorter than ``MIN_SECRET`` characters are left alone: replacing every ``v`` of a
    message would say nothing of a one-letter value and destroy the message. (Module results go
    through AnsibleModule afterwards, which replaces even those.)
    """

    MIN_SECRET = 4

    def __init__(self, secrets=()):
        # Longest first, so that a secret containing another is replaced whole.
        self.secrets = sorted(set('%s' % s for s in secrets
                                  if not isinstance(s, bool) and s is not None and len('%s' % s) >= self.MIN_SECRET),
                              key=len, reverse=True)

    def text(self, text):
        text = '%s' % (text,)
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def data(self, value):
        if not self.secrets:
            return value
        if isinstance(value, dict):
            return dict((self.data(k), self.data(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def no_log_values(spec, params):
    """The values of every ``no_log`` option in ``params``, suboptions included."""
    found = []
    for name, option in spec.items():
        value = (params or {}).get(name)
        if value is None:
            continue
        if option.get('no_log'):
            found.append(value)
        suboptions = option.get('options')
        if suboptions:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    found.extend(no_log_values(suboptions, item))
    return found


def failure(exc):
    """The message and extra result fields of a task that failed with ``exc``."""
    if isinstance(exc, CircleCIError):
        return str(exc), {'status': exc.status}
    if isinstance(exc, CircleCIException):
        return str(exc), {}
    # Last resort, so that what was already done is still reported.
    return 'unexpected error: %s: %s' % (type(exc).__name__, exc), {'exception': traceback.format_exc()}
