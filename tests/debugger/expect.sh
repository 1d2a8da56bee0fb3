# Shared by the debugger tests: run gdb in batch mode, then check its output for substrings.
# Sourced, not run. bash and grep only (no python3 needed on the test machine).

# run_gdb GDB PROGRAM ROOT GDB_ARGS...: gdb's whole output (stdout and stderr) in $out.
run_gdb() {
  local gdb=$1 program=$2 root=$3
  shift 3
  out=$("$gdb" -batch -nx -x "$root/scripts/gdb/gdbinit" "$@" --args "$program" 2>&1) || true
  # Containers without ptrace cannot debug at all: skipped (CTest's SKIP_RETURN_CODE), not failed.
  if grep -q "ptrace: Operation not permitted" <<<"$out"; then
    echo "gdb cannot trace processes here (ptrace not permitted): skipped"
    exit 77
  fi
}

failures=0
# expect TEXT: the output holds TEXT (a fixed string).
expect() {
  if ! grep -qF -- "$1" <<<"$out"; then
    echo "MISSING: $1"
    failures=$((failures + 1))
  fi
}
# reject TEXT: the output does not hold TEXT.
reject() {
  if grep -qF -- "$1" <<<"$out"; then
    echo "UNEXPECTED: $1"
    failures=$((failures + 1))
  fi
}
# finish: print gdb's output on failure, and exit with the result.
finish_checks() {
  if ((failures > 0)); then
    echo "---- gdb output ----"
    echo "$out"
    exit 1
  fi
  echo "all checks passed"
}
