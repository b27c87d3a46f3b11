# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import pytest

from ansible_collections.community.circleci.plugins.module_utils._validation import (
    CircleCIInputError,
    check_envvar_name,
    check_org_slug,
    check_project_slug,
    check_owner,
    check_uuid,
)


@pytest.mark.parametrize('slug', ['gh/acme/api', 'bb/acme/api', 'github/Acme-Co/my.repo',
                                  'circleci/5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e/0a6f1c2b-43b9-4f7e-9d55-5e8f2c1a3d4e'])
def test_project_slug_good(slug):
    assert check_project_slug(slug) == slug


@pytest.mark.parametrize('slug', ['', 'acme/api', 'gh/acme/api/extra', 'gh//api', 'gh/acme/', '/acme/api',
                                  'gh/ac me/api', 'gh%2Facme%2Fapi', None, 7])
def test_project_slug_bad(slug):
    with pytest.raises(CircleCIInputError) as info:
        check_project_slug(slug)
    assert str(info.value).startswith('project_slug: ')
    assert 'vcs/org/repo' in str(info.value)


def test_option_name_is_reported():
    with pytest.raises(CircleCIInputError, match='^terms: '):
        check_project_slug('nope', option='terms')


@pytest.mark.parametrize('slug, ok', [('gh/acme', True), ('circleci/5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e', True),
                                      ('acme', False), ('gh/acme/api', False), ('gh/', False)])
def test_org_slug(slug, ok):
    if ok:
        assert check_org_slug(slug) == slug
    else:
        with pytest.raises(CircleCIInputError, match='^org_slug: '):
            check_org_slug(slug)


def test_uuid_normalised_to_lower_case():
    assert check_uuid('5E8F2C1A-43B9-4F7E-9D55-0A6F1C2B3D4E', 'x') == '5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e'


@pytest.mark.parametrize('value', ['', 'nope', '5e8f2c1a43b94f7e9d550a6f1c2b3d4e', '5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4', None])
def test_uuid_bad(value):
    with pytest.raises(CircleCIInputError, match='^owner_id: .* is not a UUID'):
        check_uuid(value, 'owner_id')


@pytest.mark.parametrize('name, ok', [('FOO', True), ('_x1', True), ('a', True), ('1A', False), ('A-B', False),
                                      ('A B', False), ('', False), ('ÄB', False)])
def test_envvar_name(name, ok):
    if ok:
        assert check_envvar_name(name) == name
    else:
        with pytest.raises(CircleCIInputError, match=r'^name: .*\[A-Za-z_\]\[A-Za-z0-9_\]\*'):
            check_envvar_name(name)


def test_owner_params():
    assert check_owner('gh/acme') == {'owner-slug': 'gh/acme', 'owner-type': 'organization'}
    assert check_owner(owner_id='5E8F2C1A-43B9-4F7E-9D55-0A6F1C2B3D4E', owner_type='account') == {
        'owner-id': '5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e', 'owner-type': 'account'}
    assert check_owner(required=False) is None
    with pytest.raises(CircleCIInputError, match='^owner_slug: give owner_slug or owner_id, not both'):
        check_owner('gh/acme', '5e8f2c1a-43b9-4f7e-9d55-0a6f1c2b3d4e')
    with pytest.raises(CircleCIInputError, match='^owner_slug: an account owner must be named by owner_id'):
        check_owner('gh/acme', owner_type='account')
    with pytest.raises(CircleCIInputError, match="^owner_type: 'team' is not one of"):
        check_owner('gh/acme', owner_type='team')
