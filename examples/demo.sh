#!/usr/bin/env bash
# The vastplan demo: plan, apply, and plan again against the embedded simulator. No cluster needed.
#
#   bash examples/demo.sh              # from any directory; needs the vastplan command on PATH
#   VASTPLAN=/path/to/vastplan bash examples/demo.sh
#
# The simulated cluster lives in a temporary state file that is removed at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vastplan="${VASTPLAN:-vastplan}"
if ! command -v "$vastplan" >/dev/null 2>&1; then
  echo "demo.sh: the vastplan command was not found; install the project first (pip install .)" >&2
  exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/vastplan-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# sim://FILE: an in-process VMS simulator whose state persists in FILE between commands.
export VAST_ENDPOINT="sim://$work/cluster.json"
spec="$here/quickstart.yaml"

say() { printf '\n==> %s\n\n' "$*"; }

say "vastplan plan examples/quickstart.yaml      (what would change on a fresh cluster)"
"$vastplan" plan "$spec"

say "vastplan apply examples/quickstart.yaml --auto-approve"
"$vastplan" apply "$spec" --auto-approve

say "vastplan plan examples/quickstart.yaml --detailed-exitcode      (exit 0: nothing left to do)"
# --detailed-exitcode exits 2 if changes remained; set -e would then stop the demo with that code.
"$vastplan" plan "$spec" --detailed-exitcode

say "Done: the simulated cluster matches examples/quickstart.yaml."
