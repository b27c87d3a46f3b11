# Stand-in for the get-pip.py bootstrap script that ansible-test downloads.
#
# ansible-test (sanity, --venv) creates virtual environments without pip and then runs a
# "get-pip.py" it downloads from a host that this machine cannot reach. It first looks for a
# cached copy at ~/.ansible/test/cache/get_pip_<version>.py; scripts/test.sh copies this file
# there, in the HOME it gives its stages. It is run as __main__ with the target venv's interpreter and get-pip.py's
# arguments, e.g. ``--disable-pip-version-check pip==24.2 --no-setuptools --no-wheel``.
#
# ensurepip runs in a subprocess on purpose: in-process it sets PIP_CONFIG_FILE=/dev/null, which
# drops the machine's pip settings (certificates, local wheel mirrors).
"""Bootstrap pip into the current interpreter with ensurepip, then install the requested pip."""

from __future__ import annotations

import subprocess
import sys

# get-pip.py options that "pip install" does not understand.
DROPPED = {'--no-setuptools', '--no-wheel', '--no-pip'}


def run(command: list[str]) -> int:
    """Run a command quietly; show its output only when it fails."""
    result = subprocess.run(command, check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        sys.stderr.write('get_pip shim: %s failed with exit code %d\n' % (' '.join(command), result.returncode))
    return result.returncode


def main() -> int:
    """Install pip with ensurepip, then install the packages get-pip.py was asked for."""
    args = [arg for arg in sys.argv[1:] if arg not in DROPPED]

    returncode = run([sys.executable, '-m', 'ensurepip', '--upgrade'])
    if returncode != 0:
        return returncode

    if not [arg for arg in args if not arg.startswith('-')]:
        return 0

    return run([sys.executable, '-m', 'pip', 'install', '--quiet'] + args)


if __name__ == '__main__':
    sys.exit(main())
