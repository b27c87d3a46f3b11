# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sphinx configuration of the documentation site; scripts/build-docs.sh builds it.
# Started from "antsibull-docs sphinx-init --use-current --dest-dir docs/docsite community.circleci".

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import os

project = 'community.circleci'
copyright = 'community.circleci contributors'  # pylint: disable=redefined-builtin

title = 'community.circleci documentation'
html_short_title = 'community.circleci'

extensions = ['sphinx.ext.autodoc', 'sphinx.ext.intersphinx', 'sphinx_antsibull_ext']

pygments_style = 'ansible'

highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False

display_version = False

html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = 'any'

nitpicky = True

# Offline (the default of scripts/build-docs.sh) there are no inventories to resolve links into
# docs.ansible.com, so the labels the generated pages take from there are not errors; every
# other reference is still checked by -W. DOCS_ONLINE=1 links them through intersphinx.
if os.environ.get('DOCS_ONLINE') == '1':
    intersphinx_mapping = {
        'python3': ('https://docs.python.org/3/', None),
        'jinja2': ('https://jinja.palletsprojects.com/', None),
        'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', None),
    }
else:
    intersphinx_mapping = {}
    nitpick_ignore_regex = [
        ('std:ref', r'(common_return_values|action_plugins|ansible_configuration_settings'
                    r'|ansible_collections\.ansible\.builtin\..*|module_defaults|playbooks_.*)'),
    ]
