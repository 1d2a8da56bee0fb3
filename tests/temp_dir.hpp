// A fresh temporary folder for one test, removed when the test ends, so tests can run in
// parallel (ctest -j2) without writing over each other.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>

namespace minflow::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "minflow-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("TempDir: mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Every file and folder under `dir`, with its size: two snapshots are equal when nothing
// was created, removed or resized (the failure tests check that nothing was written).
inline std::set<std::string> snapshot(const std::filesystem::path& dir) {
  std::set<std::string> entries;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    entries.insert(e.path().string() + ":" +
                   (e.is_regular_file() ? std::to_string(e.file_size()) : "dir"));
  }
  return entries;
}

}  // namespace minflow::testing
