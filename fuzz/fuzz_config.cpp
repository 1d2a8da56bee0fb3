// libFuzzer target: config.txt and the settings built from it (fuzz_entries.hpp). Built and run by
// scripts/fuzz.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  minflow::fuzz::config(data, size);
  return 0;
}
