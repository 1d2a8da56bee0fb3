#!/usr/bin/env bash
# CTest tutorial.compare_output: compare_output.sh can fail. A fake chapter (printf) is
# compared with expected outputs: the same lines pass, other timings pass, another number,
# a missing line or a failing program fail, and a chapter's mask file masks what it lists.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/minflow-test.XXXXXX")
trap 'rm -rf "$dir"' EXIT
bad=0
expect() {  # expect pass|fail EXPECTED_TEXT MASK_TEXT PRINTED_TEXT
  printf '%s' "$2" >"$dir/expected.txt"
  printf '%s' "$3" >"$dir/output.mask"
  local got=pass
  "$here/compare_output.sh" "$dir/expected.txt" "$dir/output.mask" printf '%s' "$4" \
    >"$dir/log" 2>&1 || got=fail
  if [[ $got != "$1" ]]; then
    echo "test_compare_output: expected $1, got $got for printed '$4' against '$2':" >&2
    cat "$dir/log" >&2
    bad=1
  fi
}
out=$'step 1000  loss 1.9399    3.1 s\nfloor 1.832 (12.5 ms per step)\n'
expect pass "$out" "" "$out"
expect pass "$out" "" $'step 1000  loss 1.9399   13.6 s\nfloor 1.832 (9.0 ms per step)\n'
expect fail "$out" "" $'step 1000  loss 1.9400    3.1 s\nfloor 1.832 (12.5 ms per step)\n'
expect fail "$out" "" $'step 1000  loss 1.9399    3.1 s\n'
expect fail "$out" "" $'step 1000  loss 1.9399    3.1 s\nfloor 1.832 (12.5 ms per step)\nextra\n'
expect fail "$out" "" $'step 1000  loss 1.9399    3.1 s\nfloor 1.833 (12.5 ms per step)\n'
expect pass $'2 threads; share  11.8%\n' $'# shares\n[0-9]+ threads\n *[0-9.]+%$\n' \
  $'4 threads; share   9.1%\n'
expect fail $'2 threads; share  11.8%\n' "" $'4 threads; share   9.1%\n'
# A program that fails fails the test, whatever it printed.
printf 'x\n' >"$dir/expected.txt"
if "$here/compare_output.sh" "$dir/expected.txt" - false >/dev/null 2>&1; then
  echo "test_compare_output: a failing program passed" >&2
  bad=1
fi
((bad == 0)) && echo "test_compare_output: all cases behave"
exit $bad
