# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stateful stand-in for the CircleCI API v2, for tests.

Standard library only. The API lives under ``/api/v2`` (and the few routes CircleCI serves
under ``/api/v3``: see API_PREFIXES); the test controls live under ``/_standin`` (no token
needed):

- ``POST /_standin/reset``: seed state, default config, no faults, empty request log.
  Body (optional): ``{"config": {...}}`` applied after the reset.
- ``GET /_standin/requests`` (``?since=SEQ``): the API requests received, oldest first, as
  ``{"items": [{seq, method, path, query, body, status, connection, api}]}`` (plus any keys the
  handler added, ``Request.extra``): ``path`` is relative to its API prefix (``/me``, not
  ``/api/v2/me``) and ``api`` says which (``v2`` or ``v3``). ``DELETE`` clears it.
- ``GET /_standin/config`` / ``POST /_standin/config``: read or change the config (see CONFIG).
- ``POST /_standin/faults``: add fault rules (``{"faults": [rule, ...]}``, see Fault);
  ``DELETE /_standin/faults`` removes them all.
- ``GET /_standin/state``: the state as JSON (secrets only with ``?secrets=1``).
- ``POST /_standin/seed``: add objects, ``{"<kind>": [objects]}`` (kinds: see ``app.seeders``).

Files live under ``/_files`` (no token, as on a storage service; routes in ``app.file_routes``,
registered with ``@app.file_route``): the usage export's signed download links
(resources_deploys.py). Every file request goes into the request log with ``file: true`` and
``circle_token`` / ``authorization`` saying whether such a header came with it. Fault rules apply
to them too, their ``path`` regex matched against the whole path (``^/_files/``).

Resources are registered by the ``resources_*.py`` modules beside this file, each with a
``register(app)`` function and optionally a ``reset(app)`` function that seeds its state.

Slugs: ``State.org_by_slug``/``project_by_slug`` also resolve the other spellings CircleCI
accepts for standalone (``circleci/``) organizations and projects, so every route that takes a
slug takes them: ``circleci/<short-id>`` (the canonical form, see ``short_id``) or
``circleci/<uuid>`` for an org, and each of the two segments of a project slug in either form.
A ``circleci/`` segment that is neither (a name) answers 400. See resources_projects.py.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import argparse
import base64
import copy
import datetime
import glob
import importlib
import json
import os
import re
import signal
import socket
import ssl
import sys
import threading
import time
import uuid

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_TOKEN = 'CCIPAT_standin_S3cr3tT0ken_4f9c2a'
API_PREFIX = '/api/v2'
FILES_PREFIX = '/_files/'
# Every API version served, by the name routes and the request record use. A route is v2 unless
# registered with ``app.route(..., api='v3')``; auth, faults and the record are the same.
API_PREFIXES = {'v2': API_PREFIX, 'v3': '/api/v3'}

CONFIG = {
    # Items per page of every paginated list: small, so that clients must follow pages.
    'page_size': 2,
    # Seconds added to every API request (before it is handled, outside the state lock).
    'latency': 0.0,
    # Every Nth API request answers 429 with Retry-After (0: never). As a real limiter that has
    # asked a client to wait, it lets that client's next request (on the same connection) through:
    # concurrent clients cannot make one request unlucky N times in a row.
    'rate_limit_every': 0,
    'retry_after': 1,
    # Context variable list items carry truncated_value (newer servers); False as older ones.
    'truncated_value': True,
    # Context owners of type "account" (CircleCI Server); circleci.com refuses them with 400.
    'accounts': False,
}


class ApiError(Exception):
    def __init__(self, status, message, headers=None):
        super(ApiError, self).__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def now(offset=0.0):
    """An RFC 3339 timestamp in UTC with milliseconds, ``offset`` seconds from now."""
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def new_id():
    return str(uuid.uuid4())


def fixed_id(name):
    """A stable UUID for seed objects, so tests can name them."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'circleci-standin:' + name))


UUID_RE = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
SHORT_ID_RE = re.compile(r'^[0-9A-Za-z]{22}$')
BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'


def short_id(value):
    """The opaque id in a standalone org's or project's slug (``43G3lM5RtfFE7v5sa4nWAU``):
    22 base62 characters. Made from the UUID here; clients must treat it as opaque."""
    number = uuid.UUID(value).int
    chars = []
    for dummy in range(22):
        number, digit = divmod(number, 62)
        chars.append(BASE62[digit])
    return ''.join(reversed(chars))


def require_uuid(value, what):
    if not UUID_RE.match(value or ''):
        raise ApiError(400, '%s must be a UUID' % what)
    return value.lower()


def mask(value):
    """CircleCI's display of a secret: four x and the last four characters."""
    return 'xxxx' + value[-4:]


class Request:
    def __init__(self, method, path, query, body, headers, params, api='v2'):
        self.api = api
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers
        self.params = params
        self.user = None
        # Keys a handler adds to this request's record in the log (see App.record).
        self.extra = {}

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default

    def args(self, name):
        return list(self.query.get(name, []))

    def flag(self, name):
        value = self.arg(name)
        if value is None:
            return None
        if value.lower() in ('true', '1'):
            return True
        if value.lower() in ('false', '0'):
            return False
        raise ApiError(400, 'query parameter %s must be a boolean' % name)

    def json(self, required=True):
        if self.body is None:
            if required:
                raise ApiError(400, 'request body is required')
            return {}
        if not isinstance(self.body, dict):
            raise ApiError(400, 'request body must be a JSON object')
        return self.body


class Fault:
    """A fault rule. Keys: ``status`` (answer this status), ``kind`` (``status`` default,
    ``reset``: close the connection without an answer, ``partial``: send the headers and half
    the body then close, ``html``: a proxy's HTML error page with ``status``, ``delay``: sleep
    ``seconds`` then handle normally), ``method`` and ``path`` (a regex searched in the path
    after /api/v2, or in the whole path of a file under /_files) to match, ``skip`` (let that many matching requests through first),
    ``count`` (how many times it fires; 0 = forever), ``every`` (fire on every Nth match),
    ``after`` (handle the request first, so its effect happens, then answer the fault),
    ``retry_after`` (a Retry-After header), ``message``, ``api`` (``v2`` or ``v3``: only
    requests of that API version; default both; ``path`` is then relative to its prefix), ``echo``
    (the message ends with the request's body, as a service that quotes what it refuses: secrets
    included).
    """

    def __init__(self, spec):
        self.spec = spec
        self.kind = spec.get('kind', 'status')
        self.status = int(spec.get('status', 500))
        self.method = spec.get('method')
        self.path = re.compile(spec['path']) if spec.get('path') else None
        self.skip = int(spec.get('skip', 0))
        self.count = int(spec.get('count', 1))
        self.every = int(spec.get('every', 1))
        self.after = bool(spec.get('after', False))
        self.seconds = float(spec.get('seconds', 0))
        self.retry_after = spec.get('retry_after')
        self.message = spec.get('message', 'Injected fault')
        self.api = spec.get('api')
        self.matched = 0
        self.fired = 0

    def take(self, method, path, api='v2'):
        """Whether this rule fires for the request (and count it)."""
        if self.method and self.method.upper() != method:
            return False
        if self.api and self.api != api:
            return False
        if self.path and not self.path.search(path):
            return False
        if self.count and self.fired >= self.count:
            return False
        self.matched += 1
        if self.matched <= self.skip or (self.matched - self.skip) % self.every:
            return False
        self.fired += 1
        return True


class App:
    def __init__(self, token=DEFAULT_TOKEN):
        self.token = token
        self.lock = threading.RLock()
        self.routes = []
        # Routes outside the API, under FILES_PREFIX (see Handler.handle_file).
        self.file_routes = []
        # The scheme clients reach this server by (make_server sets it), for absolute links.
        self.scheme = 'http'
        self.seeders = {}
        self.resetters = []
        self.state_dumpers = []
        self.config = {}
        self.faults = []
        self.log = []
        self.seq = 0
        self.api_count = 0
        self.rate_limited = set()  # connections whose last answer was the limiter's 429
        self.state = None
        here = os.path.dirname(os.path.abspath(__file__))
        if here not in sys.path:
            sys.path.insert(0, here)
        for path in sorted(glob.glob(os.path.join(here, 'resources_*.py'))):
            module = importlib.import_module(os.path.basename(path)[:-3])
            module.register(self)
        self.reset()

    # -- registration -----------------------------------------------------------------------

    def route(self, method, pattern, api='v2'):
        """Register a handler for ``method`` on a path regex (matched against the raw path after
        /api/v2, or after /api/v3 with ``api='v3'``; named groups are URL-decoded and passed as
        ``req.params``)."""
        regex = re.compile('^' + pattern + '$')

        def decorator(func):
            self.routes.append((method, regex, func, api))
            return func
        return decorator

    def file_route(self, method, pattern):
        """Register a handler for a file under FILES_PREFIX (``pattern`` matched against the whole
        path). No token is checked. The handler answers ``(status, body, headers)``: body bytes
        (``headers['Content-Type']`` says what they are) or a dict sent as JSON."""
        regex = re.compile('^' + pattern + '$')

        def decorator(func):
            self.file_routes.append((method, regex, func))
            return func
        return decorator

    def on_reset(self, func):
        self.resetters.append(func)
        return func

    # -- state ---------------------------------------------------------------------------

    def reset(self, config=None):
        with self.lock:
            self.config = copy.deepcopy(CONFIG)
            if config:
                self.config.update(config)
            self.faults = []
            self.log = []
            self.api_count = 0
            self.rate_limited = set()
            self.state = State()
            for func in self.resetters:
                func(self)

    def paginate(self, req, items):
        """A page of ``items`` as CircleCI answers lists: ``{items, next_page_token}``."""
        size = max(1, int(self.config['page_size']))
        token = req.arg('page-token')
        start = 0
        if token:
            try:
                start = int(base64.urlsafe_b64decode(token.encode('ascii')).decode('ascii').split(':')[1])
            except (ValueError, IndexError, UnicodeDecodeError):
                raise ApiError(400, 'Invalid page-token')
        page = items[start:start + size]
        nxt = None
        if start + size < len(items):
            nxt = base64.urlsafe_b64encode(('page:%d' % (start + size)).encode('ascii')).decode('ascii')
        return 200, {'items': page, 'next_page_token': nxt}

    # -- handling --------------------------------------------------------------------------

    def authenticate(self, req):
        token = req.headers.get('Circle-Token')
        auth = req.headers.get('Authorization', '')
        if not token and auth.lower().startswith('basic '):
            try:
                token = base64.b64decode(auth[6:].strip()).decode('utf-8').split(':', 1)[0]
            except (ValueError, UnicodeDecodeError):
                token = None
        if not token:
            token = req.arg('circle-token')
        user = self.state.tokens.get(token) if token else None
        if user is None:
            raise ApiError(401, 'You must log in first.')
        req.user = user

    def dispatch(self, req):
        allowed = False
        for method, regex, func, api in self.routes:
            if api != req.api:
                continue
            match = regex.match(req.path)
            if not match:
                continue
            allowed = True
            if method != req.method:
                continue
            req.params = dict((k, unquote(v)) for k, v in match.groupdict().items())
            return func(self, req)
        if allowed:
            raise ApiError(405, 'Method Not Allowed')
        raise ApiError(404, 'Not found')

    def record(self, req, status, connection):
        with self.lock:
            self.seq += 1
            entry = {
                'seq': self.seq, 'method': req.method, 'path': req.path,
                'query': req.query, 'body': req.body, 'status': status, 'connection': connection,
                'api': req.api,
            }
            entry.update(req.extra)
            self.log.append(entry)

    def member_org(self, req, org):
        """Raise 403 unless the requesting user may use the organization."""
        if org is None or org['id'] not in req.user.get('orgs', ()):
            raise ApiError(403, 'Permission denied')
        return org


class State:
    """The service's objects. Resource modules add their own collections in their reset()."""

    def __init__(self):
        self.tokens = {}
        self.users = {}
        self.orgs = {}
        self.projects = {}

    def org_by_slug(self, slug):
        for org in self.orgs.values():
            if org['slug'].lower() == (slug or '').lower():
                return org
        parts = (slug or '').split('/')
        if len(parts) == 2 and parts[0] == 'circleci':
            return self.standalone_org(parts[1], slug)
        return None

    def project_by_slug(self, slug):
        for project in self.projects.values():
            if project['slug'].lower() == (slug or '').lower():
                return project
        parts = (slug or '').split('/')
        if len(parts) == 3 and parts[0] == 'circleci':
            # The UUID forms (whole or mixed) of a standalone project's slug.
            for segment in parts[1:]:
                self.check_segment(segment, slug)
            org = self.standalone_org(parts[1], slug)
            if org is None:
                return None
            if UUID_RE.match(parts[2]):
                project = self.projects.get(parts[2].lower())
                return project if project is not None and project['org_id'] == org['id'] else None
            for project in self.projects.values():
                if project['slug'] == '%s/%s' % (org['slug'], parts[2]):
                    return project
        return None

    @staticmethod
    def check_segment(segment, slug):
        if not (UUID_RE.match(segment) or SHORT_ID_RE.match(segment)):
            raise ApiError(400, "Invalid slug '%s': a circleci/ slug names its organization and project by id, "
                                "not by name" % slug)

    def standalone_org(self, segment, slug):
        """A standalone org by its slug's second segment: its short id or its UUID."""
        self.check_segment(segment, slug)
        if UUID_RE.match(segment):
            org = self.orgs.get(segment.lower())
            return org if org is not None and org['slug'].startswith('circleci/') else None
        for org in self.orgs.values():
            if org['slug'] == 'circleci/' + segment:
                return org
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'circleci-standin/1.0'
    # Headers and body go out in separate writes; with Nagle's algorithm the body waits for the
    # client's delayed ACK, about 40 ms on every request, which no real service adds.
    disable_nagle_algorithm = True
    app = None

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if os.environ.get('STANDIN_VERBOSE'):
            sys.stderr.write('standin: %s\n' % (format % args))

    def do_GET(self):
        self.handle_any('GET')

    def do_POST(self):
        self.handle_any('POST')

    def do_PUT(self):
        self.handle_any('PUT')

    def do_PATCH(self):
        self.handle_any('PATCH')

    def do_DELETE(self):
        self.handle_any('DELETE')

    def send_json(self, status, body, headers=None, content_type='application/json; charset=utf-8'):
        data = body if isinstance(body, bytes) else json.dumps(body).encode('utf-8')
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, str(value))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length) if length else b''
        if not raw.strip():
            return None
        try:
            return json.loads(raw.decode('utf-8'))
        except ValueError:
            raise ApiError(400, 'Invalid JSON body')

    def handle_any(self, method):
        app = self.app
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        if parts.path.startswith('/_standin/'):
            return self.handle_control(method, parts.path[len('/_standin/'):], query)
        if parts.path.startswith(FILES_PREFIX):
            return self.handle_file(method, parts.path, query)
        for api, prefix in API_PREFIXES.items():
            if parts.path.startswith(prefix + '/'):
                break
        else:
            return self.send_json(404, {'message': 'Not found'})
        path = parts.path[len(prefix):]
        connection = '%s:%s' % self.client_address[:2]
        req = Request(method, path, query, None, self.headers, {}, api=api)
        try:
            req.body = self.read_body()
        except ApiError as exc:
            app.record(req, exc.status, connection)
            return self.send_json(exc.status, {'message': exc.message})

        with app.lock:
            app.api_count += 1
            count = app.api_count
            latency = float(app.config['latency'])
            every = int(app.config['rate_limit_every'])
            retry_after = app.config['retry_after']
            limited = bool(every) and count % every == 0 and connection not in app.rate_limited
            if limited:
                app.rate_limited.add(connection)
            else:
                app.rate_limited.discard(connection)
            fault = None
            for rule in app.faults:
                if rule.take(method, path, api):
                    fault = rule
                    break
        if latency:
            time.sleep(latency)
        if limited:
            app.record(req, 429, connection)
            return self.send_json(429, {'message': 'Rate limit exceeded'}, {'Retry-After': retry_after})
        if fault is not None and fault.kind == 'delay':
            time.sleep(fault.seconds)
            fault = None
        if fault is not None and not fault.after:
            return self.answer_fault(req, fault, connection)

        status, body, headers = 500, {'message': 'Internal error'}, {}
        try:
            with app.lock:
                app.authenticate(req)
                result = app.dispatch(req)
            status, body = result[0], result[1]
            headers = result[2] if len(result) > 2 else {}
        except ApiError as exc:
            status, body, headers = exc.status, {'message': exc.message}, exc.headers
        except Exception as exc:  # pylint: disable=broad-except
            # A bug in the stand-in: answer 500 and say so, rather than drop the connection.
            import traceback
            traceback.print_exc()
            status, body, headers = 500, {'message': 'stand-in bug: %s: %s' % (type(exc).__name__, exc)}, {}
        if fault is not None:
            return self.answer_fault(req, fault, connection)
        app.record(req, status, connection)
        return self.send_json(status, body, headers)

    def handle_file(self, method, path, query):
        """A file outside the API (``app.file_routes``): no token, recorded with the headers that
        would have been a credential, so tests can prove a client never sends its token there."""
        app = self.app
        connection = '%s:%s' % self.client_address[:2]
        req = Request(method, path, query, None, self.headers, {}, api='files')
        req.extra = {'file': True, 'circle_token': 'Circle-Token' in self.headers,
                     'authorization': 'Authorization' in self.headers}
        with app.lock:
            fault = None
            for rule in app.faults:
                if rule.take(method, path, 'files'):
                    fault = rule
                    break
        if fault is not None and fault.kind == 'delay':
            time.sleep(fault.seconds)
            fault = None
        if fault is not None and not fault.after:
            return self.answer_fault(req, fault, connection)
        status, body, headers = 404, {'message': 'Not found'}, {}
        try:
            with app.lock:
                for route_method, regex, func in app.file_routes:
                    match = regex.match(path)
                    if match and route_method == method:
                        req.params = dict((k, unquote(v)) for k, v in match.groupdict().items())
                        status, body, headers = func(app, req)
                        break
        except Exception as exc:  # pylint: disable=broad-except
            import traceback
            traceback.print_exc()
            status, body, headers = 500, {'message': 'stand-in bug: %s: %s' % (type(exc).__name__, exc)}, {}
        if fault is not None:
            return self.answer_fault(req, fault, connection)
        app.record(req, status, connection)
        headers = dict(headers)
        content_type = headers.pop('Content-Type', 'application/json; charset=utf-8')
        return self.send_json(status, body, headers, content_type=content_type)

    def hang_up(self):
        """Close the connection without (the rest of) an answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def answer_fault(self, req, fault, connection):
        self.app.record(req, 0 if fault.kind in ('reset', 'partial') else fault.status, connection)
        if fault.kind == 'reset':
            return self.hang_up()
        if fault.kind == 'partial':
            data = json.dumps({'items': [{'name': 'x' * 64}] * 8, 'next_page_token': None}).encode('utf-8')
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            return self.hang_up()
        headers = {}
        if fault.retry_after is not None:
            headers['Retry-After'] = fault.retry_after
        if fault.kind == 'html':
            page = ('<html><head><title>%d Bad Gateway</title></head><body><center><h1>%d %s</h1></center>'
                    '<hr><center>nginx</center></body></html>' % (fault.status, fault.status, fault.message))
            return self.send_json(fault.status, page.encode('utf-8'), headers, content_type='text/html')
        message = fault.message
        if fault.spec.get('echo'):
            # As services do that quote what they refuse: the request's body, secrets and all.
            message = '%s: %s' % (message, json.dumps(req.body, sort_keys=True))
        return self.send_json(fault.status, {'message': message}, headers)

    def handle_control(self, method, name, query):
        app = self.app
        try:
            body = self.read_body() or {}
        except ApiError as exc:
            return self.send_json(400, {'message': exc.message})
        with app.lock:
            if name == 'reset' and method == 'POST':
                app.reset(body.get('config'))
                return self.send_json(200, {'message': 'reset'})
            if name == 'requests' and method == 'GET':
                since = int((query.get('since') or ['0'])[0])
                return self.send_json(200, {'items': [r for r in app.log if r['seq'] > since], 'last_seq': app.seq})
            if name == 'requests' and method == 'DELETE':
                app.log = []
                return self.send_json(200, {'message': 'cleared', 'last_seq': app.seq})
            if name == 'config' and method == 'GET':
                return self.send_json(200, app.config)
            if name == 'config' and method == 'POST':
                unknown = sorted(set(body) - set(app.config))
                if unknown:
                    return self.send_json(400, {'message': 'unknown config keys: %s' % ', '.join(unknown)})
                app.config.update(body)
                return self.send_json(200, app.config)
            if name == 'faults' and method == 'POST':
                app.faults.extend(Fault(spec) for spec in body.get('faults', []))
                return self.send_json(200, {'faults': [f.spec for f in app.faults]})
            if name == 'faults' and method == 'GET':
                return self.send_json(200, {'faults': [dict(f.spec, fired=f.fired) for f in app.faults]})
            if name == 'faults' and method == 'DELETE':
                app.faults = []
                return self.send_json(200, {'faults': []})
            if name == 'state' and method == 'GET':
                secrets = (query.get('secrets') or ['0'])[0] == '1'
                dump = {}
                for func in app.state_dumpers:
                    dump.update(func(app, secrets))
                return self.send_json(200, dump)
            if name == 'seed' and method == 'POST':
                created = {}
                try:
                    for kind, objects in body.items():
                        if kind not in app.seeders:
                            raise ApiError(400, 'unknown seed kind %r (known: %s)' % (kind, ', '.join(sorted(app.seeders))))
                        created[kind] = [app.seeders[kind](app, obj) for obj in objects]
                except ApiError as exc:
                    return self.send_json(exc.status, {'message': exc.message})
                return self.send_json(200, created)
        return self.send_json(404, {'message': 'unknown control %s %s' % (method, name)})


def make_server(host='127.0.0.1', port=0, token=DEFAULT_TOKEN, certfile=None, keyfile=None):
    """Build (not start) a stand-in server; ``server.app`` is its App."""
    app = App(token=token)
    app.scheme = 'https' if certfile else 'http'
    handler = type('BoundHandler', (Handler,), {'app': app})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.app = app
    if certfile:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    return server


def start_in_thread(**kwargs):
    """Start a stand-in in a daemon thread; answer (server, base_url). Stop with server.shutdown()."""
    server = make_server(**kwargs)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = 'https' if kwargs.get('certfile') else 'http'
    return server, '%s://%s:%d' % (scheme, server.server_address[0], server.server_address[1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--port-file', help='write the port here once listening')
    parser.add_argument('--token', default=DEFAULT_TOKEN)
    parser.add_argument('--config', default='{}', help='JSON config applied at start (see CONFIG)')
    parser.add_argument('--faults', default='[]', help='JSON list of fault rules active from the start (see Fault)')
    parser.add_argument('--tls-cert')
    parser.add_argument('--tls-key')
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port, args.token, args.tls_cert, args.tls_key)
    server.app.reset(json.loads(args.config))
    server.app.faults.extend(Fault(spec) for spec in json.loads(args.faults))
    if args.port_file:
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as handle:
            handle.write('%d\n' % server.server_address[1])
        os.rename(tmp, args.port_file)

    def stop(signum, frame):  # pylint: disable=unused-argument
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stderr.write('circleci stand-in listening on %s:%d\n' % server.server_address[:2])
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == '__main__':
    # The resource modules import this file as "server": let them find this very module.
    sys.modules.setdefault('server', sys.modules['__main__'])
    sys.exit(main())
