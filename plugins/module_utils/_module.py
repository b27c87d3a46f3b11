# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module shares: the connection options, the client, error handling, and the
find -> compare -> create/update/delete pattern with check mode and diff handled once."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import copy
import traceback

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.community.circleci.plugins.module_utils._client import (
    DEFAULT_API_URL,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    CircleCIClient,
    CircleCIError,
    CircleCIStateError,
)
from ansible_collections.community.circleci.plugins.module_utils._validation import CircleCIInputError


def connection_argument_spec():
    """The connection options of plugins/doc_fragments/connection.py, as an argument spec."""
    return dict(
        api_token=dict(type='str', required=True, no_log=True,
                       fallback=(env_fallback, ['CIRCLECI_TOKEN', 'CIRCLE_TOKEN'])),
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['CIRCLECI_API_URL'])),
        validate_certs=dict(type='bool', default=True),
        timeout=dict(type='float', default=30),
        max_retries=dict(type='int', default=5),
    )


def client_from_options(get_option, log=None):
    """Build the client from any source of the connection options (module params or a plugin's get_option)."""
    return CircleCIClient(
        api_token=get_option('api_token'),
        api_url=get_option('api_url') or DEFAULT_API_URL,
        validate_certs=get_option('validate_certs'),
        timeout=get_option('timeout'),
        max_retries=get_option('max_retries'),
        log=log,
    )


class CircleCIModule:
    """An AnsibleModule with the connection options, the client, and one way to fail.

    ``self.result`` collects what the module has done so far; a failure reports it too, so a
    change that stops half-way hides nothing.
    """

    def __init__(self, argument_spec, supports_check_mode=True, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec)
        self.ansible = AnsibleModule(argument_spec=spec, supports_check_mode=supports_check_mode, **kwargs)
        if not HAS_REQUESTS:
            self.ansible.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        self.params = self.ansible.params
        self.check_mode = self.ansible.check_mode
        self.result = dict(changed=False)
        for option in ('timeout', 'max_retries'):
            if self.params[option] is not None and self.params[option] < 0:
                self.fail('%s: must not be negative' % option)
        self.client = client_from_options(self.params.get, log=self.ansible.debug)

    def fail(self, msg, **extra):
        result = dict(self.result)
        result.update(extra)
        self.ansible.fail_json(msg=msg, **result)

    def run(self, func):
        """Call ``func()`` (which fills ``self.result``) and exit, turning every known error into a clear failure."""
        try:
            func()
        except CircleCIInputError as exc:
            self.fail(str(exc))
        except CircleCIError as exc:
            self.fail(str(exc), status=exc.status)
        except CircleCIStateError as exc:
            self.fail(str(exc))
        except Exception as exc:  # pylint: disable=broad-except
            # Last resort, so that what was already done is still reported.
            self.fail('unexpected error: %s: %s' % (type(exc).__name__, exc), exception=traceback.format_exc())
        self.ansible.exit_json(**self.result)


class Resource:
    """One CircleCI object, found by its identity within a scope, made present or absent.

    Subclasses declare ``key`` (the result key) and implement ``find``; for ``present`` also
    ``desired`` and ``create`` (and ``update`` when the object has updatable fields); for
    ``absent`` ``delete``. ``compare`` and ``view`` may be overridden. Check mode and diff are
    handled here: in check mode no write method is ever called.
    """

    key = None

    def __init__(self, module):
        self.module = module
        self.client = module.client
        self.params = module.params
        self.result = module.result

    # -- to implement ---------------------------------------------------------------------

    def validate(self):
        """Check the input; raise CircleCIInputError. Runs before any request."""

    def find(self):
        raise NotImplementedError

    def desired(self):
        """The managed fields in the API's spelling; a value of None means "not managed"."""
        return {}

    def create(self, desired):
        raise NotImplementedError

    def update(self, current, changes):
        raise NotImplementedError

    def delete(self, current):
        raise NotImplementedError

    def compare(self, current, desired):
        """The fields of ``desired`` whose value differs from ``current``."""
        return dict((k, v) for k, v in desired.items() if v is not None and current.get(k) != v)

    def view(self, obj):
        """The object as returned to the user: never a secret."""
        return copy.deepcopy(obj) if obj else {}

    # -- the pattern ----------------------------------------------------------------------

    def run(self):
        self.validate()
        current = self.find()
        if self.params.get('state', 'present') == 'absent':
            self.absent(current)
        else:
            self.present(current)

    def present(self, current):
        desired = self.desired()
        if current is None:
            self.result['changed'] = True
            obj = self.predict_created(desired) if self.module.check_mode else self.create(desired)
        else:
            changes = self.compare(current, desired)
            if changes:
                self.result['changed'] = True
                obj = self.predict_updated(current, changes) if self.module.check_mode else self.update(current, changes)
            else:
                obj = current
        self._report(current, obj)

    def absent(self, current):
        if current is not None:
            self.result['changed'] = True
            if not self.module.check_mode:
                self.delete(current)
        self._report(current, None)

    def predict_created(self, desired):
        return dict((k, v) for k, v in desired.items() if v is not None)

    def predict_updated(self, current, changes):
        obj = copy.deepcopy(current)
        obj.update(changes)
        return obj

    def _report(self, before, after):
        self.result[self.key] = self.view(after)
        self.result['diff'] = dict(before=self.view(before), after=self.view(after))
