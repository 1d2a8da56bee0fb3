// An animation that holds its last frame: gnuplot's gif terminal gives every frame the same
// delay, so a looping GIF jumps back to t = 0 the instant it reaches t = 1 and the end (the
// spiral) is hard to see. After gnuplot has written the file, minflow rewrites the delay of
// the last frame alone, in place: the frame count and every pixel stay as gnuplot drew them.
//
// A GIF89a is "GIF89a", the logical screen descriptor (7 bytes) and an optional global colour
// table, then blocks: extensions 0x21 LABEL followed by data sub-blocks (a length byte, that
// many bytes, … a zero length), images 0x2C (a 9-byte descriptor, an optional local colour
// table, the LZW code size, sub-blocks), and the trailer 0x3B. A frame's delay is in the
// graphic control extension before its image: 0x21 0xF9 0x04 FLAGS DELAY_LO DELAY_HI INDEX 0.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

#include "plot/figure.hpp"

namespace minflow::plot::detail {

void hold_last_frame(const std::filesystem::path& gif, int centiseconds) {
  if (centiseconds < 0 || centiseconds > 65535) {
    throw std::invalid_argument("hold_last_frame: a delay of 0 to 65535 hundredths, got " +
                                std::to_string(centiseconds));
  }
  std::string b;
  {
    std::ifstream in(gif, std::ios::binary);
    b.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto bad = [&](const char* why) {
    return std::runtime_error("hold_last_frame: " + gif.string() + " is not a GIF89a (" + why +
                              ")");
  };
  if (b.size() < 14 || b.compare(0, 6, "GIF89a") != 0) throw bad("no header");
  auto byte = [&](std::size_t at) -> std::size_t {
    if (at >= b.size()) throw bad("cut short");
    return std::uint8_t(b[at]);
  };
  std::size_t at = 13;
  if (byte(10) & 0x80) at += 3 * (std::size_t(1) << ((byte(10) & 7) + 1));
  auto skip_sub_blocks = [&]() {
    while (byte(at) != 0)
      at += byte(at) + 1;
    ++at;
  };
  std::size_t last_control = 0;  // where the delay of the latest frame's control block is
  while (byte(at) != 0x3B) {
    if (byte(at) == 0x21) {
      if (byte(at + 1) == 0xF9 && byte(at + 2) == 4) last_control = at + 4;
      at += 2;
      skip_sub_blocks();
    } else if (byte(at) == 0x2C) {
      const std::size_t flags = byte(at + 9);
      at += 10;
      if (flags & 0x80) at += 3 * (std::size_t(1) << ((flags & 7) + 1));
      ++at;  // the LZW minimum code size
      skip_sub_blocks();
    } else {
      throw bad("unknown block");
    }
  }
  if (last_control == 0) throw bad("no frame delays");
  std::fstream out(gif, std::ios::binary | std::ios::in | std::ios::out);
  out.seekp(static_cast<std::streamoff>(last_control));
  const char delay[2] = {static_cast<char>(centiseconds & 0xFF),
                         static_cast<char>(centiseconds >> 8)};
  out.write(delay, 2);
  if (!out) throw std::runtime_error("hold_last_frame: cannot write " + gif.string());
}

}  // namespace minflow::plot::detail
