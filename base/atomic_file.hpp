// AtomicFile: write a file so that readers see either the old file or the complete new one,
// never half of it — even if the program dies while writing.
//
// The bytes go to a temporary file in the target's folder ("NAME.tmp-XXXXXX", so both are
// on the same file system), and commit() renames it over the target: rename() replaces a
// file atomically on POSIX. Without commit() (an exception, an early return) the destructor
// removes the temporary file and the target stays as it was. (No fsync: a power cut may
// still lose the new file, but never leaves a torn one in the program's view.)
//
//   AtomicFile out("samples.npy");
//   out.write(header.data(), header.size());
//   out.write(values, bytes);
//   out.commit();
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>

namespace minflow {

class AtomicFile {
 public:
  // Creates the temporary file; throws std::runtime_error naming `target` when it cannot
  // (missing folder, no permission).
  explicit AtomicFile(std::filesystem::path target);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t bytes);  // throws std::runtime_error on failure
  void commit();                                    // close and rename into place

  const std::filesystem::path& temporary_path() const { return temp_; }

 private:
  std::filesystem::path target_, temp_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

}  // namespace minflow
