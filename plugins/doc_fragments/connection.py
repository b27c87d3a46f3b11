# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name


class ModuleDocFragment:

    # The connection options that modules and lookups take alike. Every plugin also extends one
    # of MODULES (modules) or PLUGINS (lookups), which add api_token and api_url with the sources
    # that kind of plugin reads them from, and the notes that apply to it.
    DOCUMENTATION = r'''
options:
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
      - Answers 502, 503 and 504 and connection errors are retried for GET, PUT, PATCH and DELETE (and
        for the project variable upsert). A retried DELETE that finds the object gone counts as done.
      - A POST that creates or starts something is retried on 429 only (and when the connection could
        not even be opened), since a 5xx or a lost answer may mean it happened (a deploy must never be
        triggered twice). After such a lost answer, a module that creates an object by name looks for
        it and adopts it, with a warning; the others fail saying what may have happened.
      - V(0) disables retries.
    type: int
    default: 5
requirements:
  - requests (Python library, on the controller)
'''

    # The token and the address as modules take them: a module option (or module_defaults), else
    # the environment.
    MODULES = r'''
options:
  api_token:
    description:
      - A CircleCI personal API token, sent as the C(Circle-Token) header.
      - Project tokens are not accepted by API v2. Creating a user checkout key needs a personal token.
      - When not set, the environment variable E(CIRCLECI_TOKEN) is used, then E(CIRCLE_TOKEN).
    type: str
    required: true
  api_url:
    description:
      - Base address of the CircleCI service; the client adds C(/api/v2).
      - Set it for CircleCI Server (for example V(https://circleci.example.com)).
      - When not set, the environment variable E(CIRCLECI_API_URL) is used.
    type: str
    default: https://circleci.com
notes:
  - "The modules talk to an HTTP API, so they run on the controller (C(delegate_to: localhost) or C(connection: local))."
  - "All modules belong to the action group C(community.circleci.circleci), so one
    C(module_defaults: {group/community.circleci.circleci: {api_token: ...}}) serves a whole play."
'''

    # The token and the address as lookups take them: a term option, else a variable, else the
    # environment (the order in which Ansible resolves a lookup's options).
    PLUGINS = r'''
options:
  api_token:
    description:
      - A CircleCI personal API token, sent as the C(Circle-Token) header.
      - Project tokens are not accepted by API v2.
      - When not given to the lookup (C(api_token=...)), the variable C(circleci_api_token) is used,
        then the environment variable E(CIRCLECI_TOKEN), then E(CIRCLE_TOKEN).
    type: str
    required: true
    env:
      - name: CIRCLECI_TOKEN
      - name: CIRCLE_TOKEN
    vars:
      - name: circleci_api_token
  api_url:
    description:
      - Base address of the CircleCI service; the client adds C(/api/v2).
      - Set it for CircleCI Server (for example V(https://circleci.example.com)).
      - When not given to the lookup (C(api_url=...)), the variable C(circleci_api_url) is used,
        then the environment variable E(CIRCLECI_API_URL).
    type: str
    default: https://circleci.com
    env:
      - name: CIRCLECI_API_URL
    vars:
      - name: circleci_api_url
notes:
  - "Set the connection once for a whole play with the variables C(circleci_api_token) and C(circleci_api_url)
    (play or inventory variables, or extra variables), or with the environment variables."
'''
