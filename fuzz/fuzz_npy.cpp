// libFuzzer target: the .npy reader (fuzz_entries.hpp). Built and run by scripts/fuzz.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  minflow::fuzz::npy(data, size);
  return 0;
}
