// One cell of `minflow benchmark`'s table: one method trained on one task with one seed, then
// scored by exact W2 and NPE (docs/benchmark.md). Tasks use torchcfm's data sets at torchcfm's
// scales (flow/torchcfm_data.hpp), so W2 is in the units of Tong et al. (2024)'s table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plot/benchmark.hpp"

namespace minflow::cli {

struct BenchmarkTask {
  std::string name;  // "N -> 8gaussians", as in the paper's table
  std::string slug;  // "n_8gaussians": the figure's file name
  std::string source, data;
};
const std::vector<BenchmarkTask>& benchmark_tasks();
// I-CFM, OT-CFM, SB-CFM, 2-RF.
const std::vector<std::string>& benchmark_methods();

struct BenchmarkSizes {
  std::size_t steps = 20000;  // optimizer steps (2-RF: as many again for the student)
  std::size_t batch = 256;
  std::size_t n = 2048;  // points scored
};

struct BenchmarkCell {
  double w2 = 0, npe = 0;
  double seconds = 0;           // wall time of training and scoring
  plot::BenchmarkPanel figure;  // samples and a few paths (filled when asked for)
};

BenchmarkCell run_benchmark_cell(const BenchmarkTask& task, const std::string& method,
                                 const BenchmarkSizes& sizes, std::uint64_t seed, bool with_figure);

}  // namespace minflow::cli
