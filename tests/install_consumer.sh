#!/usr/bin/env bash
# Installs a built minflow into a temporary prefix and builds and runs a tiny project that
# finds it with find_package(minflow) and links minflow::autograd alone (engine_consumer) and minflow::flow (consumer).
#   install_consumer.sh BUILD_DIR SOURCE_DIR BUILD_TYPE
set -euo pipefail
build=$1 source=$2 type=$3
dir=$(mktemp -d "${TMPDIR:-/tmp}/minflow-install.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cmake --install "$build" --prefix "$dir/prefix" >/dev/null
cmake -S "$source/tests/consumer" -B "$dir/build" -DCMAKE_BUILD_TYPE="$type" \
  -DCMAKE_PREFIX_PATH="$dir/prefix" >/dev/null
cmake --build "$dir/build" >/dev/null
"$dir/build/engine_consumer"
"$dir/build/consumer"
