// The command line of one subcommand: its flags, their defaults and limits, and parsing
// that turns every mistake into one clear sentence (docs/cli.md#common-to-every-subcommand).
//
//   Flags flags("minflow train");
//   flags.add_count("steps", 10000, "optimizer steps", kMaxSteps);
//   flags.parse(args);              // throws UsageError("minflow train: --steps must be …")
//   std::size_t steps = flags.count("steps");
//
// Values are given as `--name value` or `--name=value`. Everything is checked here, before
// any work starts, so a refused command writes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace minflow::cli {

// A usage or input error: the message is the whole stderr line; the exit status is 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The limits of docs/cli.md#common-to-every-subcommand.
constexpr std::size_t kMaxSteps = 100000000, kMaxBatch = 1000000, kMaxPoints = 10000000,
                      kMaxPool = 100000000, kMaxHidden = 4096, kMaxDepth = 64, kMaxThreads = 1024;

class Flags {
 public:
  explicit Flags(std::string command) : command_(std::move(command)) {}

  // A positive integer ≤ max (or ≥ 0 when zero_ok).
  void add_count(const std::string& name, std::size_t fallback, const std::string& help,
                 std::size_t max, bool zero_ok = false);
  // A finite real number; > 0 when positive_only.
  void add_real(const std::string& name, double fallback, const std::string& help,
                bool positive_only = true);
  // A 64-bit unsigned integer (seeds).
  void add_seed(const std::string& name, std::uint64_t fallback, const std::string& help);
  void add_text(const std::string& name, const std::string& fallback, const std::string& help);
  void add_switch(const std::string& name, const std::string& help);

  // Throws UsageError for an unknown flag, a missing value, or a value that does not fit.
  // Returns false when --help was asked for (the caller prints help() and exits 0).
  bool parse(const std::vector<std::string>& args);

  std::size_t count(const std::string& name) const;
  double real(const std::string& name) const;
  std::uint64_t seed(const std::string& name) const;
  const std::string& text(const std::string& name) const;
  bool on(const std::string& name) const;
  bool given(const std::string& name) const;  // set on the command line (not a default)

  std::string help(const std::string& synopsis) const;
  [[noreturn]] void fail(const std::string& message) const;  // throws "COMMAND: message"
  const std::string& command() const { return command_; }

 private:
  enum class Kind { count, real, seed, text, toggle };
  struct Flag {
    Kind kind;
    std::string help, fallback_text;
    std::size_t max = 0;
    bool zero_ok = false, positive_only = true;
    std::size_t count = 0;
    double real = 0;
    std::uint64_t seed = 0;
    std::string text;
    bool on = false, given = false;
  };
  Flag& add(const std::string& name, Kind kind, const std::string& help);
  const Flag& get(const std::string& name, Kind kind) const;
  void set_value(const std::string& name, Flag& flag, const std::string& value);

  std::string command_;
  std::vector<std::string> order_;  // for help
  std::map<std::string, Flag> flags_;
};

// The thread count from --threads if given, else MINFLOW_THREADS, else all cores.
// Throws UsageError when MINFLOW_THREADS is not a positive integer.
int resolve_threads(const Flags& flags);

}  // namespace minflow::cli
