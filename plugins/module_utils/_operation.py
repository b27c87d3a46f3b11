# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The base of every module that does something rather than keep something: trigger, continue,
approve, cancel, rerun, roll back, export. One way to plan, act (never in check mode), wait and
report; check mode is decided here and nowhere else."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

from ansible_collections.community.circleci.plugins.module_utils._errors import CircleCIError
from ansible_collections.community.circleci.plugins.module_utils._task import Task
from ansible_collections.community.circleci.plugins.module_utils._wait import Watch


class Operation(Task):
    """Implement ``find()`` (the object acted on, read: may be None), ``plan(target)`` (reads
    only; answers ``(changes, diff)``: whether acting changes anything, and the diff to show or
    None), ``act(target)`` (the write: never called in check mode; answers what ``done()``
    needs) and ``done(outcome)`` (report, wait). ``preview(target)`` runs instead of ``act`` in
    check mode (reads only). ``lost_hint``: what the failure says when the write's answer was
    lost: what may have happened and how to check. The write is never sent twice.
    ``applied(outcome)``: whether the write's answer says CircleCI did it (default yes); an
    answer that says it did nothing (pipeline/run's 200 ``{message}``) is no change, and a
    failure after it (in ``done``) is not reported as one either."""

    lost_hint = ''

    def __init__(self, *args, **kwargs):
        super(Operation, self).__init__(*args, **kwargs)
        self.watch = Watch(self.client, self.progress, sleep=self.sleep, clock=self.clock)

    def find(self):
        return None

    def plan(self, target):
        return True, None

    def preview(self, target):
        """Check mode: what can be known without acting (reads only)."""

    def act(self, target):
        raise NotImplementedError

    def applied(self, outcome):
        """Whether the answer to the write (``outcome``) says that CircleCI did it."""
        return True

    def done(self, outcome):
        """After a successful act: report, and wait when asked."""

    def unchanged(self, target):
        """Nothing to do (outside check mode): still wait when asked, e.g. for an approval someone already gave."""

    def run(self):
        self.inputs = self.check() or {}
        target = self.find()
        changes, diff = self.plan(target)
        if diff is not None:
            self.result['diff'] = diff
        if not changes:
            if not self.check_mode:
                self.unchanged(target)
            return
        if self.check_mode:
            self.result['changed'] = True
            self.preview(target)
            return
        try:
            outcome = self.act(target)
        except CircleCIError as exc:
            if not exc.maybe_applied:
                raise
            self.result['changed'] = True
            raise exc.with_message((exc.message or 'no answer') + self.lost_hint) if self.lost_hint else exc
        self.result['changed'] = self.applied(outcome)
        if not self.result['changed']:
            self.client.nothing_done()
        self.done(outcome)
