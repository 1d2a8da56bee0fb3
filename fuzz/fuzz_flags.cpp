// libFuzzer target: the command line's flag tables (fuzz_entries.hpp). Built and run by
// scripts/fuzz.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  minflow::fuzz::flags(data, size);
  return 0;
}
