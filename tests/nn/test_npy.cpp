// NumPy .npy reading and writing: exact headers, round trips, and a reader that rejects
// every kind of damage with a clear error instead of crashing.
#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <sstream>

#include "base/random.hpp"
#include "nn/npy.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using namespace minflow::nn;
using minflow::testing::TempDir;

namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void dump(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

// A version-1.0 file with the given header dict (padded as NumPy pads) and data bytes.
std::string npy_with_dict(const std::string& dict, const std::string& data) {
  std::string header = dict;
  header.append(64 - (10 + header.size() + 1) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY\x01";
  out += '\0';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

Array<float> counting(const Shape& shape) {
  Array<float> a = Array<float>::from_shape(shape);
  float v = 0.25f;
  for (float& x : a)
    x = (v += 1.5f);
  return a;
}

}  // namespace

TEST_CASE("the header is NumPy's, padded to 64 bytes", "[npy]") {
  const std::string h = npy_header_bytes(NpyDtype::float32, {2, 3});
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  CHECK(h.size() == 128);
  CHECK(h.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  CHECK(static_cast<unsigned char>(h[8]) == 118);  // header length, little-endian
  CHECK(h[9] == 0);
  CHECK(h.substr(10, dict.size()) == dict);
  CHECK(h.back() == '\n');
  CHECK(h.find_first_not_of(' ', 10 + dict.size()) == h.size() - 1);
  CHECK(npy_header_bytes(NpyDtype::float64, {5})
            .find("'<f8', 'fortran_order': False, 'shape': (5,)") != std::string::npos);
  CHECK(npy_header_bytes(NpyDtype::float32, {}).find("'shape': ()") != std::string::npos);
}

TEST_CASE("float32 and float64 arrays round-trip bitwise", "[npy]") {
  TempDir dir;
  for (const Shape& shape : {Shape{}, Shape{7}, Shape{64, 3}, Shape{2, 3, 4}, Shape{0, 3}}) {
    const Array<float> a = counting(shape);
    write_npy(dir / "a.npy", a);
    const Array<float> b = read_npy_float32(dir / "a.npy");
    CHECK(Shape(b.shape().begin(), b.shape().end()) == shape);
    CHECK((a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * 4) == 0));
    CHECK(slurp(dir / "a.npy").size() == 128 + a.size() * 4);
  }
  Array<double> d = {{1.0 / 3, -2.5}, {1e300, 0.0}};
  write_npy(dir / "d.npy", d);
  const Array<double> d2 = read_npy_float64(dir / "d.npy");
  CHECK(std::memcmp(d.data(), d2.data(), sizeof(double) * 4) == 0);
  CHECK(read_npy_header(dir / "d.npy").dtype == NpyDtype::float64);
  // Nothing but the file itself is left behind (the temporary file was renamed).
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  CHECK(files == 2);
}

TEST_CASE("dtype conversion only when asked", "[npy]") {
  TempDir dir;
  write_npy(dir / "d.npy", Array<double>{0.5, 1.0 / 3});
  CHECK_THROWS_WITH(read_npy_float32(dir / "d.npy"), Catch::Contains("d.npy") &&
                                                         Catch::Contains("float64") &&
                                                         Catch::Contains("float32 is required"));
  const Array<float> f = read_npy_float32(dir / "d.npy", DtypePolicy::convert);
  CHECK(f(1) == static_cast<float>(1.0 / 3));
  write_npy(dir / "f.npy", Array<float>{0.5f, 2.0f});
  CHECK(read_npy_float64(dir / "f.npy", DtypePolicy::convert)(1) == 2.0);
}

TEST_CASE("headers NumPy may write are accepted", "[npy]") {
  TempDir dir;
  const std::string data(8, '\0');
  // Keys in another order, double quotes, no trailing comma, no space.
  dump(dir / "a.npy",
       npy_with_dict("{\"shape\":(2,),\"fortran_order\":False,\"descr\":\"<f4\"}", data));
  CHECK(read_npy_float32(dir / "a.npy").size() == 2);
  // Version 2.0 (4-byte header length).
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  dict.append(64 - (12 + dict.size() + 1) % 64, ' ');
  dict += '\n';
  std::string v2 = std::string("\x93NUMPY\x02\x00", 8);
  v2 += static_cast<char>(dict.size());
  v2 += std::string(3, '\0');
  dump(dir / "b.npy", v2 + dict + data);
  CHECK(read_npy_header(dir / "b.npy").major_version == 2);
  CHECK(read_npy_float32(dir / "b.npy").size() == 2);
}

TEST_CASE("damaged files give an error naming the file and the problem", "[npy]") {
  TempDir dir;
  const auto file = dir / "bad.npy";
  const std::string good_dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  const std::string data(24, '\0');
  struct Case {
    std::string bytes, message;
  };
  const std::string valid = npy_with_dict(good_dict, data);
  const std::vector<Case> cases = {
      {"", "not a NumPy .npy file"},
      {"hello world, not numpy", "magic"},
      {std::string("\x93NUMPY\x04\x00", 8) + valid.substr(8), "version 4.0"},
      {valid.substr(0, 9), "header length"},
      {valid.substr(0, 60), "header claims"},
      {valid.substr(0, valid.size() - 1), "truncated .npy file: shape [2,3] of float32 needs 24"},
      {valid + "x", "oversized"},
      {npy_with_dict("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", data),
       "'<i4' is not supported"},
      {npy_with_dict("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", data),
       "big-endian"},
      {npy_with_dict("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data),
       "Fortran"},
      {npy_with_dict("{'descr': '<f4', 'shape': (2, 3), }", data), "must give descr"},
      {npy_with_dict("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6,)}",
                     data),
       "repeated key"},
      {npy_with_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", data),
       "expected a dimension"},
      {npy_with_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } junk", data),
       "after the closing"},
      {npy_with_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}",
                     data),
       "too large"},
      {npy_with_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}",
                     data),
       "too large"},
      {npy_with_dict("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", data),
       "expected '}'"},
  };
  for (const Case& c : cases) {
    dump(file, c.bytes);
    INFO("case expecting: " << c.message);
    CHECK_THROWS_AS(read_npy_float32(file), std::runtime_error);
    CHECK_THROWS_WITH(read_npy_float32(file),
                      Catch::Contains(file.string()) && Catch::Contains(c.message));
  }
  CHECK_THROWS_WITH(read_npy_float32(dir / "missing.npy"), Catch::Contains("no such file"));
  CHECK_THROWS_WITH(read_npy_float32(dir.path()), Catch::Contains("is a folder"));
}

TEST_CASE("random damage never crashes the reader", "[npy][fuzz]") {
  // A small in-process fuzzer: flip, insert, delete and truncate bytes of valid files and
  // check that parsing either succeeds or throws std::runtime_error. (Run under the
  // sanitizers, this also proves there are no out-of-bounds reads.)
  Generator gen(20261129, "npy-fuzz");
  const std::string seeds[] = {
      npy_header_bytes(NpyDtype::float32, {2, 3}) + std::string(24, '\x01'),
      npy_header_bytes(NpyDtype::float64, {3}) + std::string(24, '\x02'),
      npy_header_bytes(NpyDtype::float32, {}) + std::string(4, '\x03')};
  int parsed = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string bytes = seeds[gen.below(3)];
    const int edits = 1 + static_cast<int>(gen.below(4));
    for (int e = 0; e < edits && !bytes.empty(); ++e) {
      const std::size_t at = gen.below(static_cast<std::uint32_t>(bytes.size()));
      switch (gen.below(4)) {
        case 0:
          bytes[at] = static_cast<char>(gen.below(256));
          break;
        case 1:
          bytes.insert(at, 1, "(),:'{} 0123456789TrueFalse<f4"[gen.below(30)]);
          break;
        case 2:
          bytes.erase(at, 1);
          break;
        default:
          bytes.resize(at);
      }
    }
    try {
      parse_npy_float32(bytes, "fuzz", DtypePolicy::convert);
      ++parsed;
    } catch (const std::runtime_error&) {
      ++rejected;
    }
  }
  CHECK(parsed + rejected == 3000);
  CHECK(rejected > 1000);
}

TEST_CASE("writing into a missing folder fails cleanly", "[npy]") {
  TempDir dir;
  CHECK_THROWS_WITH(write_npy(dir / "no" / "such" / "a.npy", Array<float>{1.0f}),
                    Catch::Contains("a.npy") && Catch::Contains("temporary file"));
}
