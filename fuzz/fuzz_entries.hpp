// The bodies of minflow's fuzz targets, shared by the libFuzzer programs (fuzz_*.cpp, built
// by scripts/fuzz with clang) and the replay test (tests/fuzz/test_fuzz_regressions.cpp,
// built with the rest of the suite), so that every input kept in fuzz/corpus and
// fuzz/regressions is checked on every build.
//
// Each entry takes arbitrary bytes and runs one family of parsers on them. Refusing the
// input with an expected exception — std::runtime_error (which includes cli::UsageError)
// or std::invalid_argument — is a normal outcome and returns quietly. Everything else is a
// finding: a crash, undefined behaviour or a leak (the sanitizers), a hang (libFuzzer's
// -timeout), any other exception type (it escapes: std::terminate under libFuzzer, a
// failed REQUIRE_NOTHROW in the test), and a broken promise of the parsers (a Finding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>

namespace minflow::fuzz {

// A property that failed (for example: a header that parses but whose array does not).
// Deliberately not a std::runtime_error, so no entry catches it.
struct Finding : std::logic_error {
  using std::logic_error::logic_error;
};

// The .npy reader: parse_npy_header, parse_npy_float32 and parse_npy_float64.
void npy(const std::uint8_t* data, std::size_t size);
// config.txt: Config::parse, the typed getters on every key, and what builds a run from a
// config (nn::MlpSpec::from_config, flow::TrainSettings::from_config, state.txt's values).
void config(const std::uint8_t* data, std::size_t size);
// The command line: the input split on NUL or newline into arguments, parsed with each
// subcommand's flag table and the checks that follow parsing (no command is run).
void flags(const std::uint8_t* data, std::size_t size);

struct Target {
  const char* name;  // the folder under fuzz/corpus and fuzz/regressions
  void (*run)(const std::uint8_t*, std::size_t);
};
inline constexpr Target kTargets[] = {{"npy", npy}, {"config", config}, {"flags", flags}};

}  // namespace minflow::fuzz
