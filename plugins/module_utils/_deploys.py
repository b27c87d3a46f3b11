# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deploys and usage: roll a component back (circleci_rollback) and export an organisation's
usage into files (circleci_usage_export).

Here because the action plugins of the same names run them too (on the controller, so that
waiting and downloading show progress at ``-v``).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import datetime
import os
import zlib

from urllib.parse import parse_qsl, unquote, urlsplit

from ansible_collections.community.circleci.plugins.module_utils._client import (
    CircleCIClient,
    _excerpt,
    quote_segment,
    requests,
)
from ansible_collections.community.circleci.plugins.module_utils._errors import (
    MASK,
    CircleCIError,
    CircleCIInputError,
    CircleCIStateError,
)
from ansible_collections.community.circleci.plugins.module_utils._operation import Operation
from ansible_collections.community.circleci.plugins.module_utils._resolve import org_id_of, project_id_of
from ansible_collections.community.circleci.plugins.module_utils._validation import (
    check_org_slug,
    check_pipeline_parameters,
    check_project_slug,
    check_text,
    check_uuid,
    check_window,
)
from ansible_collections.community.circleci.plugins.module_utils._wait import (
    check_wait,
    pipeline_view,
    wait_argument_spec,
    wait_for_pipeline,
)

# CircleCI's usage API: "10 times per minute per org" for status reads, so polls come at least
# six seconds apart whatever poll_interval says; a window of at most 31 days, at most a year back.
USAGE_MIN_POLL = 6.0
USAGE_MAX_DAYS = 31
USAGE_MAX_AGE_DAYS = 365
USAGE_FINISHED = ('completed', 'failed')
CHUNK = 64 * 1024
GZIP_MAGIC = b'\x1f\x8b'


class Rollback(Operation):
    """Roll a deploy component back to an earlier version in one environment, and optionally wait
    for the rollback's pipeline."""

    argument_spec = dict(
        project_slug=dict(type='str'),
        project_id=dict(type='str'),
        component_name=dict(type='str', required=True),
        environment_name=dict(type='str', required=True),
        current_version=dict(type='str', required=True),
        target_version=dict(type='str', required=True),
        namespace=dict(type='str'),
        reason=dict(type='str'),
        parameters=dict(type='dict'),
        **wait_argument_spec()
    )
    rules = dict(mutually_exclusive=[('project_slug', 'project_id')], required_one_of=[('project_slug', 'project_id')])
    lost_hint = ('. CircleCI may have started the rollback all the same; it was not sent again, so as not to roll back '
                 'twice. Look at the project\'s latest pipelines and the component\'s versions (circleci_info query '
                 'deploy_component_versions) before running this task again.')
    BODY = ('component_name', 'environment_name', 'current_version', 'target_version', 'namespace', 'reason', 'parameters')

    def check(self):
        params = self.params
        if params['project_slug'] is not None:
            check_project_slug(params['project_slug'])
        else:
            check_uuid(params['project_id'], 'project_id')
        for option in ('component_name', 'environment_name', 'current_version', 'target_version'):
            check_text(params[option], option)
        for option in ('namespace', 'reason'):
            if params[option] is not None:
                check_text(params[option], option)
        if params['current_version'] == params['target_version']:
            raise CircleCIInputError('target_version', '%r is current_version: there is nothing to roll back' % params['target_version'])
        check_pipeline_parameters(params['parameters'])
        check_wait(params)
        return {}

    def find(self):
        """The project's id, which the route takes (one read when named by its slug)."""
        return project_id_of(self.client, self.params['project_slug'], self.params['project_id'])

    def plan(self, target):
        params = self.params
        self.result['rollback'] = {'id': None, 'rollback_type': None}
        where = {'component': params['component_name'], 'environment': params['environment_name']}
        return True, {'before': dict(where, version=params['current_version']), 'after': dict(where, version=params['target_version'])}

    def act(self, target):
        body = dict((key, self.params[key]) for key in self.BODY if self.params[key] is not None)
        # The client sends a POST again only after a 429; never add a retry around this call.
        return self.client.post('/projects/%s/rollback' % quote_segment(target), body=body)

    def done(self, outcome):
        params = self.params
        rollback = {'id': (outcome or {}).get('id'), 'rollback_type': (outcome or {}).get('rollback_type')}
        self.result['rollback'] = rollback
        label = 'rollback of %s in %s' % (params['component_name'], params['environment_name'])
        self.watch.note(('rollback', rollback['id']), label, 'from %s to %s started (%s %s)' % (
            params['current_version'], params['target_version'], rollback['rollback_type'], rollback['id']))
        self.result['progress'] = list(self.watch.lines)
        if not params['wait']:
            return
        if str(rollback['rollback_type'] or '').lower() != 'pipeline' or not rollback['id']:
            self.warn('wait: the rollback is of type %s, not a pipeline; CircleCI gives no way to follow it, so it was '
                      'not waited for' % rollback['rollback_type'])
            return
        pipeline = {'id': rollback['id'], 'project_slug': params['project_slug']}
        try:
            # For the progress lines' label (project and number); the wait reads it again anyway.
            pipeline = dict(pipeline, **pipeline_view(self.client.get('/pipeline/%s' % quote_segment(rollback['id']))))
        except CircleCIError as exc:
            # CircleCI may answer 404 for a pipeline it has just created; the wait allows for that.
            if not exc.not_found:
                raise
        wait_for_pipeline(self.watch, pipeline, params, self.result)


class UsageExport(Operation):
    """Export an organisation's usage for a window, wait for the export politely, and download
    its files (gzip CSV) into a directory, decompressed."""

    argument_spec = dict(
        org_slug=dict(type='str'),
        org_id=dict(type='str'),
        start=dict(type='str', required=True),
        end=dict(type='str', required=True),
        shared_org_ids=dict(type='list', elements='str'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='float', default=1800),
        poll_interval=dict(type='float', default=10),
        dest=dict(type='path'),
        return_download_urls=dict(type='bool', default=False),
    )
    rules = dict(mutually_exclusive=[('org_slug', 'org_id')], required_one_of=[('org_slug', 'org_id')])
    lost_hint = ('. CircleCI may have created the export all the same; it was not sent again (CircleCI allows 10 exports '
                 'an hour per organization, and an export cannot be canceled).')

    @staticmethod
    def now():
        """The present, in UTC (a method, so that a test can move it)."""
        return datetime.datetime.now(datetime.timezone.utc)

    def check(self):
        params = self.params
        if params['org_slug'] is not None:
            check_org_slug(params['org_slug'])
        else:
            check_uuid(params['org_id'], 'org_id')
        check_window(params['start'], params['end'], self.now(), USAGE_MAX_DAYS, USAGE_MAX_AGE_DAYS)
        shared = None
        if params['shared_org_ids'] is not None:
            shared = [check_uuid(value, 'shared_org_ids') for value in params['shared_org_ids']]
        check_wait(params)
        interval = params['poll_interval']
        if interval < USAGE_MIN_POLL:
            self.warn('poll_interval: %gs raised to %gs: CircleCI allows 10 reads of an export\'s status a minute'
                      % (interval, USAGE_MIN_POLL))
            interval = USAGE_MIN_POLL
        dest = None
        if params['dest'] is not None:
            if not params['wait']:
                raise CircleCIInputError('dest', 'needs wait=true: the files exist only once the export has completed')
            dest = os.path.abspath(params['dest'])
            if os.path.exists(dest) and not os.path.isdir(dest):
                raise CircleCIInputError('dest', '%s exists and is not a directory' % dest)
        if params['return_download_urls'] and not params['wait']:
            raise CircleCIInputError('return_download_urls', 'needs wait=true: an export has download URLs only once it has completed')
        return {'interval': interval, 'dest': dest, 'shared': shared}

    def find(self):
        """The organisation's id, which the routes take (one read when named by its slug)."""
        return org_id_of(self.client, self.params['org_slug'], self.params['org_id'])

    def plan(self, target):
        self.result['usage_export'] = {'id': None, 'state': None, 'start': self.params['start'], 'end': self.params['end']}
        return True, None

    def preview(self, target):
        if self.inputs['dest']:
            self.result['files'] = []

    def act(self, target):
        dest = self.inputs['dest']
        if dest:
            # Before the export: a directory that cannot be made fails the task with nothing done.
            try:
                os.makedirs(dest, exist_ok=True)
            except OSError as exc:
                raise CircleCIStateError('dest: cannot create %s: %s' % (dest, exc.strerror or exc))
        body = {'start': self.params['start'], 'end': self.params['end']}
        if self.inputs['shared'] is not None:
            body['shared_org_ids'] = self.inputs['shared']
        self.org_id = target
        # Never sent again after a lost answer (Operation): each POST is a new export job.
        return self.client.post('/organizations/%s/usage_export_job' % quote_segment(target), body=body)

    def done(self, outcome):
        params = self.params
        answer = outcome or {}
        export = {'id': answer.get('usage_export_job_id'), 'state': answer.get('state'),
                  'start': answer.get('start') or params['start'], 'end': answer.get('end') or params['end']}
        self.result['usage_export'] = export
        label = 'usage export %s' % export['id']
        self.watch.note(('export', export['id']), label, 'created for %s to %s' % (export['start'], export['end']))
        self.result['progress'] = list(self.watch.lines)
        if not params['wait']:
            return
        path = '/organizations/%s/usage_export_job/%s' % (quote_segment(self.org_id), quote_segment(export['id']))

        def poll():
            status = self.client.get(path)
            self.watch.note(('export', export['id']), label, status.get('state'))
            return status

        status, finished = self.watch.until(poll, lambda s: s.get('state') in USAGE_FINISHED, params['wait_timeout'],
                                            self.inputs['interval'])
        export['state'] = status.get('state')
        self.result['progress'] = list(self.watch.lines)
        if not finished:
            raise CircleCIStateError(
                'wait_timeout: %s (from %s to %s) is still %s after %gs. It goes on at CircleCI (an export cannot be '
                'canceled); read it later with community.circleci.circleci_info, query usage_export, usage_export_id %s.'
                % (label, export['start'], export['end'], export['state'], params['wait_timeout'], export['id']))
        if export['state'] == 'failed':
            export['error_reason'] = status.get('error_reason')
            raise CircleCIStateError('%s (from %s to %s) failed: %s' % (label, export['start'], export['end'],
                                                                        status.get('error_reason') or 'CircleCI gave no reason'))
        urls = list(status.get('download_urls') or [])
        if params['return_download_urls']:
            export['download_urls'] = urls
        if self.inputs['dest']:
            self.result['files'] = []
        if not urls:
            self.warn('%s completed without files: the window from %s to %s held no usage' % (label, export['start'], export['end']))
            return
        if self.inputs['dest']:
            for name, url in zip(file_names(urls), urls):
                path_to = os.path.join(self.inputs['dest'], name)
                size, lines = download(url, path_to, self.client)
                self.result['files'].append(path_to)
                self.watch.note(('file', name), label, 'downloaded %s (%d bytes, %d lines)' % (path_to, size, lines))
                self.result['progress'] = list(self.watch.lines)


# -- downloads -------------------------------------------------------------------------------

def file_names(urls):
    """The file name of each download URL, without ``.gz``, made unique; never a path."""
    names = []
    for index, url in enumerate(urls, 1):
        name = os.path.basename(unquote(urlsplit(url).path))
        if name.endswith('.gz'):
            name = name[:-3]
        if name in ('', '.', '..'):
            name = 'usage-%03d.csv' % index
        stem, ext = os.path.splitext(name)
        while name in names:
            name = '%s-%d%s' % (stem, index, ext)
            stem, ext = os.path.splitext(name)
        names.append(name)
    return names


def hide_url(text, url):
    """``text`` with the signed parts of ``url`` (its query string and each long value in it) masked."""
    query = urlsplit(url).query
    secrets = [query] + [value for dummy, value in parse_qsl(query) if len(value) >= 8]
    for secret in sorted(set(s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def decompress(chunks, out):
    """Write the gzip stream ``chunks`` (members one after another, as gzip allows) to ``out``
    decompressed; a stream that is not gzip (a proxy already decompressed it) is written as it
    is. Answers (bytes written, lines written)."""
    size = lines = 0
    inflater, plain, head = None, None, b''
    for chunk in chunks:
        if plain is None:
            # Decide on the first two bytes, however the stream is cut.
            head += chunk
            if len(head) < len(GZIP_MAGIC):
                continue
            plain, chunk, head = not head.startswith(GZIP_MAGIC), head, b''
        while chunk:
            if plain:
                data, chunk = chunk, b''
            else:
                if inflater is None:
                    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                data = inflater.decompress(chunk)
                chunk = b''
                if inflater.eof:
                    chunk, inflater = inflater.unused_data, None
            out.write(data)
            size += len(data)
            lines += data.count(b'\n')
    if head:
        out.write(head)
        size, lines = len(head), head.count(b'\n')
    if inflater is not None:
        raise ValueError('the gzip stream ended early')
    return size, lines


def download(url, path, client):
    """Download one signed URL into ``path``, decompressed. A plain request: the session's headers
    (and so the Circle-Token) never go with it, since the URL points at another host and is signed
    itself; ``validate_certs`` and ``timeout`` are the client's. Answers (bytes, lines); no
    message ever shows the URL's signature."""
    name = os.path.basename(path)
    try:
        response = requests.get(url, stream=True, timeout=client.timeout, verify=client.validate_certs,
                                headers={'User-Agent': CircleCIClient.user_agent})
    except requests.exceptions.RequestException as exc:
        raise CircleCIStateError('download of %s failed: %s' % (name, hide_url('%s: %s' % (type(exc).__name__, exc), url)))
    part = path + '.part'
    try:
        if response.status_code != 200:
            raise CircleCIStateError('download of %s failed: %d %s: %s' % (
                name, response.status_code, response.reason or '', hide_url(_excerpt(response.text), url)))
        with open(part, 'wb') as out:
            size, lines = decompress(response.raw.stream(CHUNK, decode_content=False), out)
        os.replace(part, path)
    except CircleCIStateError:
        raise
    except (ValueError, zlib.error) as exc:
        raise CircleCIStateError('download of %s: the file is not valid gzip: %s' % (name, exc))
    except requests.exceptions.RequestException as exc:
        # Before OSError: requests' errors are IOErrors too.
        raise CircleCIStateError('download of %s failed while reading: %s' % (name, hide_url('%s' % exc, url)))
    except OSError as exc:
        raise CircleCIStateError('download of %s: cannot write %s: %s' % (name, part, exc.strerror or exc))
    except Exception as exc:  # pylint: disable=broad-except
        # urllib3's own errors (a connection lost mid-stream) are not requests'.
        raise CircleCIStateError('download of %s failed while reading: %s' % (name, hide_url('%s: %s' % (type(exc).__name__, exc), url)))
    finally:
        response.close()
        if os.path.exists(part):
            os.remove(part)
    return size, lines
