# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one HTTP client of the collection.

It knows nothing of Ansible's module or plugin API: it raises CircleCIError and never calls
fail_json, so modules and lookups can both use it. No message it builds contains the token.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import email.utils
import json
import random
import re
import threading
import time

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

COLLECTION_VERSION = '0.1.0'
DEFAULT_API_URL = 'https://circleci.com'

# Methods that may be sent again after a 5xx or a connection error: repeating them cannot
# create a second object. A POST is sent again only after a 429, which means "not done".
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'))
RETRY_STATUSES = frozenset((502, 503, 504))

HTTP_REASONS = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
    405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone', 422: 'Unprocessable Entity',
    429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
    503: 'Service Unavailable', 504: 'Gateway Timeout',
}


def quote_segment(value):
    """URL-encode one path segment: every reserved character, slashes included."""
    return quote(str(value), safe='')


def quote_slug(slug):
    """URL-encode a project or org slug segment by segment, keeping its literal slashes.

    CircleCI rejects ``%2F`` in place of the slug's slashes.
    """
    return '/'.join(quote_segment(part) for part in str(slug).split('/'))


class CircleCIError(Exception):
    """A failed API call: method, path (relative to /api/v2), status and CircleCI's message.

    ``status`` is None when no HTTP answer was had (connection error, timeout).
    """

    def __init__(self, method, path, status=None, message='', reason=None):
        self.method = method
        self.path = path
        self.status = status
        self.message = message or ''
        self.reason = reason if reason is not None else HTTP_REASONS.get(status, '')
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


class CircleCIStateError(Exception):
    """CircleCI's state forbids a safe decision (two objects share a name, a write did not stick)."""


class CircleCIClient:
    """A CircleCI API v2 client over one ``requests.Session``.

    Retries: a 429 is retried after ``Retry-After`` (or backoff with jitter when absent), for
    every method; 502/503/504 and connection errors are retried for idempotent methods only.
    ``max_retries`` counts the retries, so a call makes at most ``max_retries + 1`` attempts.
    A 429 pause is shared by every thread using this client, so concurrent writes back off
    together.
    """

    backoff_base = 1.0
    backoff_max = 30.0
    user_agent = 'community.circleci/%s' % COLLECTION_VERSION

    def __init__(self, api_token, api_url=None, validate_certs=True, timeout=30, max_retries=5,
                 log=None):
        if not HAS_REQUESTS:  # pragma: no cover - callers check HAS_REQUESTS first
            raise RuntimeError('the Python library "requests" is required')
        self._token = api_token or ''
        self.base_url = (api_url or DEFAULT_API_URL).rstrip('/') + '/api/v2'
        self.validate_certs = validate_certs
        self.timeout = timeout
        self.max_retries = max_retries
        self.log = log
        self.session = requests.Session()
        self.session.headers.update({
            'Circle-Token': self._token,
            'Accept': 'application/json',
            'User-Agent': self.user_agent,
        })
        self.session.verify = validate_certs
        self.request_count = 0
        self._lock = threading.Lock()
        self._pause_until = 0.0

    # -- public API -----------------------------------------------------------------------

    def get(self, path, params=None):
        return self.request('GET', path, params=params)

    def post(self, path, body=None, params=None):
        return self.request('POST', path, body=body, params=params)

    def put(self, path, body=None):
        return self.request('PUT', path, body=body)

    def patch(self, path, body=None):
        return self.request('PATCH', path, body=body)

    def delete(self, path):
        return self.request('DELETE', path)

    def get_or_none(self, path, params=None):
        """GET that answers None on 404 instead of raising."""
        try:
            return self.get(path, params=params)
        except CircleCIError as exc:
            if exc.not_found:
                return None
            raise

    def paginate(self, path, params=None, limit=None):
        """Yield the items of a list endpoint, following ``next_page_token`` to the end.

        ``limit``: stop after that many items (None or 0: all of them).
        """
        params = dict(params or {})
        seen_tokens = set()
        count = 0
        while True:
            page = self.get(path, params=params)
            if isinstance(page, list):  # a few endpoints answer a bare list
                items, token = page, None
            elif isinstance(page, dict):
                items, token = page.get('items') or [], page.get('next_page_token')
            else:
                raise CircleCIError('GET', path, 200, 'expected a list of items, got %s' % type(page).__name__)
            for item in items:
                yield item
                count += 1
                if limit and count >= limit:
                    return
            if not token:
                return
            if token in seen_tokens:
                raise CircleCIError('GET', path, 200, 'the server repeated page token %r; stopped to avoid a loop' % token)
            seen_tokens.add(token)
            params['page-token'] = token

    def list(self, path, params=None, limit=None):
        return list(self.paginate(path, params=params, limit=limit))

    # -- the request loop -------------------------------------------------------------------

    def request(self, method, path, body=None, params=None):
        method = method.upper()
        url = self.base_url + path
        # verify per request: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a session's
        # verify=False, so validate_certs: false would be ignored wherever those are set.
        kwargs = {'params': params, 'timeout': self.timeout, 'verify': self.validate_certs}
        if body is not None:
            kwargs['data'] = json.dumps(body)
            kwargs['headers'] = {'Content-Type': 'application/json'}
        attempt = 0
        while True:
            self._wait_for_pause()
            with self._lock:
                self.request_count += 1
            try:
                response = self.session.request(method, url, **kwargs)
            except requests.exceptions.RequestException as exc:
                reason = self._describe_exception(exc)
                if method in IDEMPOTENT_METHODS and attempt < self.max_retries and not _certificate_refused(exc):
                    attempt += 1
                    self._debug('%s %s: %s; retry %d of %d' % (method, path, reason, attempt, self.max_retries))
                    time.sleep(self._backoff(attempt))
                    continue
                tries = ' after %d attempts' % (attempt + 1) if attempt else ''
                raise CircleCIError(method, path, None, self._redact('request failed%s: %s' % (tries, reason)))

            status = response.status_code
            if 200 <= status < 300:
                return self._decode(method, path, response)

            retryable = status == 429 or (status in RETRY_STATUSES and method in IDEMPOTENT_METHODS)
            if retryable and attempt < self.max_retries:
                attempt += 1
                delay = self._retry_after(response) if status == 429 else None
                if delay is None:
                    delay = self._backoff(attempt)
                self._debug('%s %s: %d; retry %d of %d in %.2fs' % (method, path, status, attempt, self.max_retries, delay))
                if status == 429:
                    self._pause(delay)
                else:
                    time.sleep(delay)
                continue

            message = self._error_message(response)
            if status == 403 and path.startswith('/context/'):
                # CircleCI answers 403, not 404, for a context that is gone: say both.
                message = '%s (the context does not exist, or this token may not use it)' % (message or 'Forbidden')
            if retryable:
                message = '%s (gave up after %d retries)' % (message, attempt) if message else 'gave up after %d retries' % attempt
            raise CircleCIError(method, path, status, self._redact(message), reason=response.reason or None)

    # -- helpers ------------------------------------------------------------------------------

    def _debug(self, text):
        if self.log:
            self.log(self._redact(text))

    def _redact(self, text):
        text = '%s' % (text,)
        if self._token and self._token in text:
            text = text.replace(self._token, '********')
        return text

    def _backoff(self, attempt):
        """Exponential backoff with full jitter, never shorter than a tenth of the step."""
        step = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        return random.uniform(step / 10.0, step)

    def _pause(self, delay):
        with self._lock:
            self._pause_until = max(self._pause_until, time.monotonic() + delay)
        self._wait_for_pause()

    def _wait_for_pause(self):
        while True:
            with self._lock:
                remaining = self._pause_until - time.monotonic()
            if remaining <= 0:
                return
            time.sleep(remaining)

    @staticmethod
    def _retry_after(response):
        value = response.headers.get('Retry-After')
        if not value:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        return max(0.0, when.timestamp() - time.time())

    @staticmethod
    def _describe_exception(exc):
        if isinstance(exc, requests.exceptions.SSLError):
            return 'TLS error (set validate_certs: false only for a server you trust): %s' % exc
        if isinstance(exc, requests.exceptions.Timeout):
            return 'timed out: %s' % exc
        if isinstance(exc, requests.exceptions.ConnectionError):
            return 'connection error: %s' % exc
        return '%s: %s' % (type(exc).__name__, exc)

    def _decode(self, method, path, response):
        if not response.content or not response.content.strip():
            return {}
        try:
            return response.json()
        except ValueError:
            raise CircleCIError(method, path, response.status_code,
                                self._redact('the answer is not JSON (%s): %s' % (
                                    response.headers.get('Content-Type', 'no content type'), _excerpt(response.text))),
                                reason=response.reason or None)

    @staticmethod
    def _error_message(response):
        try:
            data = response.json()
        except ValueError:
            text = _excerpt(response.text)
            kind = response.headers.get('Content-Type', 'no content type')
            return 'the answer is not JSON (%s)%s' % (kind, ': ' + text if text else '')
        if isinstance(data, dict):
            for key in ('message', 'error', 'detail'):
                if data.get(key):
                    return '%s' % data[key]
        return _excerpt(json.dumps(data))


def _certificate_refused(exc):
    """Whether the server's certificate was refused: asking again cannot change that, so it is not retried."""
    return isinstance(exc, requests.exceptions.SSLError) and 'certificate verify failed' in ('%s' % exc).lower()


def _excerpt(text, size=200):
    """A short one-line excerpt of a body, tags stripped (proxies answer HTML pages)."""
    text = re.sub(r'<[^>]*>', ' ', text or '')
    text = ' '.join(text.split())
    return text if len(text) <= size else text[:size] + '...'
