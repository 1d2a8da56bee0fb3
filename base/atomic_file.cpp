#include "base/atomic_file.hpp"

#include <fcntl.h>   // open
#include <unistd.h>  // close, getpid

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <system_error>

namespace minflow {

namespace {
std::string errno_text() {
  return std::strerror(errno);
}

// Creates "TARGET.tmp-XXXXXX" with O_EXCL (never an existing file) and mode 0666 minus the
// umask, as an ordinary new file would get (mkstemp would give 0600). Returns the descriptor.
int create_unique(const std::string& target, std::string& name) {
  static std::atomic<unsigned> counter{0};
  for (int attempt = 0; attempt < 100; ++attempt) {
    const auto ticks = static_cast<unsigned long long>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    const unsigned long long mix = ticks ^ (static_cast<unsigned long long>(::getpid()) << 20) ^
                                   (static_cast<unsigned long long>(counter++) << 40);
    char suffix[8];
    static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    unsigned long long v = mix * 0x9E3779B97F4A7C15ULL;  // spread every input bit
    v ^= v >> 29;
    for (int i = 0; i < 6; ++i, v /= 36)
      suffix[i] = kDigits[v % 36];
    suffix[6] = 0;
    name = target + ".tmp-" + suffix;
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}
}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target)) {
  std::string name;
  const int fd = create_unique(target_.string(), name);
  if (fd < 0) {
    throw std::runtime_error("cannot write " + target_.string() +
                             ": cannot create a temporary file beside it (" + errno_text() + ")");
  }
  temp_ = name;
  file_ = fdopen(fd, "wb");
  if (!file_) {
    const std::string why = errno_text();
    ::close(fd);
    std::remove(temp_.c_str());
    throw std::runtime_error("cannot write " + target_.string() + ": " + why);
  }
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_) std::remove(temp_.c_str());
}

void AtomicFile::write(const void* data, std::size_t bytes) {
  if (!file_ || committed_) {
    throw std::logic_error("AtomicFile: write to " + target_.string() + " after commit");
  }
  if (bytes && std::fwrite(data, 1, bytes, file_) != bytes) {
    throw std::runtime_error("cannot write " + target_.string() + ": " + errno_text());
  }
}

void AtomicFile::commit() {
  if (committed_) return;
  std::FILE* f = file_;
  file_ = nullptr;
  // fclose flushes the buffer: a full disk often shows only here.
  if (std::fflush(f) != 0 || std::ferror(f)) {
    const std::string why = errno_text();
    std::fclose(f);
    throw std::runtime_error("cannot write " + target_.string() + ": " + why);
  }
  if (std::fclose(f) != 0) {
    throw std::runtime_error("cannot write " + target_.string() + ": " + errno_text());
  }
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) {
    throw std::runtime_error("cannot write " + target_.string() +
                             ": renaming the temporary file failed (" + ec.message() + ")");
  }
  committed_ = true;
}

}  // namespace minflow
