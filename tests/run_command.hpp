// Runs a shell command line and captures its exit status, stdout and stderr (for tests of
// the minflow command as a user runs it).
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace minflow::testing {

struct CommandResult {
  int status = -1;  // the exit status, or 128 + signal when killed by one
  std::string out, err;
};

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `command` runs through /bin/sh in folder `dir`; its output goes to files in `dir`.
inline CommandResult run_command(const std::string& command, const std::filesystem::path& dir) {
  const auto out = dir / ".stdout", err = dir / ".stderr";
  const std::string line = "cd '" + dir.string() + "' && " + command + " >'" + out.string() +
                           "' 2>'" + err.string() + "' </dev/null";
  const int raw = std::system(line.c_str());
  CommandResult r;
  if (WIFEXITED(raw)) r.status = WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) r.status = 128 + WTERMSIG(raw);
  r.out = read_text(out);
  r.err = read_text(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  // In a student copy (scripts/course) a command stopped by an exercise's stub says so on
  // its stderr: pass that on, so that the test's own output names the stub it ran into.
  if (r.err.find("is not done yet") != std::string::npos)
    std::cerr << "(the command said) " << r.err;
  return r;
}

}  // namespace minflow::testing
