// keep_large_blocks_in_heap must really change glibc's setting: a block of 1 MB (an op's
// result is 512 KB at batch 2048) then comes from the heap, not from a fresh mmap. Without
// it every op paid for new zeroed pages (system time tripled a training run).
#include <catch2/catch.hpp>

#include <cstdlib>

#include "base/allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

TEST_CASE("keep_large_blocks_in_heap keeps a 1 MB block out of mmap", "[allocator]") {
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
  minflow::keep_large_blocks_in_heap();
  const std::size_t mapped_before = mallinfo2().hblks;
  void* block = std::malloc(1 << 20);
  REQUIRE(block != nullptr);
  const std::size_t mapped_during = mallinfo2().hblks;
  std::free(block);
  CHECK(mapped_during == mapped_before);  // glibc's default would map it: one more block
#else
  SUCCEED("not glibc's allocator (or AddressSanitizer's): nothing to check");
#endif
}
