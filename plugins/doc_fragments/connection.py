# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name


class ModuleDocFragment:

    # The connection options of every module and lookup.
    DOCUMENTATION = r'''
options:
  api_token:
    description:
      - A CircleCI personal API token, sent as the C(Circle-Token) header.
      - Project tokens are not accepted by API v2. Creating a user checkout key needs a personal token.
      - For modules, when not set, the environment variable E(CIRCLECI_TOKEN) is used, then E(CIRCLE_TOKEN).
    type: str
    required: true
  api_url:
    description:
      - Base address of the CircleCI service; the client adds C(/api/v2).
      - Set it for CircleCI Server (for example V(https://circleci.example.com)).
      - For modules, when not set, the environment variable E(CIRCLECI_API_URL) is used.
    type: str
    default: https://circleci.com
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate.
      - Set to V(false) only for a server you trust, such as a CircleCI Server with a self-signed certificate.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for each HTTP request (connecting and reading).
    type: float
    default: 30
  max_retries:
    description:
      - How many times one request is sent again after a retryable failure.
      - A 429 answer is retried after the seconds of its C(Retry-After) header, or after an
        exponential backoff with jitter when it has none.
      - Answers 502, 503 and 504 and connection errors are retried for GET, PUT, PATCH and DELETE only.
        A POST is retried on 429 only, since a 5xx may mean it happened (a deploy must never be
        triggered twice).
      - V(0) disables retries.
    type: int
    default: 5
requirements:
  - requests (Python library, on the controller)
notes:
  - "The modules talk to an HTTP API, so they run on the controller (C(delegate_to: localhost) or C(connection: local))."
  - "All modules belong to the action group C(community.circleci.circleci), so one
    C(module_defaults: {group/community.circleci.circleci: {api_token: ...}}) serves a whole play."
'''

    # Extra sources of the connection options for lookup plugins.
    PLUGINS = r'''
options:
  api_token:
    env:
      - name: CIRCLECI_TOKEN
      - name: CIRCLE_TOKEN
    vars:
      - name: circleci_api_token
  api_url:
    env:
      - name: CIRCLECI_API_URL
    vars:
      - name: circleci_api_url
'''
