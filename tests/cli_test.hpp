// What the tests of the minflow command share: the program under test and the small
// network settings that keep each run to a fraction of a second.
#pragma once

#include <filesystem>
#include <string>

#include "run_command.hpp"
#include "temp_dir.hpp"

namespace minflow::testing {

inline const std::string kExe = MINFLOW_EXE;
inline const std::string kSmall = " --batch 64 --hidden 16 --depth 2";
// A tiny trained flow at t.ckpt (run in the test's folder): the teacher of reflow and distill.
inline const std::string kTinyTeacher = " train --steps 20" + kSmall + " --out t.ckpt";

// Names in `dir` left by an unfinished atomic write (NAME.tmp-XXXXXX, NAME.old-XXXXXX).
inline std::string leftovers(const std::filesystem::path& dir) {
  std::string found;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.find(".tmp-") != std::string::npos || name.find(".old-") != std::string::npos)
      found += name + " ";
  }
  return found;
}

}  // namespace minflow::testing
