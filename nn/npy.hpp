// NumPy .npy files: the format of checkpoint weights, samples and trajectories, readable by
// `numpy.load` and therefore by PyTorch users.
//
// Layout (numpy.lib.format, versions 1.0, 2.0 and 3.0):
//   bytes 0–5   magic "\x93NUMPY"
//   bytes 6–7   major and minor version (1.0, 2.0 or 3.0)
//   next 2 or 4 header length HLEN, little-endian (2 bytes for 1.0, 4 for 2.0 and 3.0)
//   next HLEN   a Python dict literal, padded with spaces and ended by '\n':
//               {'descr': '<f4', 'fortran_order': False, 'shape': (64, 3), }
//   the rest    the values, C order, little-endian; exactly prod(shape)·itemsize bytes
// minflow writes version 1.0 with the header padded so that the data starts at a multiple
// of 64 bytes, as NumPy does.
//
// The reader trusts nothing: every field is checked against the file, and anything wrong
// (not a .npy, truncated, big-endian, another dtype, Fortran order, a shape that does not
// match the file size) throws std::runtime_error("FILE: what is wrong"). It never reads out
// of bounds and never allocates more than the file holds, so it can be fuzzed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "autograd/tensor.hpp"

namespace minflow::nn {

enum class NpyDtype { float32, float64 };  // '<f4' and '<f8'

std::string npy_dtype_name(NpyDtype dtype);  // "float32", "float64"

// What the header of a valid file says.
struct NpyHeader {
  int major_version = 1;
  NpyDtype dtype = NpyDtype::float32;
  Shape shape;
  std::size_t data_offset = 0;  // bytes before the first value
};

// Whether a reader asking for one dtype accepts the other, converting the values.
enum class DtypePolicy { exact, convert };

// ---- reading ----------------------------------------------------------------------------
// Parses and validates a whole file held in memory; `source` names it in errors.
NpyHeader parse_npy_header(std::string_view bytes, const std::string& source);
Array<float> parse_npy_float32(std::string_view bytes, const std::string& source,
                               DtypePolicy policy = DtypePolicy::exact);
Array<double> parse_npy_float64(std::string_view bytes, const std::string& source,
                                DtypePolicy policy = DtypePolicy::exact);

NpyHeader read_npy_header(const std::filesystem::path& file);
Array<float> read_npy_float32(const std::filesystem::path& file,
                              DtypePolicy policy = DtypePolicy::exact);
Array<double> read_npy_float64(const std::filesystem::path& file,
                               DtypePolicy policy = DtypePolicy::exact);

// The whole content of a file (used to read each .npy once); throws std::runtime_error
// naming the file when it is missing, a folder or unreadable.
std::string read_binary_file(const std::filesystem::path& file);

// ---- writing ----------------------------------------------------------------------------
// The complete version 1.0 header (magic to '\n') for an array of this dtype and shape.
std::string npy_header_bytes(NpyDtype dtype, const Shape& shape);

// Writes a C-order array atomically (AtomicFile): readers never see a partial file.
void write_npy(const std::filesystem::path& file, const float* data, const Shape& shape);
void write_npy(const std::filesystem::path& file, const double* data, const Shape& shape);
void write_npy(const std::filesystem::path& file, const Array<float>& values);
void write_npy(const std::filesystem::path& file, const Array<double>& values);

}  // namespace minflow::nn
