// minflow's own seeded random generator: PCG32 (O'Neill 2014, "PCG-XSH-RR 64/32").
//
// Why not <random>'s distributions: std::normal_distribution and friends are implemented
// differently by each standard library, so the same seed would give different data on
// another machine. The integer algorithm below and the conversions to uniform and normal
// numbers are ours, so a seed means the same stream everywhere.
//
// Streams: PCG has 2^63 independent streams per seed (the increment). A named stream
// (`Generator(seed, "data")`) hashes the name into the stream number, so the data, the
// time sampler and the initializer never share draws and adding draws to one of them does
// not shift the others.
#pragma once

#include <cstdint>
#include <string>

namespace minflow {

class Generator {
 public:
  explicit Generator(std::uint64_t seed = 0, std::uint64_t stream = 0);
  Generator(std::uint64_t seed, const std::string& stream_name);

  // The next 32 random bits. state ← state·a + inc (a 64-bit LCG); output a permutation
  // of the old state: xorshift the high bits, then rotate by the top 5 bits.
  std::uint32_t next_u32();
  std::uint64_t next_u64();

  // Uniform in [0, 1): the top 24 bits (float) or 53 bits (double) over 2^24 or 2^53, so
  // every value is exactly representable and 1 is never returned.
  float uniform_float();
  double uniform_double();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform_double(); }
  // Uniform integer in [0, n) without modulo bias (Lemire's method would also do; we use
  // rejection of the biased tail, which is simpler to read).
  std::uint32_t below(std::uint32_t n);

  // Standard normal by the Box–Muller transform, in double: r = √(−2 ln u1), θ = 2π·u2
  // gives two independent normals r·cos θ and r·sin θ; the second is kept for the next call.
  double normal();

  // Jumps ahead as if next_u32 had been called `draws` times, in O(log draws) steps
  // (Brown 1994: composing the LCG step x → a·x + c with itself by repeated squaring). Lets
  // threads draw disjoint parts of one stream and get exactly the serial numbers.
  void advance(std::uint64_t draws);
  // Whether the next normal() returns the kept second value of a Box–Muller pair.
  bool has_spare() const { return has_spare_; }

  // Text form "state inc has_spare spare" for checkpoints; from_string reverses it exactly.
  std::string to_string() const;
  static Generator from_string(const std::string& text);

  bool operator==(const Generator& o) const;

 private:
  std::uint64_t state_ = 0;
  std::uint64_t inc_ = 1;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// FNV-1a hash of a stream name (documented so other implementations can match streams).
std::uint64_t stream_id(const std::string& name);

}  // namespace minflow
