// The .npy header: parsing (with full validation) and formatting. See npy.hpp for the layout.
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "base/escape.hpp"
#include "nn/npy.hpp"

namespace minflow::nn {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

[[noreturn]] void fail(const std::string& source, const std::string& what) {
  throw std::runtime_error(source + ": " + what);
}

// A cursor over the header's dict literal, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (64, 3), }
// Only what NumPy writes is accepted: single- or double-quoted strings without escapes,
// True/False, and a tuple of non-negative decimal integers.
class DictParser {
 public:
  DictParser(std::string_view text, const std::string& source) : text_(text), source_(source) {}

  void skip_spaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }

  void expect(char c, const char* where) {
    skip_spaces();
    if (peek() != c) {
      fail(source_, std::string("malformed .npy header: expected '") + c + "' " + where +
                        " at byte " + std::to_string(pos_) + " of the header");
    }
    ++pos_;
  }
  bool accept(char c) {
    skip_spaces();
    if (peek() != c) return false;
    ++pos_;
    return true;
  }

  std::string string_literal() {
    skip_spaces();
    const char quote = peek();
    if (quote != '\'' && quote != '"') {
      fail(source_, "malformed .npy header: expected a quoted string at byte " +
                        std::to_string(pos_) + " of the header");
    }
    ++pos_;
    std::string s;
    while (!at_end() && text_[pos_] != quote) {
      if (text_[pos_] == '\\') fail(source_, "malformed .npy header: escape in a string");
      s += text_[pos_++];
    }
    if (at_end()) fail(source_, "malformed .npy header: unterminated string");
    ++pos_;
    return s;
  }

  bool boolean() {
    skip_spaces();
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    fail(source_, "malformed .npy header: fortran_order must be True or False");
  }

  std::size_t integer() {
    skip_spaces();
    if (peek() < '0' || peek() > '9') {
      fail(source_, "malformed .npy header: expected a dimension at byte " + std::to_string(pos_) +
                        " of the header");
    }
    std::uint64_t v = 0;
    while (peek() >= '0' && peek() <= '9') {
      const unsigned digit = static_cast<unsigned>(peek() - '0');
      if (v > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
        fail(source_, "malformed .npy header: a dimension is too large");
      }
      v = v * 10 + digit;
      ++pos_;
    }
    if (peek() == 'L') ++pos_;  // Python 2 long literal, written by old NumPy versions
    return static_cast<std::size_t>(v);
  }

  // (), (5,), (64, 3), (2, 3, 4)
  Shape shape_tuple() {
    expect('(', "to open the shape");
    Shape shape;
    if (accept(')')) return shape;
    while (true) {
      shape.push_back(integer());
      if (accept(')')) break;
      expect(',', "between dimensions");
      if (accept(')')) break;
    }
    if (shape.size() > 32) fail(source_, "shape has more than 32 dimensions");
    return shape;
  }

 private:
  std::string_view text_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

std::uint32_t read_le(std::string_view bytes, std::size_t offset, std::size_t width) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < width; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  return v;
}

std::size_t itemsize(NpyDtype dtype) {
  return dtype == NpyDtype::float32 ? 4 : 8;
}

}  // namespace

std::string npy_dtype_name(NpyDtype dtype) {
  return dtype == NpyDtype::float32 ? "float32" : "float64";
}

NpyHeader parse_npy_header(std::string_view bytes, const std::string& source) {
  if (bytes.size() < kMagicSize || bytes.substr(0, kMagicSize) != std::string_view(kMagic)) {
    fail(source, bytes.size() < kMagicSize
                     ? "not a NumPy .npy file (only " + std::to_string(bytes.size()) + " bytes)"
                     : "not a NumPy .npy file (the magic string \\x93NUMPY is missing)");
  }
  if (bytes.size() < 8) fail(source, "truncated .npy file (no version)");
  NpyHeader header;
  header.major_version = static_cast<unsigned char>(bytes[6]);
  const int minor = static_cast<unsigned char>(bytes[7]);
  if (header.major_version < 1 || header.major_version > 3 || minor != 0) {
    fail(source, "unsupported .npy version " + std::to_string(header.major_version) + "." +
                     std::to_string(minor) + " (1.0, 2.0 and 3.0 are known)");
  }
  const std::size_t length_width = header.major_version == 1 ? 2 : 4;
  if (bytes.size() < 8 + length_width) fail(source, "truncated .npy file (no header length)");
  const std::size_t header_length = read_le(bytes, 8, length_width);
  const std::size_t header_start = 8 + length_width;
  if (header_length > bytes.size() - header_start) {
    fail(source, "truncated .npy file: the header claims " + std::to_string(header_length) +
                     " bytes, the file has " + std::to_string(bytes.size() - header_start) +
                     " after the header length");
  }
  header.data_offset = header_start + header_length;

  // The dict: exactly the keys descr, fortran_order and shape, each once, in any order.
  DictParser p(bytes.substr(header_start, header_length), source);
  bool has_descr = false, has_order = false, has_shape = false;
  std::string descr;
  bool fortran_order = false;
  p.expect('{', "at the start of the header");
  while (!p.accept('}')) {
    const std::string key = p.string_literal();
    p.expect(':', "after a key");
    if (key == "descr" && !has_descr) {
      descr = p.string_literal();
      has_descr = true;
    } else if (key == "fortran_order" && !has_order) {
      fortran_order = p.boolean();
      has_order = true;
    } else if (key == "shape" && !has_shape) {
      header.shape = p.shape_tuple();
      has_shape = true;
    } else {
      fail(source, "malformed .npy header: unexpected or repeated key '" + escape_bytes(key) + "'");
    }
    if (!p.accept(',')) {
      p.expect('}', "to close the header");
      break;
    }
  }
  p.skip_spaces();
  if (!p.at_end()) fail(source, "malformed .npy header: text after the closing '}'");
  if (!has_descr || !has_order || !has_shape) {
    fail(source, "malformed .npy header: it must give descr, fortran_order and shape");
  }

  if (descr == "<f4") {
    header.dtype = NpyDtype::float32;
  } else if (descr == "<f8") {
    header.dtype = NpyDtype::float64;
  } else if (descr == ">f4" || descr == ">f8") {
    fail(source, "big-endian data ('" + escape_bytes(descr) + "') is not supported");
  } else {
    fail(source,
         "dtype '" + escape_bytes(descr) + "' is not supported (float32 '<f4' or float64 '<f8')");
  }
  if (fortran_order) fail(source, "Fortran-order arrays are not supported (C order only)");

  // The data must fill the rest of the file exactly. Count elements with overflow checks.
  // A zero dimension makes the array empty, but as in NumPy the other dimensions must
  // still multiply to a size that fits (in bytes, in a signed std::ptrdiff_t): array code
  // computes strides from them, and xtensor's would overflow (found by fuzz_npy).
  std::size_t nonzero = 1;
  bool empty = false;
  for (std::size_t d : header.shape) {
    if (d == 0) {
      empty = true;
      continue;
    }
    if (nonzero >
        std::size_t(std::numeric_limits<std::ptrdiff_t>::max()) / itemsize(header.dtype) / d) {
      fail(source, "shape " + shape_to_string(header.shape) + " is too large");
    }
    nonzero *= d;
  }
  const std::size_t count = empty ? 0 : nonzero;
  const std::size_t expected = count * itemsize(header.dtype);
  const std::size_t actual = bytes.size() - header.data_offset;
  if (actual != expected) {
    fail(source, std::string(actual < expected ? "truncated" : "oversized") + " .npy file: shape " +
                     shape_to_string(header.shape) + " of " + npy_dtype_name(header.dtype) +
                     " needs " + std::to_string(expected) + " bytes of data, the file has " +
                     std::to_string(actual));
  }
  return header;
}

std::string npy_header_bytes(NpyDtype dtype, const Shape& shape) {
  std::string tuple = "(";
  for (std::size_t i = 0; i < shape.size(); ++i)
    tuple += (i ? ", " : "") + std::to_string(shape[i]);
  tuple += shape.size() == 1 ? ",)" : ")";
  std::string dict = std::string("{'descr': '") + (dtype == NpyDtype::float32 ? "<f4" : "<f8") +
                     "', 'fortran_order': False, 'shape': " + tuple + ", }";
  // Pad with spaces so that magic (6) + version (2) + length (2) + dict + '\n' is a multiple
  // of 64, as NumPy does (so the data is aligned for memory mapping).
  const std::size_t unpadded = kMagicSize + 2 + 2 + dict.size() + 1;
  dict.append(64 - unpadded % 64, ' ');
  dict += '\n';
  if (dict.size() > 65535) throw std::invalid_argument("npy: shape too long for a 1.0 header");
  std::string out(kMagic, kMagicSize);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict;
}

}  // namespace minflow::nn
