#include "nn/config.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "base/atomic_file.hpp"
#include "base/escape.hpp"

namespace minflow::nn {

namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  const auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

bool valid_key(const std::string& key) {
  if (key.empty()) return false;
  for (char c : key)
    if (c == ' ' || c == '\t' || c == '=' || c == '#' || c == '\n') return false;
  return true;
}

}  // namespace

void Config::fail(const std::string& key, const std::string& what) const {
  throw std::runtime_error(source_ + ": " + key + " " + what);
}

Config Config::parse(const std::string& text, const std::string& source) {
  Config config(source);
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const std::string content = trim(line);
    if (content.empty() || content[0] == '#') continue;
    const auto eq = content.find('=');
    const std::string where = source + ": line " + std::to_string(number);
    if (eq == std::string::npos) {
      throw std::runtime_error(where + " is not of the form `key = value`: \"" +
                               escape_bytes(content) + "\"");
    }
    const std::string key = trim(content.substr(0, eq));
    if (!valid_key(key))
      throw std::runtime_error(where + ": invalid key \"" + escape_bytes(key) + "\"");
    if (config.has(key)) throw std::runtime_error(where + ": " + key + " is set twice");
    config.entries_.emplace_back(key, trim(content.substr(eq + 1)));
  }
  return config;
}

Config Config::read_file(const std::filesystem::path& file, const std::string& source) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(source + ": cannot open " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error(source + ": cannot read " + file.string());
  return parse(text.str(), source);
}

std::string Config::to_text() const {
  std::string text;
  for (const auto& [key, value] : entries_)
    text += key + (value.empty() ? " =\n" : " = " + value + "\n");
  return text;
}

void Config::write_file(const std::filesystem::path& file) const {
  const std::string text = to_text();
  AtomicFile out(file);
  out.write(text.data(), text.size());
  out.commit();
}

void Config::set(const std::string& key, const std::string& value) {
  if (!valid_key(key)) throw std::invalid_argument(source_ + ": invalid key \"" + key + "\"");
  if (value.find('\n') != std::string::npos || trim(value) != value) {
    throw std::invalid_argument(source_ + ": the value of " + key +
                                " has surrounding spaces or a line break: \"" + value + "\"");
  }
  for (auto& entry : entries_)
    if (entry.first == key) {
      entry.second = value;
      return;
    }
  entries_.emplace_back(key, value);
}

void Config::set(const std::string& key, std::int64_t value) {
  set(key, std::to_string(value));
}

void Config::set(const std::string& key, std::size_t value) {
  set(key, std::to_string(value));
}

void Config::set(const std::string& key, double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);  // shortest round trip
  if (ec != std::errc()) throw std::invalid_argument(source_ + ": cannot format " + key);
  set(key, std::string(buf, end));
}

bool Config::has(const std::string& key) const {
  for (const auto& entry : entries_)
    if (entry.first == key) return true;
  return false;
}

const std::string& Config::get_string(const std::string& key) const {
  for (const auto& entry : entries_)
    if (entry.first == key) return entry.second;
  fail(key, "is missing");
}

std::int64_t Config::get_int(const std::string& key) const {
  const std::string& text = get_string(key);
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    fail(key, "must be an integer, got \"" + text + "\"");
  }
  return value;
}

std::size_t Config::get_size(const std::string& key) const {
  const std::int64_t value = get_int(key);
  if (value < 0) fail(key, "must not be negative, got " + std::to_string(value));
  return static_cast<std::size_t>(value);
}

double Config::get_double(const std::string& key) const {
  const std::string& text = get_string(key);
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty() || !std::isfinite(value)) {
    fail(key, "must be a finite number, got \"" + text + "\"");
  }
  return value;
}

}  // namespace minflow::nn
