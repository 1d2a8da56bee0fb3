// Reads just enough of a PNG or GIF to check a figure: its size, whether the file is whole,
// and (GIF) how many frames it holds, by walking the blocks as a decoder does.
#pragma once

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "run_command.hpp"

namespace minflow::testing {

struct ImageInfo {
  bool valid = false;  // the format's structure checks out to its last byte
  std::uint32_t width = 0, height = 0;
  std::size_t frames = 0;   // GIF: image descriptors; PNG: 1
  std::vector<int> delays;  // GIF: each graphic control extension's delay, in 1/100 s
};

// PNG: 8-byte signature, then chunks (length, type, data, CRC); the first is IHDR (width and
// height big-endian), the last IEND.
inline ImageInfo png_info(const std::filesystem::path& file) {
  const std::string b = read_text(file);
  ImageInfo info;
  if (b.size() < 33 || b.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return info;
  auto u32 = [&](std::size_t at) {
    return std::uint32_t(std::uint8_t(b[at])) << 24 | std::uint32_t(std::uint8_t(b[at + 1])) << 16 |
           std::uint32_t(std::uint8_t(b[at + 2])) << 8 | std::uint32_t(std::uint8_t(b[at + 3]));
  };
  if (b.compare(12, 4, "IHDR") != 0) return info;
  info.width = u32(16);
  info.height = u32(20);
  std::size_t at = 8;
  while (at + 12 <= b.size()) {
    const std::size_t length = u32(at);
    const std::string type = b.substr(at + 4, 4);
    at += 12 + length;
    if (type == "IEND") {
      info.valid = at == b.size();
      info.frames = 1;
      return info;
    }
  }
  return info;
}

// GIF: "GIF89a", the logical screen (width, height little-endian, flags), an optional global
// colour table, then blocks: 0x21 extensions and 0x2C images (each followed by data
// sub-blocks ending in a zero length), and the trailer 0x3B.
inline ImageInfo gif_info(const std::filesystem::path& file) {
  const std::string b = read_text(file);
  ImageInfo info;
  if (b.size() < 14 || (b.compare(0, 6, "GIF89a") != 0 && b.compare(0, 6, "GIF87a") != 0)) {
    return info;
  }
  auto byte = [&](std::size_t at) { return std::size_t(std::uint8_t(b[at])); };
  info.width = std::uint32_t(byte(6) | byte(7) << 8);
  info.height = std::uint32_t(byte(8) | byte(9) << 8);
  std::size_t at = 13;
  if (byte(10) & 0x80) at += 3 * (std::size_t(1) << ((byte(10) & 7) + 1));
  auto skip_sub_blocks = [&]() {
    while (at < b.size() && byte(at) != 0)
      at += byte(at) + 1;
    ++at;  // the zero-length terminator
  };
  while (at < b.size()) {
    const std::size_t kind = byte(at);
    if (kind == 0x3B) {
      info.valid = at + 1 == b.size();
      return info;
    } else if (kind == 0x21) {  // extension: label, then sub-blocks
      if (at + 5 < b.size() && byte(at + 1) == 0xF9 && byte(at + 2) == 4) {  // frame control
        info.delays.push_back(int(byte(at + 4) | byte(at + 5) << 8));
      }
      at += 2;
      skip_sub_blocks();
    } else if (kind == 0x2C) {  // image: descriptor, local colour table, LZW size, data
      if (at + 10 > b.size()) return info;
      const std::size_t flags = byte(at + 9);
      at += 10;
      if (flags & 0x80) at += 3 * (std::size_t(1) << ((flags & 7) + 1));
      at += 1;
      skip_sub_blocks();
      ++info.frames;
    } else {
      return info;
    }
  }
  return info;
}

// CHECKs that `file` is a whole PNG of width × height.
inline void check_png(const std::filesystem::path& file, std::uint32_t width,
                      std::uint32_t height) {
  INFO(file.string());
  const ImageInfo info = png_info(file);
  CHECK(info.valid);
  CHECK(info.width == width);
  CHECK(info.height == height);
}

// CHECKs that `file` is a whole GIF of width × height with `frames` frames.
inline void check_gif(const std::filesystem::path& file, std::uint32_t width, std::uint32_t height,
                      std::size_t frames) {
  INFO(file.string());
  const ImageInfo info = gif_info(file);
  CHECK(info.valid);
  CHECK(info.width == width);
  CHECK(info.height == height);
  CHECK(info.frames == frames);
}

}  // namespace minflow::testing
