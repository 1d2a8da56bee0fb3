# Shared by scripts/demo and scripts/test: install what is missing, configure, build.
# Sourced, not run.

MINFLOW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MINFLOW_JOBS=${MINFLOW_JOBS:-$(nproc 2>/dev/null || echo 2)}

# The Debian 12 packages minflow builds with (docs/building.md#packages). gnuplot-nox is named in the
# same command as libgnuplot-iostream-dev, or apt would pull in gnuplot-qt and Qt.
MINFLOW_PACKAGES=(g++ make cmake ccache libxtensor-dev xtl-dev libxsimd-dev catch2
  libgnuplot-iostream-dev libboost-iostreams-dev libboost-filesystem-dev gnuplot-nox graphviz gdb
  strace)

minflow_install_missing() {
  local missing=() pkg
  for pkg in "${MINFLOW_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "minflow: installing ${missing[*]}" >&2
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "minflow: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${MINFLOW_PACKAGES[@]}" >/dev/null
}

# ccache keys on the compile command; with the repository as its base directory the paths in
# it become relative to the build folder, so build folders at the same depth (build/release,
# build/course, and the student copy's build/course inside build/course-student/src) share
# their cache entries: the course's student copy recompiles only the files with stubs.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$MINFLOW_ROOT}

# minflow_build DIR [cmake options…]: configure (once) and build everything into DIR.
minflow_build() {
  local dir=$1
  shift
  cmake -S "$MINFLOW_ROOT" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j "$MINFLOW_JOBS"
}
