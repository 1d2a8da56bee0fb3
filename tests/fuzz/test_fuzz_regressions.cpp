// Replays every input kept for the fuzz targets through the same entry functions the
// libFuzzer programs call (fuzz/fuzz_entries.cpp): the seed corpus (fuzz/corpus/TARGET/)
// and every input that once crashed or hung a target (fuzz/regressions/TARGET/). Built with
// the rest of the suite, so it runs in CI and under the sanitizers (scripts/test
// --sanitize) without clang or libFuzzer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz/fuzz_entries.hpp"
#include "nn/npy.hpp"
#include "run_command.hpp"

namespace fs = std::filesystem;
using minflow::testing::read_text;

namespace {

const fs::path kFuzzDir = fs::path(MINFLOW_SOURCE_DIR) / "fuzz";

// The files of one folder, sorted (a missing folder has none).
std::vector<fs::path> inputs(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return files;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

void replay(const minflow::fuzz::Target& target, const fs::path& file) {
  const std::string bytes = read_text(file);
  INFO(target.name << ": " << file.string() << " (" << bytes.size() << " bytes)");
  REQUIRE_NOTHROW(target.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace

TEST_CASE("the fuzz seed corpus passes through every fuzz target's entry", "[fuzz]") {
  for (const auto& target : minflow::fuzz::kTargets) {
    const auto files = inputs(kFuzzDir / "corpus" / target.name);
    INFO(target.name);
    CHECK(files.size() >= 3);  // a few valid and slightly broken inputs each
    for (const auto& file : files)
      replay(target, file);
  }
}

TEST_CASE("inputs that once crashed a fuzz target are handled", "[fuzz]") {
  for (const auto& target : minflow::fuzz::kTargets)
    for (const auto& file : inputs(kFuzzDir / "regressions" / target.name))
      replay(target, file);
}

// What the fuzzers found, checked beyond "no crash" (the replay above proves that only under
// the sanitizers).
TEST_CASE("an empty .npy whose other dimensions overflow a size is refused", "[fuzz][npy]") {
  // fuzz_npy: shape (0, 2, 9223372, 368, …) made xtensor's strides overflow a ptrdiff_t.
  for (const char* name :
       {"empty_shape_stride_overflow_found.npy", "empty_shape_stride_overflow_31dims.npy"}) {
    const std::string bytes = read_text(kFuzzDir / "regressions" / "npy" / name);
    CHECK_THROWS_WITH(minflow::nn::parse_npy_header(bytes, name), Catch::Contains("is too large"));
  }
  // An empty array whose other dimensions fit is still an ordinary file.
  const std::string fits =
      minflow::nn::npy_header_bytes(minflow::nn::NpyDtype::float32, {0, std::size_t(1) << 40, 3});
  CHECK(minflow::nn::parse_npy_float32(fits, "fits.npy").size() == 0);
}
