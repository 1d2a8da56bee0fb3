#!/usr/bin/env bash
# Installs a built minflow into a temporary prefix and builds and runs a tiny project that
# finds it with find_package(minflow) and links minflow::autograd alone (engine_consumer)
# and minflow::flow (consumer).
#   install_consumer.sh BUILD_DIR SOURCE_DIR BUILD_TYPE [LINKER_FLAGS]
# LINKER_FLAGS: what the consumer must add itself when the libraries were built with the
# sanitizers (their runtime); the package never passes the project's own build flags on.
set -euo pipefail
build=$1 source=$2 type=$3 link_flags=${4:-}
dir=$(mktemp -d "${TMPDIR:-/tmp}/minflow-install.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cmake --install "$build" --prefix "$dir/prefix" >/dev/null
cmake -S "$source/tests/consumer" -B "$dir/build" -DCMAKE_BUILD_TYPE="$type" \
  -DCMAKE_PREFIX_PATH="$dir/prefix" -DCMAKE_EXE_LINKER_FLAGS="$link_flags" >/dev/null
cmake --build "$dir/build" >/dev/null
"$dir/build/engine_consumer"
"$dir/build/consumer"
