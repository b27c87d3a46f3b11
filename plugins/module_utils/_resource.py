# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The two bases of the stateful modules, where check mode and diff are decided.

``Resource``: one object found by its identity in a scope (a context by name under its owner, a
webhook by name in its project, ...), made present with only the changed fields sent, or absent.
Its fields are declared (``Field``): their spellings in the API, the option that sets each, the
check of that option, how a value is normalised so that both sides compare alike.

``ItemSet``: a scope that holds many items compared as a whole (a project's variables, its
checkout keys, ...): declared items are created, updated or deleted, others kept or, with
purge, deleted. Every create is sent before any update and every update before any delete, so
that the scope is never narrower than both its old and its new state.

A Resource may carry item sets (``carries``: a context's restrictions), each an ItemSet run with
the object as its scope once the object is present; and ``Settings`` is a Resource that always
exists and is only changed (custom claims, settings).

Neither sends a write in check mode; both predict the result instead.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import concurrent.futures
import copy
import threading

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError, CircleCIInputError, CircleCIStateError
from ansible_collections.community.circleci.plugins.module_utils._resolve import find_one
from ansible_collections.community.circleci.plugins.module_utils._task import Task

LOST_CREATE = ('. CircleCI may or may not have created the %s: it was not sent again, so as not to create two. '
               'Look for it before running this task again.')


class Field:
    """One field of a resource.

    ``name``: the key results show it under. ``api``: its spellings in CircleCI's answers and
    bodies (the first one found is read; every one is sent, since a server ignores keys it does
    not know). ``option``: the module option that sets it (None: read only). ``check``:
    ``check(value, option)`` answering the checked value as it compares (run before any
    request, when the option is given, and with ``required`` also when it is not, unless
    ``state=absent``). ``normalise``: applied to what CircleCI answers.
    ``to_api``: the value as a body carries it. ``unkept``: what a read-back that lost the
    field says. ``partial``: the field is an object of which a change names only the keys that
    change (project settings, a definition's config source), so a predicted object keeps the
    others.

    A write-only secret, which CircleCI shows only as whether one is set, is a field with
    ``sends`` (the option holding the secret, which bodies carry) and ``mode`` (the option that
    says when to write it: ``on_change``, the default, writes it where none is set; ``always``
    on every run; ``on_create`` only with a new object).
    """

    def __init__(self, name, api=None, option=None, check=None, required=False, normalise=None, to_api=None, sends=None, mode=None,
                 unkept=None, partial=False):
        self.name = name
        self.api = tuple(api) if api else (name,)
        self.option = option
        self.check = check
        self.required = required
        self.normalise = normalise
        self.to_api = to_api
        self.sends = sends
        self.mode = mode
        self.unkept = unkept
        self.partial = partial


def normalise(fields, answer):
    """An answer of CircleCI, in any of its fields' spellings, as one dict of the fields' names."""
    obj = {}
    for field in fields:
        value = None
        for key in field.api:
            if key in answer:
                value = answer[key]
                break
        obj[field.name] = field.normalise(value) if field.normalise else value
    return obj


def unkept(fields, obj, expected):
    """What the read-back ``obj`` shows was not kept of ``expected`` (both normalised)."""
    problems = []
    for field in fields:
        if field.name not in expected:
            continue
        want, got = expected[field.name], obj.get(field.name)
        if field.sends:
            if want and got is not True:
                problems.append(field.unkept or '%s reads back as not set' % field.name)
        elif got != want and not (got in (None, '') and want in (None, '')):
            problems.append('%s reads back as %r, not %r' % (field.name, got, want))
    return problems


class Taken(Exception):
    """A create refused because the object exists: ``found`` is that object (see Resource.taken)."""

    def __init__(self, found):
        super(Taken, self).__init__('taken')
        self.found = found


class Resource(Task):
    """One object found by its identity in a scope, made present or absent.

    Declare ``key`` (the result key, and the word messages use), ``plural`` and ``where`` (for
    "2 contexts are named 'x' under this owner"), ``identity`` (the identifying field),
    ``fields``, and ``verify`` (None, ``'read'``: read the object back after every write, or
    ``'answer'``: check the write's answer; both fail the task on a field that did not stick).
    Implement ``items(scope)`` (the raw objects of the scope), ``create(scope, body)``,
    ``update(scope, current, body)`` and ``delete(scope, current)``; ``get(scope, id)`` for
    ``verify='read'``; ``scope()`` when the scope must be resolved first.

    ``on_change`` says what a difference does where CircleCI has no update: ``update`` (the
    default) sends ``update()``; ``replace`` creates the object anew, then deletes the old one, so
    that the scope never lacks it; ``keep`` leaves it as it is with a warning (``keep_hint`` says
    why), where re-creating would lose what hangs on the object.

    ``carries``: ItemSet classes of the sets the object holds (a context's restrictions). Each
    one's ``option`` asks for it (it is left alone when that option is not given) and ``field``
    names it in the object's result and diff; its ``check()`` runs with the object's, before any
    request, and it runs with the object (after the task) as its scope once the object is present.
    ``taken``: the statuses with which CircleCI refuses a create because the object exists
    already (a project name answers 409): the object is then found again and adopted, not
    created (``changed`` stays false unless it must be updated), and compared and updated like
    any object that was there.
    """

    key = None
    plural = None
    where = 'in this project'
    identity = 'name'
    fields = ()
    verify = None
    on_change = 'update'
    keep_hint = ''
    carries = ()
    taken = ()

    # -- to implement ---------------------------------------------------------------------

    def scope(self):
        """What the object lives in (a project id, an owner), resolved with reads if needed."""
        return None

    def items(self, scope):
        raise NotImplementedError

    def create(self, scope, body):
        raise NotImplementedError

    def update(self, scope, current, body):
        raise NotImplementedError

    def delete(self, scope, current):
        raise NotImplementedError

    def get(self, scope, object_id):
        raise NotImplementedError

    def gone(self, current):
        """Whether state=absent finds nothing to remove."""
        return current is None

    def removed(self, current):
        """What is left after state=absent removed ``current`` (None: nothing)."""
        return None

    # -- may be overridden -------------------------------------------------------------------

    def check(self):
        """Run every field's check on the option that sets it; answer the checked values by field name."""
        checked = {}
        for field in self.fields:
            given = self.params.get(field.option) is not None if field.option else False
            if field.check and (given or (field.required and self.params.get('state') != 'absent')):
                checked[field.name] = field.check(self.params.get(field.option), field.option)
            if field.sends:
                secret = self.params.get(field.sends)
                if secret == '':
                    raise CircleCIInputError(field.sends, 'must not be empty; omit it to leave the secret alone')
                if self.params.get(field.mode) == 'always' and secret is None and self.params.get('state') != 'absent':
                    raise CircleCIInputError(field.mode, 'always needs %s' % field.sends)
        return checked

    def find(self, scope):
        """The object of the scope whose identity field is the option's value (one listing), or None."""
        objects = [self.normalise(item) for item in self.items(scope)]
        return find_one(objects, self.wanted_identity(), self.plural, self.where)

    def wanted_identity(self):
        return self.inputs.get(self.identity, self.params.get(self.identity))

    def desired(self):
        """The managed fields, by name, as they compare; None means "not managed"."""
        desired = {}
        for field in self.fields:
            if field.sends:
                desired[field.name] = bool(self.params.get(field.sends))
            elif field.option:
                desired[field.name] = self.inputs.get(field.name, self.params.get(field.option))
        return desired

    def compare(self, current, desired):
        """The fields of ``desired`` whose value differs from ``current``; a secret as its mode says."""
        secrets = dict((field.name, field) for field in self.fields if field.sends)
        changes = dict((k, v) for k, v in desired.items() if v is not None and k not in secrets and current.get(k) != v)
        for name, field in secrets.items():
            mode = self.params.get(field.mode) or 'on_change'
            if desired.get(name) and (mode == 'always' or (mode == 'on_change' and not current.get(name))):
                changes[name] = True
        return changes

    def normalise(self, answer):
        return normalise(self.fields, answer) if answer is not None else None

    def body(self, values):
        """The fields of ``values`` in the API's spelling (each under every spelling)."""
        body = {}
        for field in self.fields:
            if field.name not in values or values[field.name] is None:
                continue
            value = values[field.name]
            if field.sends:
                value = self.params.get(field.sends) or ''
            elif field.to_api:
                value = field.to_api(value)
            for key in field.api:
                body[key] = value
        return body

    def view(self, obj):
        """The object as returned to the user: its fields that are known, never a secret."""
        if not obj:
            return {}
        return dict((field.name, obj[field.name]) for field in self.fields if field.name in obj)

    def predict_created(self, scope, desired):
        return dict((k, v) for k, v in desired.items() if v is not None)

    def predict_updated(self, current, changes):
        obj = copy.deepcopy(current)
        obj.update(changes)
        for field in self.fields:
            if field.partial and isinstance(current.get(field.name), dict) and isinstance(changes.get(field.name), dict):
                obj[field.name] = dict(current[field.name], **changes[field.name])
        return obj

    # -- the pattern ----------------------------------------------------------------------

    def run(self):
        self.inputs = self.check() or {}
        parts = self.carried()
        scope = self.scope()
        current = self.find(scope)
        if self.params.get('state', 'present') == 'absent':
            after = None
            if not self.gone(current):
                after = self.removed(current)
                if not self.check_mode:
                    self.delete(scope, current)
                self.result['changed'] = True
            self.report(current, after)
            return
        desired = self.desired()
        if current is None:
            try:
                after = self.predict_created(scope, desired) if self.check_mode else self.created(scope, desired)
                self.result['changed'] = True
            except Taken as taken:
                current = taken.found  # the name was taken: the object found is compared like one that was there
        if current is not None:
            changes = self.compare(current, desired)
            after = self.apply_changes(scope, current, desired, changes) if changes else current
        self.report(current, after)
        for part in parts:
            self.carry(part, current, after)

    def apply_changes(self, scope, current, desired, changes):
        """The object after ``changes`` are made as ``on_change`` says (predicted in check mode)."""
        if self.on_change == 'keep':
            self.warn('%s %r: CircleCI cannot update a %s, so it is left as it is: %s.%s' % (
                self.key, self.wanted_identity(), self.key,
                '; '.join('%s is %r, the task asks for %r' % (k, current.get(k), v) for k, v in sorted(changes.items())),
                self.keep_hint))
            return current
        # ``changed`` is set once the write is done: a refused one is no change (a lost answer
        # counts through the client's record of it).
        if self.on_change == 'replace':
            # No update route: the new object first, then the old one goes, so the scope never lacks it.
            wanted = dict((field.name, current.get(field.name)) for field in self.fields if field.option)
            wanted.update((k, v) for k, v in desired.items() if v is not None)
            if self.check_mode:
                after = self.predict_created(scope, wanted)
            else:
                after = self.created(scope, wanted)
                self.delete(scope, current)
        else:
            after = self.predict_updated(current, changes) if self.check_mode else self.updated(scope, current, changes)
        self.result['changed'] = True
        return after

    def carried(self):
        """The item sets asked for, each checked (before any request)."""
        parts = []
        for part_class in self.carries:
            if self.params.get(part_class.option) is None:
                continue
            if self.params.get('state') == 'absent':
                raise CircleCIInputError(part_class.option, 'is only used with state=present')
            part = part_class(self.client, self.params, self.check_mode, {'changed': False}, progress=self.progress,
                              sleep=self.sleep, clock=self.clock)
            part.inputs = part.check() or {}
            parts.append(part)
        return parts

    def carry(self, part, before, after):
        """Run an item set the object holds, with the object as its scope; its result joins the object's."""
        try:
            part.run_in(after)
        finally:
            self.result['changed'] = self.result['changed'] or part.result.get('changed', False)
            self.warnings.extend(part.warnings)
            self.result[self.key][part.field] = part.result.get(part.field)
            diff = part.result.get('diff') or {}
            for side, obj in (('before', before), ('after', after)):
                if obj and side in diff:
                    self.result['diff'][side][part.field] = diff[side]

    def created(self, scope, desired):
        """Create the object; after a lost answer, adopt it if the scope now holds it, never send it again."""
        expected = dict((k, v) for k, v in desired.items() if v is not None)
        try:
            answer = self.create(scope, self.body(desired))
        except CircleCIError as exc:
            if exc.status in self.taken:
                raise Taken(self.adopt_taken(scope, exc))
            if not exc.maybe_applied:
                raise
            self.result['changed'] = True
            found = self.find(scope)
            if found is None:
                raise exc.with_message(exc.message + LOST_CREATE % self.key)
            self.warn('%s: the answer was lost, but the %s %r is there now (id %s): adopted, not created again'
                      % (exc, self.key, self.wanted_identity(), found.get('id')))
            return self.verified(scope, found, expected) if self.verify == 'read' else found
        return self.verified(scope, self.normalise(answer), expected)

    def adopt_taken(self, scope, exc):
        """The object a create refused as taken (``exc``), found again; it must be there now."""
        found = self.find(scope)
        if found is None:
            raise exc.with_message('%s (CircleCI says the %s %r exists, yet it is not found %s)'
                                   % (exc.message, self.key, self.wanted_identity(), self.where))
        self.warn('%s: the %s %r exists already (id %s): adopted, nothing was created'
                  % (exc, self.key, self.wanted_identity(), found.get('id')))
        return found

    def updated(self, scope, current, changes):
        answer = self.update(scope, current, self.body(changes))
        obj = self.normalise(answer) if answer else self.predict_updated(current, changes)
        return self.verified(scope, dict(obj, id=obj.get('id') or current.get('id')), changes)

    def verified(self, scope, obj, expected):
        """With ``verify``, fail when CircleCI did not keep what the last write sent."""
        if not self.verify:
            return obj
        write = '%s %s' % self.client.writes[-1][:2]
        if self.verify == 'read':
            if not obj.get('id'):
                raise CircleCIStateError('%s answered no %s id; the %s may have been created: check before running again'
                                         % (write, self.key, self.key))
            obj = self.normalise(self.get(scope, obj['id']))
        self.result[self.key] = self.view(obj)
        problems = unkept(self.fields, obj, expected)
        if problems:
            raise CircleCIStateError('%s %r (id %s): CircleCI did not keep what %s sent: %s.%s'
                                     % (self.key, obj.get(self.identity), obj.get('id'), write, '; '.join(problems),
                                        self.unkept_hint()))
        return obj

    def unkept_hint(self):
        return ''

    def report(self, before, after):
        self.result[self.key] = self.view(after)
        self.result['diff'] = dict(before=self.view(before), after=self.view(after))


class Settings(Resource):
    """An object that always exists and is only changed (custom claims, settings): ``read(scope)``
    answers it; present sends the fields that differ through ``update()``; absent resets the
    fields that ``customised(current)`` names through ``delete()``, and sends nothing when it names
    none. Results leave out the fields CircleCI does not answer."""

    identity = None

    def read(self, scope):
        raise NotImplementedError

    def customised(self, current):
        """The names of the fields state=absent resets (those that are set)."""
        return []

    def find(self, scope):
        return self.normalise(self.read(scope))

    def gone(self, current):
        return not self.customised(current)

    def removed(self, current):
        reset = self.customised(current)
        return dict((k, v) for k, v in current.items() if k not in reset)

    def view(self, obj):
        return dict((k, v) for k, v in super(Settings, self).view(obj).items() if v is not None)


def plan_items(current, declared, differs, purge):
    """What to do to a set of items: ``current`` maps each key to what CircleCI shows of the
    item; ``declared`` is a list of (key, desired, state); ``differs(shown, desired)`` answers
    True (write it), False (it is as wanted) or None (CircleCI shows too little to tell).

    Answers (writes, unchanged, unverified): writes a list of (action, key, desired), action
    ``create``, ``update`` or ``delete`` (with desired None), every list sorted by key.
    """
    writes, unchanged, unverified = [], [], []
    for key, desired, state in sorted(declared, key=lambda entry: entry[0]):
        if state == 'absent':
            if key in current:
                writes.append(('delete', key, None))
            else:
                unchanged.append(key)
        elif key not in current:
            writes.append(('create', key, desired))
        else:
            verdict = differs(current[key], desired)
            if verdict is None:
                unverified.append(key)
            elif verdict:
                writes.append(('update', key, desired))
            else:
                unchanged.append(key)
    if purge:
        named = set(entry[0] for entry in declared)
        writes.extend(('delete', key, None) for key in sorted(current) if key not in named)
        writes.sort(key=lambda write: write[1])
    return writes, unchanged, unverified


class ItemSet(Task):
    """A scope holding many items, compared as a whole.

    Declare ``noun`` (what an item is called in messages), ``workers`` (writes in flight at
    once), ``reread`` (list the scope again after writing, when CircleCI may change other
    items on a write) and ``reported`` (which of the lists ``created``, ``updated``,
    ``deleted``, ``unchanged`` and ``unverified`` the result carries: keys, in the plan's
    order, so a failure half-way still says what was done). Implement ``scope()``,
    ``read(scope)`` (the current items: an ordered dict key -> item), ``write(scope, action,
    key, desired, item)`` (one create, update or delete; answers the item after it, None for a
    delete), ``predict(scope, action, key, desired, item)`` and ``report(before, after)``; and
    either ``check()`` answering ``declared`` (a list of (key, desired, state)) with
    ``differs(item, desired)`` (see plan_items), or ``plan(current)`` itself.
    """

    noun = 'item'
    workers = 1
    reread = False
    # What a failure says when a write that is never repeated (a create POST) lost its answer.
    lost_hint = ''

    reported = ('created', 'updated', 'deleted', 'unchanged', 'unverified')
    # Carried by a Resource (see Resource.carries): the option that asks for the set, and the key
    # of the object's result that holds what report() puts under that same key.
    option = None
    field = None

    def scope(self):
        return None

    def read(self, scope):
        raise NotImplementedError

    def differs(self, item, desired):
        return False

    def plan(self, current):
        """(writes, unchanged, unverified), as plan_items answers them. Reads only."""
        return plan_items(current, self.inputs['declared'], self.differs, self.params.get('purge'))

    def write(self, scope, action, key, desired, item):
        raise NotImplementedError

    def predict(self, scope, action, key, desired, item):
        return None if action == 'delete' else desired

    def report(self, before, after):
        raise NotImplementedError

    def run(self):
        self.inputs = self.check() or {}
        self.run_in(self.scope())

    def run_in(self, scope):
        """Plan and apply the set in ``scope`` (``self.inputs`` already checked)."""
        before = self.read(scope)
        after = dict(before)
        writes, unchanged, unverified = self.plan(before)
        done = {'created': [], 'updated': [], 'deleted': [], 'unchanged': unchanged, 'unverified': unverified}
        self.result.update((name, done[name]) for name in self.reported)
        try:
            self.apply(scope, writes, before, after, done)
        finally:
            order = dict((write[1], index) for index, write in enumerate(writes))
            for name in self.reported:
                self.result[name] = sorted(done[name], key=lambda key: order.get(key, -1))
            if self.reread and self.result['changed'] and not self.check_mode:
                after = self.read(scope)
            self.report(before, after)

    def apply(self, scope, writes, before, after, done):
        """Creates, then updates, then deletes, each phase ``workers`` at a time; after a failure
        nothing more is started, and the writes that completed are reported."""
        if not writes:
            return
        lock = threading.Lock()
        failed = []

        def record(action, key, item):
            with lock:
                done[action + 'd'].append(key)
                self.result['changed'] = True
                if action == 'delete':
                    after.pop(key, None)
                else:
                    after[key] = item

        if self.check_mode:
            for action, key, desired in writes:
                record(action, key, self.predict(scope, action, key, desired, before.get(key)))
            return

        def work(write):
            action, key, desired = write
            if failed:
                return False
            try:
                item = self.write(scope, action, key, desired, before.get(key))
            except Exception as exc:  # pylint: disable=broad-except
                # Stop starting writes, but let those in flight finish, and report each.
                failed.append((key, exc))
                if isinstance(exc, CircleCIError) and exc.maybe_applied and exc.method == 'POST':
                    with lock:
                        self.result['changed'] = True
                return True
            record(action, key, item)
            return True

        started = 0
        for phase in ('create', 'update', 'delete'):
            batch = [w for w in writes if w[0] == phase]
            if not batch or failed:
                continue
            if self.workers > 1 and len(batch) > 1:
                with concurrent.futures.ThreadPoolExecutor(max_workers=min(self.workers, len(batch))) as pool:
                    started += sum(pool.map(work, batch))
            else:
                started += sum(work(w) for w in batch)
        if failed:
            self.failure(failed, len(writes) - started, sum(len(done[name]) for name in ('created', 'updated', 'deleted')))

    def failure(self, failed, not_started, completed):
        key, first = failed[0]
        detail = ['writing %s %s failed' % (self.noun, key)]
        if len(failed) > 1:
            detail.append('so did %s' % ', '.join('%s (%s)' % (k, exc) for k, exc in failed[1:]))
        lists = [name for name in ('created', 'updated', 'deleted') if name in self.reported]
        listed = ', listed in %s' % ' and '.join(([', '.join(lists[:-1])] if lists[:-1] else []) + lists[-1:]) if lists else ''
        detail.append('%d write(s) completed%s' % (completed, listed))
        if not_started:
            detail.append('%d not started' % not_started)
        suffix = ' [%s]' % '; '.join(detail)
        if isinstance(first, CircleCIError):
            hint = self.lost_hint if first.maybe_applied and first.method == 'POST' else ''
            raise first.with_message(first.message + hint + suffix)
        # Anything else keeps its type and traceback; the suffix goes with it.
        first.args = ('%s%s' % (first.args[0] if first.args else first, suffix),) + tuple(first.args[1:])
        raise first
