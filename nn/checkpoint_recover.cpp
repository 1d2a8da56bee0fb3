// What an interrupted save leaves beside a checkpoint, and how a later run recovers.
//
// A save writes NAME.tmp-XXXXXX and swaps it with NAME (checkpoint_save.cpp). A kill before
// the swap leaves an incomplete NAME.tmp-XXXXXX; a kill after it leaves the previous version
// there, being removed. Either way NAME is a whole checkpoint and the leftover is garbage.
// The fallback for file systems without renameat2 flags (and minflow before it used them)
// moves NAME to NAME.old-XXXXXX first: a kill between the two renames leaves no NAME, and
// the .old folder is the last whole checkpoint, so it is put back.
#include <fcntl.h>     // open
#include <sys/file.h>  // flock
#include <unistd.h>    // close

#include <algorithm>
#include <system_error>

#include "nn/checkpoint.hpp"
#include "nn/checkpoint_lock.hpp"

namespace minflow::nn {

namespace fs = std::filesystem;

FolderLock::FolderLock(const fs::path& folder) {
  fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ >= 0) ::flock(fd_, LOCK_EX);
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);
}

bool folder_is_being_written(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(fd);
  return busy;
}

namespace {
// "NAME.tmp-XXXXXX" or "NAME.old-XXXXXX" for checkpoint NAME: what a save creates.
bool is_leftover(const std::string& file, const std::string& base, const char* kind) {
  const std::string prefix = base + kind;
  return file.size() == prefix.size() + 6 && file.compare(0, prefix.size(), prefix) == 0;
}
}  // namespace

std::vector<std::string> recover_checkpoint(const fs::path& folder_as_given) {
  const fs::path folder = checkpoint_display_name(folder_as_given);
  const std::string base = folder.filename().string();
  const fs::path parent = folder.parent_path();
  std::vector<fs::path> tmp, old;
  std::error_code ec;
  for (fs::directory_iterator it(parent.empty() ? "." : parent, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string file = it->path().filename().string();
    if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
    if (is_leftover(file, base, ".tmp-")) tmp.push_back(parent / file);  // "c.ckpt.tmp-…"
    if (is_leftover(file, base, ".old-")) old.push_back(parent / file);
  }
  std::sort(old.begin(), old.end());
  std::vector<std::string> said;
  if (!fs::exists(folder, ec)) {
    for (const auto& o : old) {
      if (!fs::exists(o / "config.txt", ec)) continue;
      fs::rename(o, folder, ec);
      if (ec) continue;
      said.push_back("restored " + folder.string() + " from " + o.string() +
                     ", left by an interrupted save");
      old.erase(std::find(old.begin(), old.end(), o));
      break;
    }
  }
  tmp.insert(tmp.end(), old.begin(), old.end());
  for (const auto& t : tmp) {
    if (folder_is_being_written(t)) continue;
    fs::remove_all(t, ec);
    if (!ec) said.push_back("removed " + t.string() + ", left by an interrupted save");
  }
  return said;
}

}  // namespace minflow::nn
