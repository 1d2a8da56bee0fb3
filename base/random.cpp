#include "base/random.hpp"

#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace minflow {

namespace {
constexpr std::uint64_t kMultiplier = 6364136223846793005ULL;
constexpr double kTwoPi = 6.283185307179586476925286766559;
}  // namespace

std::uint64_t stream_id(const std::string& name) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// The reference seeding of PCG32: pick the stream (inc must be odd), step once, add the
// seed, step again.
Generator::Generator(std::uint64_t seed, std::uint64_t stream) : inc_((stream << 1u) | 1u) {
  next_u32();
  state_ += seed;
  next_u32();
}

Generator::Generator(std::uint64_t seed, const std::string& stream_name)
    : Generator(seed, stream_id(stream_name)) {}

std::uint32_t Generator::next_u32() {
  std::uint64_t old = state_;
  state_ = old * kMultiplier + inc_;
  auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
  auto rot = static_cast<std::uint32_t>(old >> 59u);
  return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

void Generator::advance(std::uint64_t draws) {
  // One step is state ← a·state + c. Two steps: a²·state + (a + 1)·c, and so on: keep the
  // step for 2^bit draws (step_mult, step_add) and apply it for each set bit of `draws`.
  std::uint64_t mult = 1, add = 0;
  std::uint64_t step_mult = kMultiplier, step_add = inc_;
  for (; draws > 0; draws >>= 1) {
    if (draws & 1u) {
      mult *= step_mult;
      add = add * step_mult + step_add;
    }
    step_add = (step_mult + 1) * step_add;
    step_mult *= step_mult;
  }
  state_ = mult * state_ + add;
}

std::uint64_t Generator::next_u64() {
  std::uint64_t hi = next_u32();
  return (hi << 32) | next_u32();
}

float Generator::uniform_float() {
  return static_cast<float>(next_u32() >> 8) * 0x1.0p-24f;
}

double Generator::uniform_double() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

std::uint32_t Generator::below(std::uint32_t n) {
  if (n == 0) throw std::invalid_argument("Generator::below: n must be positive, got 0");
  // Values at or above `limit` would make some residues more likely; draw again.
  const std::uint32_t limit = UINT32_MAX - (UINT32_MAX % n);
  std::uint32_t r;
  do {
    r = next_u32();
  } while (r >= limit);
  return r % n;
}

double Generator::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u1 = uniform_double();
  while (u1 <= 0.0)
    u1 = uniform_double();  // log(0) is −∞
  const double u2 = uniform_double();
  const double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(kTwoPi * u2);
  has_spare_ = true;
  return r * std::cos(kTwoPi * u2);
}

std::string Generator::to_string() const {
  std::uint64_t spare_bits;
  std::memcpy(&spare_bits, &spare_, sizeof spare_bits);
  std::ostringstream os;
  os << state_ << ' ' << inc_ << ' ' << (has_spare_ ? 1 : 0) << ' ' << spare_bits;
  return os.str();
}

Generator Generator::from_string(const std::string& text) {
  std::istringstream is(text);
  Generator g;
  int has_spare = 0;
  std::uint64_t spare_bits = 0;
  if (!(is >> g.state_ >> g.inc_ >> has_spare >> spare_bits) || (g.inc_ & 1u) == 0 ||
      (has_spare != 0 && has_spare != 1)) {
    throw std::invalid_argument(
        "Generator::from_string: expected \"state inc has_spare spare\", got \"" + text + "\"");
  }
  g.has_spare_ = has_spare == 1;
  std::memcpy(&g.spare_, &spare_bits, sizeof spare_bits);
  return g;
}

bool Generator::operator==(const Generator& o) const {
  return state_ == o.state_ && inc_ == o.inc_ && has_spare_ == o.has_spare_ &&
         (!has_spare_ || spare_ == o.spare_);
}

}  // namespace minflow
