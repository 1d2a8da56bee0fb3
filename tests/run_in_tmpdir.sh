#!/usr/bin/env bash
# Runs a command inside a fresh temporary folder (removed afterwards), so tests that write
# files never collide when CTest runs them in parallel and never assume the build tree.
set -euo pipefail
dir=$(mktemp -d "${TMPDIR:-/tmp}/minflow-test.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
"$@"
