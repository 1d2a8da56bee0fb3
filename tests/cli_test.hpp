// What the tests of the minflow command share: the program under test and the small
// network settings that keep each run to a fraction of a second.
#pragma once

#include <string>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace minflow::testing {

inline const std::string kExe = MINFLOW_EXE;
inline const std::string kSmall = " --batch 64 --hidden 16 --depth 2";

}  // namespace minflow::testing
