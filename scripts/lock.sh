#!/usr/bin/env bash
# Rebuild constraints.txt: install requirements.txt into a scratch venv and pin
# everything it pulled in. Run after changing requirements.txt.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"$(find_python)" -m venv "$scratch/venv"
quietly "$LOGS/lock.log" "$scratch/venv/bin/pip" install -q -r "$ROOT/requirements.txt"
{
  echo "# Lock file: every package of a working install, pinned. Regenerate with"
  echo "#   make lock   (pip freeze of a fresh venv built from requirements.txt)"
  "$scratch/venv/bin/pip" freeze | grep -v '^-e'
} >"$ROOT/constraints.txt"
say "constraints.txt now pins $(grep -vc '^#' "$ROOT/constraints.txt") packages"
