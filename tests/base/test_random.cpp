// minflow's generator: PCG32's reference numbers, the jump ahead, and its use by threads.
#include <catch2/catch.hpp>

#include <vector>

#include "base/random.hpp"

using namespace minflow;

TEST_CASE("random: PCG32 gives the reference implementation's numbers", "[random]") {
  // pcg32-demo of the reference C library: pcg32_srandom_r(&rng, 42, 54), then six draws.
  Generator gen(42, 54);
  const std::vector<std::uint32_t> expected = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                               0x83d2f293, 0xbfa4784b, 0xcbed606e};
  for (std::uint32_t value : expected)
    CHECK(gen.next_u32() == value);
}

TEST_CASE("random: advance(k) lands where k draws land", "[random]") {
  for (std::uint64_t k : {0u, 1u, 2u, 3u, 7u, 64u, 1000u, 12345u}) {
    INFO("k = " << k);
    Generator stepped(7, "data"), jumped(7, "data");
    for (std::uint64_t i = 0; i < k; ++i)
      stepped.next_u32();
    jumped.advance(k);
    CHECK(jumped == stepped);
    CHECK(jumped.next_u32() == stepped.next_u32());
  }
  // A jump of 2^40 draws equals two jumps of 2^39.
  Generator once(1), twice(1);
  once.advance(std::uint64_t(1) << 40);
  twice.advance(std::uint64_t(1) << 39);
  twice.advance(std::uint64_t(1) << 39);
  CHECK(once == twice);
}
