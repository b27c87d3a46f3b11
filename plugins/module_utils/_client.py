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

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, Redactor

COLLECTION_VERSION = '0.1.0'
DEFAULT_API_URL = 'https://circleci.com'

# Methods that may be sent again after a 5xx or a connection error: repeating them cannot
# create a second object. A POST is sent again only after a 429, which means "not done", unless
# its caller says it is an upsert (retry=True).
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'))
RETRY_STATUSES = frozenset((502, 503, 504))


def quote_segment(value):
    """URL-encode one path segment: every reserved character, slashes included."""
    return quote(str(value), safe='')


def quote_slug(slug):
    """URL-encode a project or org slug segment by segment, keeping its literal slashes.

    CircleCI rejects ``%2F`` in place of the slug's slashes.
    """
    return '/'.join(quote_segment(part) for part in str(slug).split('/'))


def gone_statuses(path):
    """What a DELETE of ``path`` answers once the object is gone: 404, and 403 under /context/
    (CircleCI answers 403, not 404, for a context that is gone)."""
    return (403, 404) if path.startswith('/context/') else (404,)


class CircleCIClient:
    """A CircleCI API v2 client.

    Retries: a 429 is retried after ``Retry-After`` (or backoff with jitter when absent), for
    every method; 502/503/504 and connection errors are retried for idempotent methods only.
    ``max_retries`` counts the retries, so a call makes at most ``max_retries + 1`` attempts.
    A 429 pause is shared by every thread using this client, so concurrent writes back off
    together.

    Threads: requests does not promise that a ``Session`` is safe to share between threads, so
    each request borrows a session no other thread is using (one is made when all are busy) and
    gives it back: one thread reuses one connection, and N concurrent writers use N.

    Every write is recorded in ``writes`` as (method, path, outcome), outcome ``done``,
    ``recovered`` (done, after an attempt whose answer was lost: sent again because it is
    idempotent, or a DELETE that then found the object gone), ``refused`` (CircleCI said no, or
    the request never left) or ``lost`` (sent, and no answer said whether it happened: a
    connection error, a timeout, a 5xx), so that a task can say honestly whether it changed
    something, and warn where an answer was lost.
    """

    backoff_base = 1.0
    backoff_max = 30.0
    user_agent = 'community.circleci/%s' % COLLECTION_VERSION

    def __init__(self, api_token, api_url=None, validate_certs=True, timeout=30, max_retries=5,
                 log=None):
        if not HAS_REQUESTS:  # pragma: no cover - callers check HAS_REQUESTS first
            raise RuntimeError('the Python library "requests" is required')
        self._token = api_token or ''
        self.root_url = (api_url or DEFAULT_API_URL).rstrip('/')
        self.base_url = self.root_url + '/api/v2'
        self.validate_certs = validate_certs
        self.timeout = timeout
        self.max_retries = max_retries
        self.log = log
        self.redactor = Redactor([self._token])
        self._lock = threading.Lock()
        self._pause_until = 0.0
        self._idle = []
        self.writes = []
        self.session = self._new_session()
        self._idle.append(self.session)

    # -- public API -----------------------------------------------------------------------

    def get(self, path, params=None, api='v2'):
        return self.request('GET', path, params=params, api=api)

    def post(self, path, body=None, params=None, retry=False):
        """POST. ``retry=True`` only for an upsert, which may be sent again after a lost answer."""
        return self.request('POST', path, body=body, params=params, retry=retry)

    def put(self, path, body=None):
        return self.request('PUT', path, body=body)

    def patch(self, path, body=None):
        return self.request('PATCH', path, body=body)

    def delete(self, path, params=None, gone=None):
        """DELETE. When a retry (after a lost answer) finds the object gone (``gone``: statuses,
        default gone_statuses(path)), the first attempt did it: that is success, not an error."""
        return self.request('DELETE', path, params=params, gone=gone_statuses(path) if gone is None else gone)

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
                raise CircleCIError('GET', path, None, 'expected a list of items, got %s' % type(page).__name__)
            for item in items:
                yield item
                count += 1
                if limit and count >= limit:
                    return
            if not token:
                return
            if token in seen_tokens:
                raise CircleCIError('GET', path, None, 'the server repeated page token %r; stopped to avoid a loop' % token)
            seen_tokens.add(token)
            params['page-token'] = token

    def list(self, path, params=None, limit=None):
        return list(self.paginate(path, params=params, limit=limit))

    def changed_something(self):
        """Whether a write of this client happened, or may have (its answer was lost)."""
        return any(outcome != 'refused' for dummy, dummy, outcome in self.writes)

    def writes_with(self, outcome):
        """The writes (``METHOD /path``) of one outcome."""
        return ['%s %s' % (method, path) for method, path, done in self.writes if done == outcome]

    def nothing_done(self):
        """The last write was answered, and its answer says CircleCI did nothing (pipeline/run's
        200 ``{message}``): it is recorded as refused, so that it does not count as a change."""
        with self._lock:
            method, path, dummy = self.writes[-1]
            self.writes[-1] = (method, path, 'refused')

    # -- the request loop -------------------------------------------------------------------

    def request(self, method, path, body=None, params=None, api='v2', retry=None, gone=()):
        method = method.upper()
        shown_path = path if api == 'v2' else '/api/%s%s' % (api, path)
        url = '%s/api/%s%s' % (self.root_url, api, path)
        # verify per request: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a session's
        # verify=False, so validate_certs: false would be ignored wherever those are set.
        kwargs = {'params': params, 'timeout': self.timeout, 'verify': self.validate_certs}
        if body is not None:
            kwargs['data'] = json.dumps(body)
            kwargs['headers'] = {'Content-Type': 'application/json'}
        repeatable = method in IDEMPOTENT_METHODS if retry is None else retry
        try:
            answer, uncertain = self._send(method, shown_path, url, kwargs, repeatable, gone)
        except CircleCIError as exc:
            self._record(method, shown_path, 'lost' if exc.maybe_applied else 'refused')
            raise
        self._record(method, shown_path, 'recovered' if uncertain else 'done')
        return answer

    def _send(self, method, path, url, kwargs, repeatable, gone):
        attempt = 0
        # Whether an earlier attempt may have been applied (sent, and its answer lost or a 5xx).
        uncertain = False
        while True:
            self._wait_for_pause()
            session = self._borrow()
            try:
                response = session.request(method, url, **kwargs)
            except requests.exceptions.RequestException as exc:
                reason = self._describe_exception(exc)
                sent = _was_sent(exc)
                if (repeatable or not sent) and attempt < self.max_retries and not _certificate_refused(exc):
                    attempt += 1
                    uncertain = uncertain or sent
                    self._debug('%s %s: %s; retry %d of %d' % (method, path, reason, attempt, self.max_retries))
                    time.sleep(self._backoff(attempt))
                    continue
                tries = ' after %d attempts' % (attempt + 1) if attempt else ''
                raise CircleCIError(method, path, None, self._redact('request failed%s: %s' % (tries, reason)), sent=sent or uncertain)
            finally:
                self._give_back(session)

            status = response.status_code
            if 200 <= status < 300:
                return self._decode(method, path, response), uncertain
            if uncertain and status in gone:
                # An earlier attempt did it and its answer was lost: the object is gone, as asked.
                self._debug('%s %s: %d on retry %d: already done' % (method, path, status, attempt))
                return {}, uncertain

            retryable = status == 429 or (status in RETRY_STATUSES and repeatable)
            if retryable and attempt < self.max_retries:
                attempt += 1
                uncertain = uncertain or status != 429
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

    def _new_session(self):
        session = requests.Session()
        session.headers.update({
            'Circle-Token': self._token,
            'Accept': 'application/json',
            'User-Agent': self.user_agent,
        })
        session.verify = self.validate_certs
        return session

    def _borrow(self):
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._new_session()

    def _give_back(self, session):
        with self._lock:
            self._idle.append(session)

    def _record(self, method, path, outcome):
        if method in ('GET', 'HEAD'):
            return
        with self._lock:
            self.writes.append((method, path, outcome))

    def _debug(self, text):
        if self.log:
            self.log(self._redact(text))

    def _redact(self, text):
        return self.redactor.text(text)

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
            # Core routes answer {"message": ...}; the policy and OIDC services {"error": ...}.
            for key in ('message', 'error', 'detail'):
                if data.get(key):
                    return '%s' % data[key]
        return _excerpt(json.dumps(data))


def _was_sent(exc):
    """Whether a failed request may have reached the server: not when the connection could not be
    opened (refused, unknown host, connect timeout), in every other case yes."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    text = repr(exc)
    return not any(marker in text for marker in ('NewConnectionError', 'NameResolutionError', 'Failed to resolve',
                                                 'ConnectTimeoutError', 'Connection refused'))


def _certificate_refused(exc):
    """Whether the server's certificate was refused: asking again cannot change that, so it is not retried."""
    return isinstance(exc, requests.exceptions.SSLError) and 'certificate verify failed' in ('%s' % exc).lower()


def _excerpt(text, size=200):
    """A short one-line excerpt of a body, tags stripped (proxies answer HTML pages)."""
    text = re.sub(r'<[^>]*>', ' ', text or '')
    text = ' '.join(text.split())
    return text if len(text) <= size else text[:size] + '...'
