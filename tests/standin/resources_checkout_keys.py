# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Project checkout keys: ``/project/{slug}/checkout-key`` and ``.../checkout-key/{fingerprint}``.

Keys are ``{"public-key", type, fingerprint, preferred, "created-at"}``. Creating with type
``user-key`` yields a key listed as ``github-user-key``. The public keys are well-formed
OpenSSH ``ssh-rsa`` lines over a random modulus (there is no private half at all), and the
fingerprints are the MD5 (default) or SHA256 (``?digest=sha256``) digests of the key blob, as
``ssh-keygen -l`` prints them. Exactly one key of a project is preferred: the newest one.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import base64
import collections
import hashlib
import os
import struct

from server import ApiError, now
from resources_core import project_for  # pylint: disable=import-error

SLUG = r'(?P<slug>[^/]+/[^/]+/[^/]+)'
INPUT_TYPES = {'deploy-key': 'deploy-key', 'user-key': 'github-user-key'}


def _ssh_string(data):
    return struct.pack('>I', len(data)) + data


def new_key(kind, created_at=None):
    # A 2048-bit modulus with its top bit set needs a leading zero byte as an SSH mpint.
    modulus = b'\x00' + bytes([0x80 | os.urandom(1)[0]]) + os.urandom(255)
    blob = _ssh_string(b'ssh-rsa') + _ssh_string(b'\x01\x00\x01') + _ssh_string(modulus)
    md5 = hashlib.md5(blob).hexdigest()
    return {
        'type': kind,
        'public_key': 'ssh-rsa ' + base64.b64encode(blob).decode('ascii'),
        'md5': ':'.join(md5[i:i + 2] for i in range(0, len(md5), 2)),
        'sha256': 'SHA256:' + base64.b64encode(hashlib.sha256(blob).digest()).decode('ascii').rstrip('='),
        'created_at': created_at or now(),
        'preferred': False,
    }


def key_view(key, digest='md5'):
    return {'public-key': key['public_key'], 'type': key['type'], 'fingerprint': key[digest],
            'preferred': key['preferred'], 'created-at': key['created_at']}


def digest_of(req):
    digest = req.arg('digest') or 'md5'
    if digest not in ('md5', 'sha256'):
        raise ApiError(400, 'digest must be md5 or sha256')
    return digest


def keys_of(app, project):
    return app.state.checkout_keys.setdefault(project['id'], [])


def prefer_newest(keys):
    for key in keys:
        key['preferred'] = False
    if keys:
        keys[-1]['preferred'] = True


def find_key(keys, fingerprint):
    for key in keys:
        if fingerprint.lower() == key['md5'] or fingerprint == key['sha256']:
            return key
    raise ApiError(404, 'Checkout key not found')


def reset(app):
    app.state.checkout_keys = collections.OrderedDict()


def register(app):
    app.on_reset(reset)

    @app.route('GET', r'/project/' + SLUG + r'/checkout-key')
    def list_keys(app, req):
        digest = digest_of(req)
        project = project_for(app, req)
        return app.paginate(req, [key_view(k, digest) for k in keys_of(app, project)])

    @app.route('POST', r'/project/' + SLUG + r'/checkout-key')
    def create_key(app, req):
        project = project_for(app, req)
        kind = req.json().get('type')
        if kind not in INPUT_TYPES:
            raise ApiError(400, 'type must be one of deploy-key, user-key')
        keys = keys_of(app, project)
        keys.append(new_key(INPUT_TYPES[kind]))
        prefer_newest(keys)
        return 201, key_view(keys[-1])

    @app.route('GET', r'/project/' + SLUG + r'/checkout-key/(?P<fingerprint>[^/]+)')
    def get_key(app, req):
        digest = digest_of(req)
        project = project_for(app, req)
        return 200, key_view(find_key(keys_of(app, project), req.params['fingerprint']), digest)

    @app.route('DELETE', r'/project/' + SLUG + r'/checkout-key/(?P<fingerprint>[^/]+)')
    def delete_key(app, req):
        project = project_for(app, req)
        keys = keys_of(app, project)
        key = find_key(keys, req.params['fingerprint'])
        keys.remove(key)
        if key['preferred']:
            prefer_newest(keys)
        return 200, {'message': 'ok'}

    def seed_key(app, obj):
        project = app.state.project_by_slug(obj.get('project_slug', 'gh/acme/api'))
        keys = keys_of(app, project)
        kind = INPUT_TYPES.get(obj.get('type', 'deploy-key'), obj.get('type'))
        key = new_key(kind, obj.get('created_at'))
        keys.append(key)
        if obj.get('preferred') is not None:
            # Seeds may set up what the service would not: several or no preferred keys.
            key['preferred'] = bool(obj['preferred'])
        else:
            prefer_newest(keys)
        return key_view(key)

    app.seeders['checkout_keys'] = seed_key

    def dump(app, secrets):  # pylint: disable=unused-argument
        items = []
        for project_id, keys in app.state.checkout_keys.items():
            slug = app.state.projects[project_id]['slug']
            items.extend(dict(key_view(k), project_slug=slug) for k in keys)
        return {'checkout_keys': items}

    app.state_dumpers.append(dump)
