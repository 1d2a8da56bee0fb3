#!/usr/bin/env bash
# CTest tutorial.chNN: runs a chapter in quick mode inside a fresh temporary folder and,
# given the committed tutorials/chNN_*/output-quick.txt, checks that it prints the same
# lines, timings aside (tests/tutorials/output_mask.sh). A number that changes fails the
# test with the diff; when the change is meant, `scripts/course numbers --update` writes
# the new files (and the chapter's text must then be checked against them).
#
#   compare_output.sh EXPECTED|- MASKFILE|- PROGRAM [ARGS…]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/output_mask.sh"
expected=$1 maskfile=$2
shift 2
dir=$(mktemp -d "${TMPDIR:-/tmp}/minflow-test.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir"
status=0
"$@" >stdout.txt || status=$?
cat stdout.txt
if ((status != 0)); then
  echo "compare_output: $* exited with status $status" >&2
  exit "$status"
fi
[[ $expected == - ]] && exit 0
[[ $maskfile == - ]] && maskfile=
mask_output "$maskfile" <"$expected" >expected.masked
mask_output "$maskfile" <stdout.txt >actual.masked
if ! diff -u --label "expected ($expected)" --label "printed now" expected.masked actual.masked \
  >diff.txt; then
  echo "compare_output: the program prints other numbers than $expected (timings aside):" >&2
  cat diff.txt >&2
  echo "compare_output: if the change is meant, run scripts/course numbers --update and check" \
    "the chapter's README against the new output" >&2
  exit 1
fi
echo "compare_output: the output matches $(basename "$(dirname "$expected")")/$(basename "$expected") (timings aside)"
