// A lock on a checkpoint's temporary folder while a save writes it (flock on the folder),
// so that a run recovering from an interrupted save (recover_checkpoint) removes only the
// folders nobody is writing. The lock goes with the process: a killed save leaves none.
#pragma once

#include <filesystem>

namespace minflow::nn {

class FolderLock {
 public:
  explicit FolderLock(const std::filesystem::path& folder);  // waits for the lock
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

// Whether a save is writing `folder` now (another process holds its FolderLock).
bool folder_is_being_written(const std::filesystem::path& folder);

}  // namespace minflow::nn
