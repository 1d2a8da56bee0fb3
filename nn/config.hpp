// Config: an ordered list of `key = value` settings, the format of a checkpoint's
// config.txt and state/state.txt.
//
//   kind = flow
//   hidden = 64
//   lr = 0.001
//
// One setting per line; blank lines and lines starting with '#' are ignored; the key is the
// text before the first '=', the value everything after it, both without surrounding
// spaces. Keys keep the order in which they were first set, so a file written twice is the
// same file. Typed getters parse strictly ("64x" is not an integer) and throw
// std::runtime_error naming the source ("checkpoint flow.ckpt: config.txt"), the key and
// what is wrong.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace minflow::nn {

class Config {
 public:
  explicit Config(std::string source = "config") : source_(std::move(source)) {}

  // Parses the text of a config file; `source` names it in error messages.
  static Config parse(const std::string& text, const std::string& source);
  static Config read_file(const std::filesystem::path& file, const std::string& source);
  std::string to_text() const;
  void write_file(const std::filesystem::path& file) const;  // atomically

  // Replaces the value of an existing key (keeping its place) or appends a new one.
  void set(const std::string& key, const std::string& value);
  void set(const std::string& key, const char* value) { set(key, std::string(value)); }
  void set(const std::string& key, std::int64_t value);
  void set(const std::string& key, int value) { set(key, static_cast<std::int64_t>(value)); }
  void set(const std::string& key, std::size_t value);
  void set(const std::string& key, double value);  // shortest text that reads back exactly

  bool has(const std::string& key) const;
  const std::string& get_string(const std::string& key) const;
  std::int64_t get_int(const std::string& key) const;
  std::size_t get_size(const std::string& key) const;  // an integer ≥ 0
  double get_double(const std::string& key) const;     // finite

  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }
  const std::string& source() const { return source_; }
  void set_source(std::string source) { source_ = std::move(source); }

  bool operator==(const Config& o) const { return entries_ == o.entries_; }

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

  std::string source_;
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace minflow::nn
