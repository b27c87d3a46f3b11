#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

DOCUMENTATION = r'''
module: circleci_usage_export
short_description: Export an organization's CircleCI usage and download it as CSV files
version_added: 0.1.0
description:
  - Creates a usage export of an organization (credits and resources per project, pipeline, workflow and job) for a
    window of at most 31 days, waits until CircleCI has made it, and downloads its files into O(dest), decompressed
    (CircleCI serves them as gzip-compressed CSV).
  - The window is checked before any request is sent, as CircleCI checks it (O(end) after O(start), at most 31 days
    apart, neither in the future, and O(start) at most a year back).
  - Waiting is polite whatever O(poll_interval) says. CircleCI allows 10 reads of an export's status a minute per
    organization, so reads are at least 6 seconds apart; a smaller O(poll_interval) is raised to 6 with a warning.
  - Each file downloaded is shown as one line at C(-v), as it happens, as are the export's changes of state; the same
    lines are returned in RV(progress).
  - The download URLs are signed (valid for about 36 hours) and point at a storage service, not at CircleCI. They are
    credentials, so they are never shown, in results, messages or warnings, unless O(return_download_urls=true). The
    downloads do not send the API token (no C(Circle-Token) header) either.
  - An export that completes without files (the window held no usage) is not an error; the task warns and returns
    RV(files=[]). An export that fails fails the task with CircleCI's reason.
  - An export cannot be undone or canceled, so the task always reports a change. Its request is never sent twice;
    after a server error or a lost connection the task fails, saying the export may have been created.
author:
  - community.circleci contributors (@ansible-collections)
options:
  org_slug:
    description:
      - The organization, as C(vcs/org) (V(gh/acme), V(circleci/<org-id>)). Its id is read from the organizations of the
        token's user.
      - Mutually exclusive with O(org_id); one of them is required.
    type: str
  org_id:
    description:
      - The organization's UUID, instead of O(org_slug) (no read needed).
    type: str
  start:
    description:
      - The start of the window, an RFC 3339 date-time such as V(2026-08-01T00:00:00Z). At most a year back.
    type: str
    required: true
  end:
    description:
      - The end of the window, an RFC 3339 date-time after O(start), at most 31 days after it and not in the future.
      - A calendar month of 31 days, from the first of the month to the first of the next, is a valid window.
    type: str
    required: true
  shared_org_ids:
    description:
      - UUIDs of other organizations whose usage to include (organizations that share the plan of O(org_slug)).
    type: list
    elements: str
  wait:
    description:
      - Wait until the export has completed (or failed), then download its files into O(dest) when given.
      - With V(false), the task returns as soon as CircleCI has accepted the export; read it later with
        M(community.circleci.circleci_info) (query V(usage_export)).
    type: bool
    default: true
  wait_timeout:
    description:
      - How long to wait, in seconds. When it runs out, the task fails with the export's id; the export goes on at
        CircleCI.
    type: float
    default: 1800
  poll_interval:
    description:
      - Seconds between two reads of the export's status. Values below 6 are raised to 6, with a warning, so that no
        more than 10 reads a minute are made.
    type: float
    default: 10
  dest:
    description:
      - A directory on the controller to download the export's files into; it is created when missing, and files of the
        same names in it are replaced.
      - Each file is named after its URL's file name without C(.gz), and written decompressed (CSV).
      - Needs O(wait=true). Without O(dest), nothing is downloaded.
    type: path
  return_download_urls:
    description:
      - Return the export's signed download URLs in RV(usage_export.download_urls). They give anyone who holds them the
        organization's usage for about 36 hours; keep them out of logs.
      - Needs O(wait=true).
    type: bool
    default: false
notes:
  - This module has an action plugin of the same name, which runs it on the controller so that progress can be shown
    while waiting and downloading; O(dest) is a path on the controller. It does not support C(async).
  - CircleCI allows 10 usage exports an hour per organization.
extends_documentation_fragment:
  - community.circleci.connection
  - community.circleci.connection.MODULES
  - community.circleci.attributes
attributes:
  check_mode:
    support: full
    details:
      - In check mode no export is created and nothing is downloaded or created on disk. The window is checked; with
        O(org_slug) the organizations of the token's user are read (for the id), with O(org_id) no request is sent.
  diff_mode:
    support: none
  idempotent:
    support: none
    details:
      - Every run creates a new export.
seealso:
  - module: community.circleci.circleci_info
  - name: Usage API
    description: CircleCI's documentation of usage exports and their limits.
    link: https://circleci.com/docs/api/v2/index.html#operation/createUsageExport
'''

EXAMPLES = r'''
- name: Export August's usage into reports/2026-08, decompressed
  community.circleci.circleci_usage_export:
    org_slug: gh/acme
    start: "2026-08-01T00:00:00Z"
    end: "2026-09-01T00:00:00Z"
    dest: reports/2026-08
  register: usage

- name: List the files
  ansible.builtin.debug:
    msg: "{{ usage.files | length }} file(s): {{ usage.files | join(', ') }}"

- name: One week, including a second organization that shares the plan, polled every minute
  community.circleci.circleci_usage_export:
    org_id: 3f2b0a4e-1c6d-4e8f-9a0b-2c4d6e8f0a1b
    shared_org_ids:
      - 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
    start: "2026-09-01T00:00:00Z"
    end: "2026-09-08T00:00:00Z"
    poll_interval: 60
    dest: /var/reports/circleci

- name: Start an export and come back for it later
  community.circleci.circleci_usage_export:
    org_slug: gh/acme
    start: "2026-07-01T00:00:00Z"
    end: "2026-08-01T00:00:00Z"
    wait: false
  register: started

- name: Read its state
  community.circleci.circleci_info:
    query: usage_export
    org_slug: gh/acme
    usage_export_id: "{{ started.usage_export.id }}"
'''

RETURN = r'''
usage_export:
  description: The export.
  returned: always
  type: dict
  contains:
    id:
      description: The export job's id (CircleCI's C(usage_export_job_id)); V(null) in check mode.
      type: str
      sample: 9f4f8a52-9d32-4c55-b5e2-1b0f0c1c2a41
    state:
      description: V(created), V(processing), V(completed) or V(failed); V(null) in check mode.
      type: str
      sample: completed
    start:
      description: The start of the window, as CircleCI normalised it (UTC).
      type: str
      sample: '2026-08-01T00:00:00Z'
    end:
      description: The end of the window, as CircleCI normalised it (UTC).
      type: str
      sample: '2026-09-01T00:00:00Z'
    error_reason:
      description: Why the export failed.
      type: str
      returned: when the export failed
    download_urls:
      description: The signed download URLs (credentials, valid for about 36 hours).
      type: list
      elements: str
      returned: when O(return_download_urls=true) and the export completed
files:
  description:
    - The absolute paths of the files downloaded into O(dest), decompressed, in CircleCI's order.
    - V([]) when the export completed without files, and in check mode.
  returned: when O(dest) is given
  type: list
  elements: str
  sample:
    - /home/finance/reports/2026-08/usage-9f4f8a52-001.csv
progress:
  description: One line per change of the export's state and per file downloaded, in order; the same lines that C(-v) shows.
  returned: when the export was created
  type: list
  elements: str
  sample:
    - 'usage export 9f4f8a52-9d32-4c55-b5e2-1b0f0c1c2a41: created for 2026-08-01T00:00:00Z to 2026-09-01T00:00:00Z'
    - 'usage export 9f4f8a52-9d32-4c55-b5e2-1b0f0c1c2a41: processing'
    - 'usage export 9f4f8a52-9d32-4c55-b5e2-1b0f0c1c2a41: completed'
    - 'usage export 9f4f8a52-9d32-4c55-b5e2-1b0f0c1c2a41: downloaded /home/finance/reports/2026-08/usage-9f4f8a52-001.csv (52133 bytes, 201 lines)'
'''

from ansible_collections.community.circleci.plugins.module_utils._deploys import UsageExport
from ansible_collections.community.circleci.plugins.module_utils._module import run_module


def main():
    run_module(UsageExport)


if __name__ == '__main__':
    main()
