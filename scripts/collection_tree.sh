#!/usr/bin/env bash
# Copy the collection's git-visible files into WORKDIR/ansible_collections/community/circleci
# and print that path.
#
# ansible-test only runs from a directory that really is .../ansible_collections/NS/NAME (it
# resolves symlinks), so tests run in such a copy. The copy is made fresh each time: files
# deleted from the work tree disappear from it too. Untracked files count unless gitignored.
#
# Usage: scripts/collection_tree.sh [WORKDIR]
#   WORKDIR defaults to $CIRCLECI_WORK, else a per-checkout folder under ${TMPDIR:-/tmp}.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ $# -ge 1 && -n "$1" ]]; then
    WORKDIR="$1"
elif [[ -n "${CIRCLECI_WORK:-}" ]]; then
    WORKDIR="$CIRCLECI_WORK"
else
    WORKDIR="${TMPDIR:-/tmp}/community.circleci-$(id -u)-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
fi

mkdir -p "$WORKDIR"
WORKDIR="$(cd "$WORKDIR" && pwd -P)"
case "$WORKDIR/" in
    "$ROOT/"*) echo "collection_tree: WORKDIR must be outside the repository: $WORKDIR" >&2; exit 2 ;;
esac

DEST="$WORKDIR/ansible_collections/community/circleci"
rm -rf "$DEST"
mkdir -p "$DEST"

# NUL-separated list of the files git shows (tracked, or untracked and not ignored) that exist.
cd "$ROOT"
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do
        if [[ -f "$f" || -L "$f" ]]; then printf '%s\0' "$f"; fi
    done \
    | tar --null --no-recursion -T - -cf - \
    | tar -xf - -C "$DEST"

printf '%s\n' "$DEST"
