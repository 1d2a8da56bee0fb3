// Reading and writing .npy arrays (the header itself is in npy_header.cpp).
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "base/atomic_file.hpp"
#include "nn/npy.hpp"

// .npy data is little-endian and copied as is: this code assumes a little-endian machine.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "minflow's .npy code is little-endian");

namespace minflow::nn {

std::string read_binary_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    throw std::runtime_error(file.string() + ": is a folder, not a file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error(
        file.string() + ": cannot open (" +
        (std::filesystem::exists(file, ec) ? "permission denied?" : "no such file") + ")");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw std::runtime_error(file.string() + ": read error");
  return bytes.str();
}

namespace {

// Copies the data of a validated file into an array of T, converting when the file holds
// the other float type and the policy allows it.
template <class T>
Array<T> parse_values(std::string_view bytes, const std::string& source, DtypePolicy policy) {
  constexpr NpyDtype wanted = sizeof(T) == 4 ? NpyDtype::float32 : NpyDtype::float64;
  const NpyHeader header = parse_npy_header(bytes, source);
  if (header.dtype != wanted && policy == DtypePolicy::exact) {
    throw std::runtime_error(source + ": holds " + npy_dtype_name(header.dtype) + " data, " +
                             npy_dtype_name(wanted) + " is required");
  }
  Array<T> values = Array<T>::from_shape(header.shape);
  const char* data = bytes.data() + header.data_offset;
  if (header.dtype == wanted) {
    if (values.size()) std::memcpy(values.data(), data, values.size() * sizeof(T));
  } else if (header.dtype == NpyDtype::float32) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      float v;
      std::memcpy(&v, data + i * sizeof v, sizeof v);
      values.data()[i] = static_cast<T>(v);
    }
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      double v;
      std::memcpy(&v, data + i * sizeof v, sizeof v);
      values.data()[i] = static_cast<T>(v);
    }
  }
  return values;
}

template <class T>
void write_values(const std::filesystem::path& file, const T* data, const Shape& shape) {
  constexpr NpyDtype dtype = sizeof(T) == 4 ? NpyDtype::float32 : NpyDtype::float64;
  std::size_t count = 1;
  for (std::size_t d : shape)
    count *= d;
  const std::string header = npy_header_bytes(dtype, shape);
  AtomicFile out(file);
  out.write(header.data(), header.size());
  out.write(data, count * sizeof(T));
  out.commit();
}

}  // namespace

Array<float> parse_npy_float32(std::string_view bytes, const std::string& source,
                               DtypePolicy policy) {
  return parse_values<float>(bytes, source, policy);
}

Array<double> parse_npy_float64(std::string_view bytes, const std::string& source,
                                DtypePolicy policy) {
  return parse_values<double>(bytes, source, policy);
}

NpyHeader read_npy_header(const std::filesystem::path& file) {
  return parse_npy_header(read_binary_file(file), file.string());
}

Array<float> read_npy_float32(const std::filesystem::path& file, DtypePolicy policy) {
  return parse_values<float>(read_binary_file(file), file.string(), policy);
}

Array<double> read_npy_float64(const std::filesystem::path& file, DtypePolicy policy) {
  return parse_values<double>(read_binary_file(file), file.string(), policy);
}

void write_npy(const std::filesystem::path& file, const float* data, const Shape& shape) {
  write_values(file, data, shape);
}

void write_npy(const std::filesystem::path& file, const double* data, const Shape& shape) {
  write_values(file, data, shape);
}

void write_npy(const std::filesystem::path& file, const Array<float>& values) {
  write_values(file, values.data(), Shape(values.shape().begin(), values.shape().end()));
}

void write_npy(const std::filesystem::path& file, const Array<double>& values) {
  write_values(file, values.data(), Shape(values.shape().begin(), values.shape().end()));
}

}  // namespace minflow::nn
