# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Governance: context restrictions, OIDC custom claims, the URL orb allow-list, groups,
organisations (create, delete) and config policies (bundles, settings, decisions).

Error bodies are ``{"message": ...}`` except on the OIDC and policy routes, which answer
``{"error": ...}`` as CircleCI's policy service does (a 401 or 429 stays ``message``).

Context restrictions (``/context/{id}/restrictions``)
    Every context, however made (``POST /context``, the ``contexts`` seed kind), starts with a
    ``group`` restriction named ``All members`` whose value is the owning org's UUID; it is
    added lazily, the first time the context's restrictions are touched, with a stable id
    (``fixed_id('context-restriction:all-members:<context id>')``). An unknown or deleted
    context answers 403 on every route. ``GET`` answers ``{items, next_page_token: null}`` in
    one body, oldest first; items ``{id, context_id, name, restriction_type, restriction_value}``
    plus the deprecated ``project_id`` for project restrictions. ``POST {restriction_type,
    restriction_value}`` answers 201 without ``name``. Checks: type ``project`` | ``expression``
    | ``group``; a ``project`` value must be a UUID (400), of an existing project (404 ``Project
    does not exist.``) of the context's organisation (400); a ``group`` value must be a UUID
    (400) naming the org itself or one of its groups (404 ``Group does not exist.``); an
    ``expression`` must be non-empty with balanced quotes and parentheses (400). Same type and
    value twice: 409. ``name`` in lists: the project's name, ``All members`` for the org's own
    id, the group's name, the expression's text. No update: PATCH, PUT and GET of one
    restriction answer 404. ``DELETE`` of an unknown restriction: 404. Deleting a group
    removes the restrictions that name it.

OIDC custom claims (``/org/{orgID}/oidc-custom-claims``, ``.../project/{projectID}/...``)
    ``GET`` always answers 200: ``{org_id}`` (and ``project_id``) plus ``audience``,
    ``audience_updated_at``, ``ttl``, ``ttl_updated_at`` for the claims that are set (the
    project's own only: project claims override the org's when a token is issued, they are not
    merged in reads). ``PATCH {audience?, ttl?}`` sets the claims given (neither: 400).
    ``audience``: a non-empty list of non-empty strings, stored as a set (duplicates dropped) in
    the order of each value's SHA-1 -- deliberately not the order sent, so a client must compare
    as sets. ``ttl`` must match ``^([0-9]+(ms|s|m|h|d|w)){1,7}$`` and is stored the way Go's
    ``time.Duration.String()`` prints it, ``d`` = 24h and ``w`` = 7d: ``90m`` -> ``1h30m0s``,
    ``1h`` -> ``1h0m0s``, ``45s`` -> ``45s``, ``2d`` -> ``48h0m0s``, ``1w`` -> ``168h0m0s``,
    ``1500ms`` -> ``1.5s``, ``500ms`` -> ``500ms``; compare by value. ``DELETE ?claims=audience,ttl``
    resets those and answers what remains; ``claims`` missing, empty or naming anything else:
    400. ``orgID``/``projectID`` not UUIDs: 400; an unknown org, one the user is no member of,
    or a project not of that org: 403.

URL orb allow-list (``/organization/{org-slug-or-id}/url-orb-allow-list``)
    The org is a UUID or a slug (``gh/acme``, ``circleci/<id>``, either as two path segments or
    URL-encoded as one); unknown: 404, not a member: 403. ``GET`` answers ``{items}`` (the
    description has no paging), entries ``{id, name, prefix, auth}`` oldest first. ``POST
    {name, prefix, auth}`` (all required) answers 200 ``{id, message: "Created."}``; ``prefix``
    must be ``https://host/...`` ending in ``/``; ``auth`` one of ``none``, ``github-oauth``,
    ``github-app``, ``bitbucket-oauth``; names need not be unique. No update, no read of one
    entry. ``DELETE .../{entry-id}`` answers 200 ``{id, message: "Deleted."}`` whether or not
    the entry existed.

Groups (``/organizations/{org_id}/groups``)
    ``org_id`` is the org's UUID: unknown or not a UUID: 404 ``Organization does not exist.``;
    not a member: 403; a classic (``gh``/``bb``) org: 403. ``GET`` answers ``{items,
    next_page_token: null, total_count}`` (``limit`` and ``page-token`` are accepted and change
    nothing: it never really pages). ``POST {name, description?}`` answers 201 ``{id, name,
    description}`` (``description`` ``""`` when not given); another key: 400; a name taken in
    the org (case-insensitive): 409; past 100 groups (``MAX_GROUPS``): 409. ``GET`` of one:
    ``{id, name, description}``; a missing group answers 403. ``DELETE``: 204, no body; missing:
    403. No update.

Organisations (``POST /organization``, ``DELETE /organization/{org-slug-or-id}``)
    ``POST {name, vcs_type}`` answers 201 ``{id, name, slug, vcs_type}``. ``circleci`` creates a
    standalone org (slug ``circleci/<short id>``, a base58 form of its UUID; the token's user
    becomes its member); a name another standalone org has (case-insensitive): 409.
    ``github``/``bitbucket`` adopt an org that exists on the VCS (``vcs_orgs``: seeded with
    ``github/unadopted`` and ``bitbucket/unadopted``): it becomes ``gh/<name>``/``bb/<name>``
    with the user as member; one CircleCI already knows answers 201 with it (a re-sync), or 403
    when the user is no member; a name the VCS does not have: 404. ``DELETE`` answers 202
    ``{message}`` and removes the org, its projects (and, generically, every state collection
    entry that names one of them by ``project_id``/``scope_id``/``project_slug`` or is keyed by
    one: variables, keys, schedules, webhooks, pipelines, ...), its contexts, groups, orb
    entries, claims and policies; a classic org goes back to ``vcs_orgs``. A paid org
    (``paid_orgs``) answers 403; unknown 404; not a member 403. ``GET /me/collaborations`` lists
    new orgs with ``vcs-type`` ``circleci``/``github``/``bitbucket``.

Config policies (``/owner/{ownerID}/context/{context}/...``)
    ``ownerID`` must be a UUID (400 ``OwnerID: must be a valid UUID.``) of an org the user is
    a member of (403 ``Forbidden`` otherwise); ``context`` must be ``config`` (400 ``context:
    must be a valid value.``).

    A policy is named by the ``policy_name["..."]`` it declares, as CircleCI's policy agent
    does: the key of the pushed ``policies`` object is only a file name. The bundle, its diff and
    the decision logs use policy names. ``POST .../policy-bundle {"policies": {file: rego}}``
    replaces the whole bundle (``policies`` missing or not an object of strings: 400; over 2.5
    MiB of Rego: 413); the answer is the diff by policy name ``{created, modified, deleted}``
    (sorted; empty lists omitted, so no change answers ``{}``): 201 when stored, 200 with
    ``?dry=true``, which stores nothing. A policy whose text is unchanged keeps its
    ``created_at``. Rego is checked, not compiled: each document must have balanced ``()[]{}``
    and closed strings outside comments, ``package org`` as its first statement (another package
    is a lint error), then (after any ``import`` lines) ``policy_name["<name>"]`` as its first
    rule, the name ``^\\w+$`` and at most 80 characters, each name once in the bundle. Any failure:
    400 naming the file. ``GET .../policy-bundle``: ``{name: {name, content, created_at,
    created_by}}`` (``{}`` when empty); ``GET .../policy-bundle/{name}``: one (404 ``policy not
    found``). ``GET``/``PATCH .../decision/settings``: ``{enabled}`` (false at first); PATCH
    without a boolean ``enabled``: 400.

    ``POST .../decision {input: <config YAML text>, metadata?: {...}}`` evaluates the input
    (never parsed as YAML) against the bundle. Enabled rules are the ``enable_rule["r"]`` lines
    of the documents (bodies ignored), hard ones the ``hard_fail["r"]`` lines. A comment
    ``# standin-deny: <rule> <text>`` makes ``<rule>`` violated when the input contains
    ``<text>`` (reason ``<text> found in config``); only enabled rules count; a violated
    hard rule is a hard failure, another a soft one. ``# standin-error: <reason>`` makes the
    decision ``ERROR`` with that reason. The answer: ``status`` (``PASS``, ``SOFT_FAIL``,
    ``HARD_FAIL``, ``ERROR``), ``enabled_rules`` (sorted), ``hard_failures``/``soft_failures``
    (``[{rule, reason}]``) and ``reason``, each omitted when empty, as the live service does.
    Every decision is recorded as a log ``{id, created_at, decision, metadata, policies:
    {name: sha512 hex}, time_taken_ms}`` with a copy of the bundle it used. ``GET .../decision``
    answers a JSON array, newest first, ``page_size`` logs from ``offset`` (default 0) until an
    empty page; filters ``status``, ``after``/``before`` (RFC 3339, exclusive), ``branch``
    (``metadata.vcs.branch`` or ``metadata.branch``), ``project_id``, ``build_number``. ``GET
    .../decision/{id}``: one log (404 ``decision log not found``; not a UUID: 400); ``GET
    .../decision/{id}/policy-bundle``: the bundle it used, as ``GET .../policy-bundle`` shows one.

Seed kinds (``POST /_standin/seed``); an org is ``org_id`` or ``org_slug``, a context
``context_id`` or ``context_name`` (+ ``owner_slug``, default ``gh/acme``):
    - ``context_restrictions``: ``{context, restriction_type, restriction_value, name?, id?}``
      adds one unchecked; ``{context, clear: true}`` removes all, "All members" included.
    - ``groups``: ``{org, name, description?, id?}``; any org type, no limit.
    - ``oidc_claims``: ``{org, project_id | project_slug?, audience?, ttl?}`` (ttl normalised).
    - ``url_orb_allow_list``: ``{org, name, prefix, auth (none), id?}``.
    - ``vcs_orgs``: ``{vcs_type: github | bitbucket, name}``: an org the VCS has, to adopt.
    - ``paid_orgs``: ``{org}``: that org refuses deletion.
    - ``policies``: ``{org, policies: {file: rego}, enabled?}``: a checked bundle, stored.
    - ``policy_decisions``: ``{org, input?, metadata?, created_at?, status?, enabled_rules?,
      hard_failures?, soft_failures?, reason?}``: a decision log; with ``status`` the decision
      is taken as given, else the input is evaluated against the org's bundle.

``/_standin/state`` adds ``context_restrictions`` (context id -> list), ``groups``,
``oidc_claims``, ``url_orb_allow_list``, ``vcs_orgs``, ``paid_orgs``, ``config_policies``
(org id -> ``{enabled, policies}``) and ``policy_decisions``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import collections
import copy
import datetime
import functools
import hashlib
import re
import uuid

from urllib.parse import urlsplit

from server import UUID_RE, ApiError, fixed_id, new_id, now, require_uuid
from resources_core import add_org, context_for

ORG = r'(?P<org>[^/]+(?:/[^/]+)?)'
CONTEXT = r'/context/(?P<context_id>[^/]+)/restrictions'
RESTRICTION_TYPES = ('project', 'expression', 'group')
ORB_AUTH = ('none', 'github-oauth', 'github-app', 'bitbucket-oauth')
MAX_GROUPS = 100
VCS_SLUG = {'github': 'gh', 'bitbucket': 'bb'}
VCS_PROVIDER = {'github': 'GitHub', 'bitbucket': 'Bitbucket', 'circleci': 'CircleCI'}
SEED_VCS_ORGS = [('github', 'unadopted'), ('bitbucket', 'unadopted')]
TTL_RE = re.compile(r'^([0-9]+(ms|s|m|h|d|w)){1,7}$')
TTL_PART = re.compile(r'([0-9]+)(ms|s|m|h|d|w)')
TTL_MS = {'ms': 1, 's': 1000, 'm': 60000, 'h': 3600000, 'd': 86400000, 'w': 604800000}
MAX_DURATION_MS = (2 ** 63 - 1) // 1000000
CLAIMS = ('audience', 'ttl')
POLICY_CONTEXT = 'config'
MAX_BUNDLE_CHARS = 2621440
BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
RFC3339 = re.compile(r'^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:\d\d)$')


# -- shared helpers ---------------------------------------------------------------------------

def error_shape(func):
    """A handler of the policy and OIDC services: their errors are ``{"error": ...}``."""
    @functools.wraps(func)
    def wrapper(app, req):
        try:
            return func(app, req)
        except ApiError as exc:
            return exc.status, {'error': exc.message}, exc.headers
    return wrapper


def is_standalone(org):
    return org['vcs_type'] == 'CircleCI'


def org_lookup(app, value):
    """An org by UUID or slug (``circleci/<uuid>`` also by its id), or None."""
    value = (value or '').strip()
    if UUID_RE.match(value):
        return app.state.orgs.get(value.lower())
    org = app.state.org_by_slug(value)
    if org is None and value.lower().startswith('circleci/') and UUID_RE.match(value[9:]):
        org = app.state.orgs.get(value[9:].lower())
    return org


def org_for(app, req, value):
    org = org_lookup(app, value)
    if org is None:
        raise ApiError(404, 'Organization not found')
    return app.member_org(req, org)


def short_id(value):
    """A base58 form of a UUID, like the opaque ids of standalone organisations."""
    number = uuid.UUID(value).int
    text = ''
    while number:
        number, digit = divmod(number, 58)
        text = BASE58[digit] + text
    return text


def parse_time(value, what):
    match = RFC3339.match(value or '')
    if not match:
        raise ApiError(400, '%s: must be a valid date-time.' % what)
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    micro = int(((match.group(7) or '') + '000000')[:6])
    zone = match.group(8).upper()
    offset = datetime.timedelta(0) if zone == 'Z' else (
        (1 if zone[0] == '+' else -1) * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second, micro, datetime.timezone(offset))
    except ValueError:
        raise ApiError(400, '%s: must be a valid date-time.' % what)
    return moment


def seed_org(app, obj):
    org = app.state.orgs.get((obj.get('org_id') or '').lower()) if obj.get('org_id') else org_lookup(app, obj.get('org_slug', 'gh/acme'))
    if org is None:
        raise ApiError(400, 'unknown organization %s' % (obj.get('org_id') or obj.get('org_slug')))
    return org


# -- context restrictions ---------------------------------------------------------------------

def restrictions_of(app, context):
    """The context's restrictions, starting (lazily) with its "All members" group restriction."""
    if 'restrictions' not in context:
        context['restrictions'] = [{
            'id': fixed_id('context-restriction:all-members:' + context['id']),
            'restriction_type': 'group', 'restriction_value': context['owner_id'],
        }]
    return context['restrictions']


def restriction_name(app, context, restriction):
    if 'name' in restriction:
        return restriction['name']
    kind, value = restriction['restriction_type'], restriction['restriction_value']
    if kind == 'project':
        project = app.state.projects.get(value)
        return project['name'] if project else ''
    if kind == 'group':
        if value == context['owner_id']:
            return 'All members'
        group = app.state.groups.get(value)
        return group['name'] if group else ''
    return value


def restriction_view(app, context, restriction, listing=True):
    view = {'id': restriction['id']}
    if listing:
        view['context_id'] = context['id']
    if restriction['restriction_type'] == 'project':
        view['project_id'] = restriction['restriction_value']
    if listing:
        view['name'] = restriction_name(app, context, restriction)
    view['restriction_type'] = restriction['restriction_type']
    view['restriction_value'] = restriction['restriction_value']
    return view


def check_expression(text):
    if not text.strip():
        raise ApiError(400, 'Invalid expression: it is empty.')
    depth, quote = 0, None
    for char in text:
        if quote:
            if char == quote:
                quote = None
        elif char in '"\'':
            quote = char
        elif char == '(':
            depth += 1
        elif char == ')':
            depth -= 1
            if depth < 0:
                raise ApiError(400, 'Invalid expression: unbalanced parentheses.')
    if quote:
        raise ApiError(400, 'Invalid expression: unterminated string.')
    if depth:
        raise ApiError(400, 'Invalid expression: unbalanced parentheses.')


def checked_restriction(app, req, context, body):
    kind, value = body.get('restriction_type'), body.get('restriction_value')
    if kind not in RESTRICTION_TYPES:
        raise ApiError(400, 'restriction_type must be one of %s.' % ', '.join(RESTRICTION_TYPES))
    if not isinstance(value, str) or not value:
        raise ApiError(400, 'restriction_value is required.')
    if kind == 'project':
        if not UUID_RE.match(value):
            raise ApiError(400, 'restriction_value must be a project UUID.')
        value = value.lower()
        project = app.state.projects.get(value)
        if project is None:
            raise ApiError(404, 'Project does not exist.')
        if project['org_id'] not in req.user.get('orgs', ()):
            raise ApiError(400, 'Project does not exist, or user does not have access to this project.')
        if project['org_id'] != context['owner_id']:
            raise ApiError(400, 'This restriction cannot be applied to this context.')
    elif kind == 'group':
        if not UUID_RE.match(value):
            raise ApiError(400, 'restriction_value must be a group UUID.')
        value = value.lower()
        group = app.state.groups.get(value)
        if value != context['owner_id'] and (group is None or group['org_id'] != context['owner_id']):
            raise ApiError(404, 'Group does not exist.')
    else:
        check_expression(value)
    return kind, value


# -- OIDC claims ------------------------------------------------------------------------------

def go_duration(millis):
    """``millis`` as Go's ``time.Duration.String()`` prints it."""
    if millis == 0:
        return '0s'
    if millis < 1000:
        return '%dms' % millis
    seconds, fraction = divmod(millis, 1000)
    text = '%d' % (seconds % 60)
    if fraction:
        text += ('.%03d' % fraction).rstrip('0')
    text += 's'
    minutes = seconds // 60
    if minutes:
        text = '%dm%s' % (minutes % 60, text)
        if minutes // 60:
            text = '%dh%s' % (minutes // 60, text)
    return text


def normalise_ttl(value):
    if not isinstance(value, str) or not TTL_RE.match(value):
        raise ApiError(400, 'ttl: must match ^([0-9]+(ms|s|m|h|d|w)){1,7}$')
    millis = sum(int(number) * TTL_MS[unit] for number, unit in TTL_PART.findall(value))
    if millis > MAX_DURATION_MS:
        raise ApiError(400, 'ttl: duration out of range')
    return go_duration(millis)


def stored_audience(values):
    """A set of audiences in the server's own order (by SHA-1), not the order sent."""
    return sorted(set(values), key=lambda v: (hashlib.sha1(v.encode('utf-8')).hexdigest(), v))


def checked_audience(value):
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ApiError(400, 'audience: must be a non-empty list of non-empty strings')
    return stored_audience(value)


def claims_view(key, claims):
    view = {'org_id': key[0]}
    if key[1]:
        view['project_id'] = key[1]
    for name in CLAIMS:
        if name in claims:
            view[name] = list(claims[name]) if name == 'audience' else claims[name]
            view[name + '_updated_at'] = claims[name + '_updated_at']
    return view


# -- config policies -------------------------------------------------------------------------

class RegoError(Exception):
    pass


def scan_rego(text):
    """Check brackets and strings; answer (code without comments, comment texts)."""
    pairs = {')': '(', ']': '[', '}': '{'}
    stack, code, comments = [], [], []
    line, index, quote = 1, 0, None
    while index < len(text):
        char = text[index]
        if quote == '"':
            if char == '\\':
                code.append(text[index:index + 2])
                index += 2
                continue
            if char == '\n':
                raise RegoError('%d: non-terminated string' % line)
            if char == '"':
                quote = None
        elif quote == '`':
            if char == '`':
                quote = None
            elif char == '\n':
                line += 1
        elif char == '#':
            end = text.find('\n', index)
            end = len(text) if end < 0 else end
            comments.append(text[index + 1:end])
            index = end
            continue
        elif char in '"`':
            quote = char
        elif char in '([{':
            stack.append((char, line))
        elif char in ')]}':
            if not stack or stack[-1][0] != pairs[char]:
                raise RegoError('%d: unexpected %s token' % (line, char))
            stack.pop()
        elif char == '\n':
            line += 1
        code.append(char)
        index += 1
    if quote:
        raise RegoError('%d: non-terminated string' % line)
    if stack:
        raise RegoError('%d: unclosed %s' % (stack[-1][1], stack[-1][0]))
    return ''.join(code), comments


def parse_policy(text):
    """Check one Rego document; answer (package, policy name, rules) or raise RegoError.
    A wrong package is answered (not raised): the live service reports it as a lint error."""
    code, comments = scan_rego(text)
    statements = [s.strip() for s in code.split('\n') if s.strip()]
    if not statements or not statements[0].startswith('package '):
        raise RegoError('1: package expected')
    package = statements[0][len('package '):].strip()
    rules = [s for s in statements[1:] if not s.startswith('import ')]
    if not rules:
        raise RegoError('must declare rule "policy_name" but module contains no rules')
    head = re.match(r'^([A-Za-z_][\w.]*)', rules[0])
    if not head or head.group(1) != 'policy_name':
        raise RegoError('first rule declaration must be "policy_name" but found %s' % (
            '"%s"' % head.group(1) if head else 'none'))
    match = re.match(r'^policy_name\s*\[\s*"((?:[^"\\]|\\.)*)"\s*\]', rules[0])
    if not match:
        raise RegoError('invalid policy_name declaration: must declare as key')
    name = match.group(1)
    if not name:
        raise RegoError('policy_name must not be empty')
    if len(name) > 80:
        raise RegoError('policy_name must be maximum 80 characters but got %d' % len(name))
    if not re.match(r'^\w+$', name):
        raise RegoError('"policy_name" must use alphanumeric and underscore characters only')
    info = {
        'enabled': sorted(set(re.findall(r'(?m)^\s*enable_rule\s*\[\s*"(\w+)"\s*\]', code))),
        'hard': sorted(set(re.findall(r'(?m)^\s*hard_fail\s*\[\s*"(\w+)"\s*\]', code))),
        'deny': [], 'error': None,
    }
    for comment in comments:
        deny = re.match(r'^\s*standin-deny:\s*(\w+)\s+(.+?)\s*$', comment)
        error = re.match(r'^\s*standin-error:\s*(.+?)\s*$', comment)
        if deny:
            info['deny'].append((deny.group(1), deny.group(2)))
        elif error and info['error'] is None:
            info['error'] = error.group(1)
    return package, name, info


def parse_bundle(files):
    """``{file: rego}`` -> ``{policy name: content}``, or ApiError 400 as the policy agent says it."""
    errors, names, contents, packages = [], {}, {}, {}
    for filename in sorted(files):
        try:
            package, name, dummy = parse_policy(files[filename])
        except RegoError as exc:
            errors.append('failed to parse file %s: %s' % (quote(filename), exc))
            continue
        names[name] = names.get(name, 0) + 1
        contents[name] = files[filename]
        packages[filename] = package

    def fail(prefix, messages):
        text = messages[0] if len(messages) == 1 else '%d error(s) occurred: %s' % (len(messages), '; '.join(messages))
        raise ApiError(400, '%s: %s' % (prefix, text))
    if errors:
        fail('failed to parse policy file(s)', errors)
    duplicates = ['policy %s declared %d times' % (quote(n), c) for n, c in sorted(names.items()) if c > 1]
    if duplicates:
        fail('failed to parse bundle', duplicates)
    lint = ['lint error: %s: invalid package name: expected one of packages [org] but got %s' % (
        quote(f), quote('package ' + p)) for f, p in sorted(packages.items()) if p != 'org']
    if lint:
        fail('failed policy linting', lint)
    return contents


def quote(text):
    return '"%s"' % text.replace('\\', '\\\\').replace('"', '\\"')


def policy_scope(app, req):
    owner_id = req.params['owner_id']
    if not UUID_RE.match(owner_id):
        raise ApiError(400, 'OwnerID: must be a valid UUID.')
    if req.params['context'] != POLICY_CONTEXT:
        raise ApiError(400, 'context: must be a valid value.')
    org = app.state.orgs.get(owner_id.lower())
    if org is None or org['id'] not in req.user.get('orgs', ()):
        raise ApiError(403, 'Forbidden')
    return policy_store(app, org['id'])


def policy_store(app, org_id):
    store = app.state.config_policies.get(org_id)
    if store is None:
        store = app.state.config_policies[org_id] = {'bundle': {}, 'enabled': False, 'decisions': []}
    return store


def bundle_view(bundle):
    return dict((name, dict((k, policy[k]) for k in ('name', 'content', 'created_at', 'created_by')))
                for name, policy in sorted(bundle.items()))


def bundle_diff(old, new):
    diff = collections.OrderedDict()
    for key, names in (('created', [n for n in new if n not in old]),
                       ('modified', [n for n in new if n in old and old[n]['content'] != new[n]]),
                       ('deleted', [n for n in old if n not in new])):
        if names:
            diff[key] = sorted(names)
    return diff


def checked_files(body):
    policies = body.get('policies')
    if not isinstance(policies, dict) or not all(isinstance(k, str) and k and isinstance(v, str) for k, v in policies.items()):
        raise ApiError(400, 'policies: must be an object of file names to Rego documents')
    if sum(len(v) for v in policies.values()) > MAX_BUNDLE_CHARS:
        raise ApiError(413, 'http: request payload too large')
    return policies


def store_bundle(store, contents, user_id):
    stamp = now()
    bundle = {}
    for name, content in contents.items():
        old = store['bundle'].get(name)
        if old is not None and old['content'] == content:
            bundle[name] = old
        else:
            bundle[name] = {'name': name, 'content': content, 'created_at': stamp, 'created_by': user_id}
    store['bundle'] = bundle


def evaluate(bundle, text):
    """The decision for config text ``text`` (see the module docstring)."""
    enabled, hard, denies = set(), set(), []
    for policy in bundle.values():
        dummy, dummy_name, info = parse_policy(policy['content'])
        if info['error'] is not None:
            return {'status': 'ERROR', 'reason': '%s: %s' % (policy['name'], info['error'])}
        enabled.update(info['enabled'])
        hard.update(info['hard'])
        denies.extend(info['deny'])
    decision = {'status': 'PASS'}
    if enabled:
        decision['enabled_rules'] = sorted(enabled)
    failures = {'hard_failures': [], 'soft_failures': []}
    for rule, needle in denies:
        if rule in enabled and needle in text:
            failures['hard_failures' if rule in hard else 'soft_failures'].append(
                {'rule': rule, 'reason': '%s found in config' % needle})
    for key, items in failures.items():
        if items:
            decision[key] = sorted(items, key=lambda v: v['rule'] + v['reason'])
    if failures['hard_failures']:
        decision['status'] = 'HARD_FAIL'
    elif failures['soft_failures']:
        decision['status'] = 'SOFT_FAIL'
    return decision


def record_decision(store, decision, metadata, created_at=None):
    log = {
        'id': new_id(), 'created_at': created_at or now(), 'decision': decision, 'metadata': metadata,
        'policies': dict((name, hashlib.sha512(p['content'].encode('utf-8')).hexdigest()) for name, p in store['bundle'].items()),
        'time_taken_ms': 1,
    }
    store['decisions'].append({'log': log, 'bundle': copy.deepcopy(store['bundle'])})
    return log


def decision_filter(req):
    """A predicate on decision logs for the query's filters (checked here, before any log)."""
    after = parse_time(req.arg('after'), 'after') if req.arg('after') is not None else None
    before = parse_time(req.arg('before'), 'before') if req.arg('before') is not None else None
    wanted = dict((k, req.arg(k)) for k in ('status', 'branch', 'project_id', 'build_number') if req.arg(k) is not None)

    def matches(log):
        meta = log['metadata'] or {}
        vcs = meta.get('vcs') if isinstance(meta.get('vcs'), dict) else {}
        moment = parse_time(log['created_at'], 'created_at')
        return ((after is None or moment > after) and (before is None or moment < before)
                and wanted.get('status', log['decision'].get('status')) == log['decision'].get('status')
                and ('branch' not in wanted or wanted['branch'] in (vcs.get('branch'), meta.get('branch')))
                and ('project_id' not in wanted or str(meta.get('project_id', '')).lower() == wanted['project_id'].lower())
                and ('build_number' not in wanted or str(meta.get('build_number', '')) == wanted['build_number']))
    return matches


# -- organisations ------------------------------------------------------------------------

def purge_projects(app, project_ids, slugs):
    """Remove the projects and every state entry that names one of them (see the docstring)."""
    def names_one(value):
        return isinstance(value, dict) and (
            value.get('project_id') in project_ids or value.get('scope_id') in project_ids
            or str(value.get('project_slug') or '').lower() in slugs)

    def keyed_by_one(key):
        if isinstance(key, tuple):
            return any(k in project_ids or str(k).lower() in slugs for k in key)
        return key in project_ids or str(key).lower() in slugs
    for name, collection in list(vars(app.state).items()):
        if name in ('tokens', 'users', 'orgs', 'contexts'):
            continue
        if isinstance(collection, dict):
            for key in [k for k, v in collection.items() if keyed_by_one(k) or names_one(v)]:
                del collection[key]
        elif isinstance(collection, list):
            collection[:] = [v for v in collection if not names_one(v)]


def delete_org(app, org):
    projects = [p for p in app.state.projects.values() if p['org_id'] == org['id']]
    purge_projects(app, set(p['id'] for p in projects), set(p['slug'].lower() for p in projects))
    for context_id in [c['id'] for c in app.state.contexts.values() if c['owner_id'] == org['id']]:
        del app.state.contexts[context_id]
    for collection in (app.state.groups, app.state.url_orb_allow_list):
        for key in [k for k, v in collection.items() if v['org_id'] == org['id']]:
            del collection[key]
    for key in [k for k in app.state.oidc_claims if k[0] == org['id']]:
        del app.state.oidc_claims[key]
    app.state.config_policies.pop(org['id'], None)
    app.state.paid_orgs.discard(org['id'])
    for user in app.state.users.values():
        user['orgs'].discard(org['id'])
    del app.state.orgs[org['id']]
    vcs = [k for k, v in VCS_SLUG.items() if org['slug'].lower().startswith(v + '/')]
    if vcs and not vcs_org_known(app, vcs[0], org['name']):
        app.state.vcs_orgs.append({'vcs_type': vcs[0], 'name': org['name']})


def vcs_org_known(app, vcs_type, name):
    return any(o['vcs_type'] == vcs_type and o['name'].lower() == name.lower() for o in app.state.vcs_orgs)


def org_answer(org):
    vcs = org['vcs_type'].lower()
    return {'id': org['id'], 'name': org['name'], 'slug': org['slug'], 'vcs_type': vcs}


def reset(app):
    app.state.groups = collections.OrderedDict()
    app.state.url_orb_allow_list = collections.OrderedDict()
    app.state.oidc_claims = collections.OrderedDict()
    app.state.vcs_orgs = [{'vcs_type': vcs, 'name': name} for vcs, name in SEED_VCS_ORGS]
    app.state.paid_orgs = set()
    app.state.config_policies = collections.OrderedDict()


def register(app):  # pylint: disable=too-many-locals,too-many-statements
    app.on_reset(reset)

    # -- context restrictions ---------------------------------------------------------------

    @app.route('GET', CONTEXT)
    def list_restrictions(app, req):
        context = context_for(app, req)
        return 200, {'items': [restriction_view(app, context, r) for r in restrictions_of(app, context)],
                     'next_page_token': None}

    @app.route('POST', CONTEXT)
    def create_restriction(app, req):
        context = context_for(app, req)
        kind, value = checked_restriction(app, req, context, req.json())
        restrictions = restrictions_of(app, context)
        for restriction in restrictions:
            if restriction['restriction_type'] == kind and restriction['restriction_value'] == value:
                raise ApiError(409, "The restriction you're trying to add already exists.")
        restriction = {'id': new_id(), 'restriction_type': kind, 'restriction_value': value}
        restrictions.append(restriction)
        return 201, restriction_view(app, context, restriction, listing=False)

    @app.route('DELETE', CONTEXT + r'/(?P<restriction_id>[^/]+)')
    def delete_restriction(app, req):
        context = context_for(app, req)
        restriction_id = require_uuid(req.params['restriction_id'], 'restriction_id')
        restrictions = restrictions_of(app, context)
        for index, restriction in enumerate(restrictions):
            if restriction['id'] == restriction_id:
                del restrictions[index]
                return 200, {'message': 'Context restriction deleted.'}
        raise ApiError(404, 'Context restriction not found.')

    def no_such_route(app, req):
        context_for(app, req)
        raise ApiError(404, 'Not found')
    for method in ('GET', 'PATCH', 'PUT'):
        app.route(method, CONTEXT + r'/(?P<restriction_id>[^/]+)')(no_such_route)

    # -- OIDC custom claims ---------------------------------------------------------------------

    def claims_key(app, req):
        if not UUID_RE.match(req.params['org_id']):
            raise ApiError(400, 'orgID: must be a valid UUID.')
        org = app.state.orgs.get(req.params['org_id'].lower())
        if org is None or org['id'] not in req.user.get('orgs', ()):
            raise ApiError(403, 'Forbidden')
        project_id = req.params.get('project_id')
        if project_id is not None:
            if not UUID_RE.match(project_id):
                raise ApiError(400, 'projectID: must be a valid UUID.')
            project = app.state.projects.get(project_id.lower())
            if project is None or project['org_id'] != org['id']:
                raise ApiError(403, 'Forbidden')
            project_id = project['id']
        return (org['id'], project_id)

    def get_claims(app, req):
        key = claims_key(app, req)
        return 200, claims_view(key, app.state.oidc_claims.get(key, {}))

    def patch_claims(app, req):
        key = claims_key(app, req)
        body = req.json()
        changes = {}
        if 'audience' in body:
            changes['audience'] = checked_audience(body['audience'])
        if 'ttl' in body:
            changes['ttl'] = normalise_ttl(body['ttl'])
        if not changes:
            raise ApiError(400, 'at least one of audience, ttl is required')
        claims = app.state.oidc_claims.setdefault(key, {})
        stamp = now()
        for name, value in changes.items():
            claims[name] = value
            claims[name + '_updated_at'] = stamp
        return 200, claims_view(key, claims)

    def delete_claims(app, req):
        key = claims_key(app, req)
        names = [n.strip() for n in (req.arg('claims') or '').split(',') if n.strip()]
        if not names:
            raise ApiError(400, 'claims: is required (a comma separated list of audience, ttl)')
        unknown = [n for n in names if n not in CLAIMS]
        if unknown:
            raise ApiError(400, 'claims: invalid claim %s (valid: audience, ttl)' % quote(unknown[0]))
        claims = app.state.oidc_claims.get(key, {})
        for name in names:
            claims.pop(name, None)
            claims.pop(name + '_updated_at', None)
        if not claims:
            app.state.oidc_claims.pop(key, None)
        return 200, claims_view(key, claims)

    for path in (r'/org/(?P<org_id>[^/]+)/oidc-custom-claims',
                 r'/org/(?P<org_id>[^/]+)/project/(?P<project_id>[^/]+)/oidc-custom-claims'):
        app.route('GET', path)(error_shape(get_claims))
        app.route('PATCH', path)(error_shape(patch_claims))
        app.route('DELETE', path)(error_shape(delete_claims))

    # -- URL orb allow-list -----------------------------------------------------------------

    def entry_view(entry):
        return dict((k, entry[k]) for k in ('id', 'name', 'prefix', 'auth'))

    @app.route('GET', r'/organization/' + ORG + r'/url-orb-allow-list')
    def list_orb_entries(app, req):
        org = org_for(app, req, req.params['org'])
        return 200, {'items': [entry_view(e) for e in app.state.url_orb_allow_list.values() if e['org_id'] == org['id']]}

    @app.route('POST', r'/organization/' + ORG + r'/url-orb-allow-list')
    def create_orb_entry(app, req):
        org = org_for(app, req, req.params['org'])
        body = req.json()
        name, prefix, auth = body.get('name'), body.get('prefix'), body.get('auth')
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, 'name is required')
        if not isinstance(prefix, str):
            raise ApiError(400, 'prefix is required')
        parts = urlsplit(prefix)
        if parts.scheme != 'https' or not parts.netloc or not prefix.endswith('/'):
            raise ApiError(400, 'prefix must be an https URL ending in /')
        if auth not in ORB_AUTH:
            raise ApiError(400, 'auth must be one of %s' % ', '.join(ORB_AUTH))
        entry = {'id': new_id(), 'org_id': org['id'], 'name': name, 'prefix': prefix, 'auth': auth}
        app.state.url_orb_allow_list[entry['id']] = entry
        return 200, {'id': entry['id'], 'message': 'Created.'}

    @app.route('DELETE', r'/organization/' + ORG + r'/url-orb-allow-list/(?P<entry_id>[^/]+)')
    def delete_orb_entry(app, req):
        org = org_for(app, req, req.params['org'])
        entry = app.state.url_orb_allow_list.get(req.params['entry_id'].lower())
        if entry is not None and entry['org_id'] == org['id']:
            del app.state.url_orb_allow_list[entry['id']]
        return 200, {'id': req.params['entry_id'], 'message': 'Deleted.'}

    # -- groups ---------------------------------------------------------------------------

    def group_org(app, req):
        org = app.state.orgs.get(req.params['org_id'].lower()) if UUID_RE.match(req.params['org_id']) else None
        if org is None:
            raise ApiError(404, 'Organization does not exist.')
        app.member_org(req, org)
        if not is_standalone(org):
            raise ApiError(403, 'Permission denied.')
        return org

    def group_for(app, req):
        org = group_org(app, req)
        group_id = req.params['group_id'].lower()
        group = app.state.groups.get(group_id) if UUID_RE.match(group_id) else None
        if group is None or group['org_id'] != org['id']:
            raise ApiError(403, 'Permission denied.')
        return group

    def group_view(group):
        return {'id': group['id'], 'name': group['name'], 'description': group['description']}

    @app.route('GET', r'/organizations/(?P<org_id>[^/]+)/groups')
    def list_groups(app, req):
        org = group_org(app, req)
        if req.arg('limit') is not None and not re.match(r'^[0-9]+$', req.arg('limit')):
            raise ApiError(400, 'limit must be an integer.')
        items = [group_view(g) for g in app.state.groups.values() if g['org_id'] == org['id']]
        return 200, {'items': items, 'next_page_token': None, 'total_count': len(items)}

    @app.route('POST', r'/organizations/(?P<org_id>[^/]+)/groups')
    def create_group(app, req):
        org = group_org(app, req)
        body = req.json()
        if set(body) - set(('name', 'description')):
            raise ApiError(400, 'Unexpected request body provided.')
        name, description = body.get('name'), body.get('description', '')
        if not isinstance(name, str) or not name.strip() or not isinstance(description, str):
            raise ApiError(400, 'Unexpected request body provided.')
        mine = [g for g in app.state.groups.values() if g['org_id'] == org['id']]
        if any(g['name'].lower() == name.lower() for g in mine):
            raise ApiError(409, 'Failed to create group, group %s already exists.' % name)
        if len(mine) >= MAX_GROUPS:
            raise ApiError(409, 'Failed to create group, reached max number of groups for this organization.')
        group = {'id': new_id(), 'org_id': org['id'], 'name': name, 'description': description}
        app.state.groups[group['id']] = group
        return 201, group_view(group)

    @app.route('GET', r'/organizations/(?P<org_id>[^/]+)/groups/(?P<group_id>[^/]+)')
    def get_group(app, req):
        return 200, group_view(group_for(app, req))

    def remove_group(app, group):
        del app.state.groups[group['id']]
        for context in app.state.contexts.values():
            if 'restrictions' in context:
                context['restrictions'] = [r for r in context['restrictions'] if not (
                    r['restriction_type'] == 'group' and r['restriction_value'] == group['id'])]

    @app.route('DELETE', r'/organizations/(?P<org_id>[^/]+)/groups/(?P<group_id>[^/]+)')
    def delete_group(app, req):
        remove_group(app, group_for(app, req))
        return 204, b''

    # -- organisations --------------------------------------------------------------------

    @app.route('POST', r'/organization')
    def create_organization(app, req):
        body = req.json()
        name, vcs_type = body.get('name'), body.get('vcs_type')
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, 'name is required')
        if vcs_type not in VCS_PROVIDER:
            raise ApiError(400, 'vcs_type must be one of github, bitbucket, circleci')
        if vcs_type == 'circleci':
            if any(is_standalone(o) and o['name'].lower() == name.lower() for o in app.state.orgs.values()):
                raise ApiError(409, 'An organization named %s already exists.' % name)
            org_id = new_id()
            org = {'id': org_id, 'slug': 'circleci/' + short_id(org_id), 'name': name, 'vcs_type': 'CircleCI'}
            app.state.orgs[org_id] = org
            req.user['orgs'].add(org_id)
            return 201, org_answer(org)
        org = app.state.org_by_slug('%s/%s' % (VCS_SLUG[vcs_type], name))
        if org is not None:
            return 201, org_answer(app.member_org(req, org))
        known = [o for o in app.state.vcs_orgs if o['vcs_type'] == vcs_type and o['name'].lower() == name.lower()]
        if not known:
            raise ApiError(404, 'Organization %s not found on %s.' % (name, VCS_PROVIDER[vcs_type]))
        org = add_org(app, VCS_SLUG[vcs_type], known[0]['name'], VCS_PROVIDER[vcs_type], member=False)
        req.user['orgs'].add(org['id'])
        app.state.vcs_orgs.remove(known[0])
        return 201, org_answer(org)

    @app.route('DELETE', r'/organization/' + ORG)
    def delete_organization(app, req):
        org = org_for(app, req, req.params['org'])
        if org['id'] in app.state.paid_orgs:
            raise ApiError(403, 'Organizations on a paid plan cannot be deleted.')
        delete_org(app, org)
        return 202, {'message': 'Organization deletion started.'}

    # -- config policies ------------------------------------------------------------------

    POLICY = r'/owner/(?P<owner_id>[^/]+)/context/(?P<context>[^/]+)'

    @app.route('POST', POLICY + r'/policy-bundle')
    @error_shape
    def push_bundle(app, req):
        store = policy_scope(app, req)
        dry = req.flag('dry')
        contents = parse_bundle(checked_files(req.json()))
        diff = bundle_diff(store['bundle'], contents)
        if dry:
            return 200, diff
        store_bundle(store, contents, req.user['id'])
        return 201, diff

    @app.route('GET', POLICY + r'/policy-bundle/?')
    @error_shape
    def get_bundle(app, req):
        return 200, bundle_view(policy_scope(app, req)['bundle'])

    @app.route('GET', POLICY + r'/policy-bundle/(?P<name>[^/]+)')
    @error_shape
    def get_policy(app, req):
        policy = policy_scope(app, req)['bundle'].get(req.params['name'])
        if policy is None:
            raise ApiError(404, 'policy not found')
        return 200, bundle_view({policy['name']: policy})[policy['name']]

    @app.route('GET', POLICY + r'/decision/settings')
    @error_shape
    def get_settings(app, req):
        return 200, {'enabled': policy_scope(app, req)['enabled']}

    @app.route('PATCH', POLICY + r'/decision/settings')
    @error_shape
    def set_settings(app, req):
        store = policy_scope(app, req)
        enabled = req.json().get('enabled')
        if not isinstance(enabled, bool):
            raise ApiError(400, 'enabled: is required and must be a boolean')
        store['enabled'] = enabled
        return 200, {'enabled': enabled}

    @app.route('POST', POLICY + r'/decision')
    @error_shape
    def make_decision(app, req):
        store = policy_scope(app, req)
        body = req.json()
        text, metadata = body.get('input'), body.get('metadata', {})
        if not isinstance(text, str):
            raise ApiError(400, 'input: is required and must be a string')
        if not isinstance(metadata, dict):
            raise ApiError(400, 'metadata: must be an object')
        decision = evaluate(store['bundle'], text)
        record_decision(store, decision, metadata)
        return 200, decision

    @app.route('GET', POLICY + r'/decision')
    @error_shape
    def list_decisions(app, req):
        store = policy_scope(app, req)
        offset = req.arg('offset', '0')
        if not re.match(r'^[0-9]+$', offset):
            raise ApiError(400, 'offset: must be a non-negative integer')
        matches = decision_filter(req)
        logs = [d['log'] for d in reversed(store['decisions']) if matches(d['log'])]
        start, size = int(offset), max(1, int(app.config['page_size']))
        return 200, copy.deepcopy(logs[start:start + size])

    def decision_for(app, req):
        store = policy_scope(app, req)
        if not UUID_RE.match(req.params['decision_id']):
            raise ApiError(400, 'DecisionID: must be a valid UUID.')
        for decision in store['decisions']:
            if decision['log']['id'] == req.params['decision_id'].lower():
                return decision
        raise ApiError(404, 'decision log not found')

    @app.route('GET', POLICY + r'/decision/(?P<decision_id>[^/]+)')
    @error_shape
    def get_decision(app, req):
        return 200, copy.deepcopy(decision_for(app, req)['log'])

    @app.route('GET', POLICY + r'/decision/(?P<decision_id>[^/]+)/policy-bundle')
    @error_shape
    def get_decision_bundle(app, req):
        return 200, bundle_view(decision_for(app, req)['bundle'])

    # -- control: seed and state ----------------------------------------------------------------

    def seed_context(app, obj):
        if obj.get('context_id'):
            context = app.state.contexts.get(obj['context_id'].lower())
        else:
            owner = seed_org(app, {'org_slug': obj.get('owner_slug', 'gh/acme')})
            context = next((c for c in app.state.contexts.values()
                            if c['name'] == obj.get('context_name') and c['owner_id'] == owner['id']), None)
        if context is None:
            raise ApiError(400, 'unknown context %s' % (obj.get('context_id') or obj.get('context_name')))
        return context

    def seed_restriction(app, obj):
        context = seed_context(app, obj)
        if obj.get('clear'):
            context['restrictions'] = []
            return {'context_id': context['id'], 'restrictions': []}
        if obj.get('restriction_type') not in RESTRICTION_TYPES:
            raise ApiError(400, 'restriction_type must be one of %s' % ', '.join(RESTRICTION_TYPES))
        restriction = {'id': obj.get('id') or new_id(), 'restriction_type': obj['restriction_type'],
                       'restriction_value': obj['restriction_value']}
        if obj.get('name') is not None:
            restriction['name'] = obj['name']
        restrictions_of(app, context).append(restriction)
        return restriction_view(app, context, restriction)

    def seed_group(app, obj):
        org = seed_org(app, obj)
        group = {'id': (obj.get('id') or new_id()).lower(), 'org_id': org['id'], 'name': obj['name'],
                 'description': obj.get('description', '')}
        app.state.groups[group['id']] = group
        return dict(group_view(group), org_id=org['id'])

    def seed_claims(app, obj):
        org = seed_org(app, obj)
        project = None
        if obj.get('project_id') or obj.get('project_slug'):
            project = (app.state.projects.get(obj['project_id'].lower()) if obj.get('project_id')
                       else app.state.project_by_slug(obj['project_slug']))
            if project is None:
                raise ApiError(400, 'unknown project %s' % (obj.get('project_id') or obj.get('project_slug')))
        key = (org['id'], project['id'] if project else None)
        claims = app.state.oidc_claims.setdefault(key, {})
        stamp = now()
        if 'audience' in obj:
            claims.update(audience=checked_audience(obj['audience']), audience_updated_at=stamp)
        if 'ttl' in obj:
            claims.update(ttl=normalise_ttl(obj['ttl']), ttl_updated_at=stamp)
        return claims_view(key, claims)

    def seed_orb_entry(app, obj):
        org = seed_org(app, obj)
        entry = {'id': (obj.get('id') or new_id()).lower(), 'org_id': org['id'], 'name': obj['name'],
                 'prefix': obj['prefix'], 'auth': obj.get('auth', 'none')}
        app.state.url_orb_allow_list[entry['id']] = entry
        return dict(entry_view(entry), org_id=org['id'])

    def seed_vcs_org(app, obj):
        if obj.get('vcs_type') not in VCS_SLUG:
            raise ApiError(400, 'vcs_type must be github or bitbucket')
        if not vcs_org_known(app, obj['vcs_type'], obj['name']):
            app.state.vcs_orgs.append({'vcs_type': obj['vcs_type'], 'name': obj['name']})
        return {'vcs_type': obj['vcs_type'], 'name': obj['name']}

    def seed_paid(app, obj):
        org = seed_org(app, obj)
        app.state.paid_orgs.add(org['id'])
        return {'org_id': org['id'], 'slug': org['slug']}

    def seed_policies(app, obj):
        org = seed_org(app, obj)
        store = policy_store(app, org['id'])
        store_bundle(store, parse_bundle(obj.get('policies') or {}), next(iter(app.state.users)))
        if 'enabled' in obj:
            store['enabled'] = bool(obj['enabled'])
        return {'org_id': org['id'], 'enabled': store['enabled'], 'policies': sorted(store['bundle'])}

    def seed_decision(app, obj):
        store = policy_store(app, seed_org(app, obj)['id'])
        if obj.get('status'):
            decision = {'status': obj['status']}
            for key in ('enabled_rules', 'hard_failures', 'soft_failures', 'reason'):
                if obj.get(key):
                    decision[key] = copy.deepcopy(obj[key])
        else:
            decision = evaluate(store['bundle'], obj.get('input', 'version: 2.1\n'))
        if obj.get('created_at'):
            parse_time(obj['created_at'], 'created_at')
        return record_decision(store, decision, copy.deepcopy(obj.get('metadata') or {}), obj.get('created_at'))

    app.seeders.update(context_restrictions=seed_restriction, groups=seed_group, oidc_claims=seed_claims,
                       url_orb_allow_list=seed_orb_entry, vcs_orgs=seed_vcs_org, paid_orgs=seed_paid,
                       policies=seed_policies, policy_decisions=seed_decision)

    def dump(app, secrets):  # pylint: disable=unused-argument
        return {
            'context_restrictions': dict(
                (c['id'], [restriction_view(app, c, r) for r in restrictions_of(app, c)]) for c in app.state.contexts.values()),
            'groups': [dict(group_view(g), org_id=g['org_id']) for g in app.state.groups.values()],
            'oidc_claims': [claims_view(k, v) for k, v in app.state.oidc_claims.items()],
            'url_orb_allow_list': [dict(entry_view(e), org_id=e['org_id']) for e in app.state.url_orb_allow_list.values()],
            'vcs_orgs': [dict(o) for o in app.state.vcs_orgs],
            'paid_orgs': sorted(app.state.paid_orgs),
            'config_policies': dict((org_id, {'enabled': s['enabled'], 'policies': bundle_view(s['bundle'])})
                                    for org_id, s in app.state.config_policies.items()),
            'policy_decisions': [dict(copy.deepcopy(d['log']), org_id=org_id)
                                 for org_id, s in app.state.config_policies.items() for d in s['decisions']],
        }

    app.state_dumpers.append(dump)
