# Sourced, not run: mask_output, the rule that turns a chapter's printed output into the
# part that must not change. Timings are masked (a number followed by "s" or "ms" becomes
# " <time>", with the spaces before it, since a field's width changes with its value), and
# so is whatever a chapter lists in its tutorials/chNN_*/output.mask: one extended regular
# expression a line ('#' starts a comment), each match becoming "<masked>" (chapter 9:
# shares of a measured time, the thread count). tests/docs/output_quotes.cpp applies the
# same rule in C++; keep the two in step.
#
#   mask_output MASKFILE <output >masked     (MASKFILE may be missing: the timing rule alone)
mask_output() {
  local maskfile=${1:-} script='s/ *[0-9]+(\.[0-9]+)? ?(ms|s)\b/ <time>/g' pattern
  if [[ -n $maskfile && -f $maskfile ]]; then
    while IFS= read -r pattern; do
      [[ -z $pattern || $pattern == \#* ]] && continue
      script+=$'\n'"s/${pattern//\//\\/}/<masked>/g"
    done <"$maskfile"
  fi
  sed -E "$script" | sed -E 's/[[:space:]]+$//'
}
