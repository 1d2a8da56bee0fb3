// The benchmark's tables in docs/benchmark/ (quoted by the README, docs/benchmark.md and
// chapter 12) are what `minflow benchmark` writes: a few of their cells are run again here
// and must give the CSV's numbers to the digits it prints. A cell depends only on its task,
// method, sizes and seed, so one cell stands for its run. The sanitizer build (another
// optimisation level, which may round differently; and a minute a cell) checks one quick
// cell, to 2 %.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "apps/benchmark_runs.hpp"

using namespace minflow::cli;
namespace fs = std::filesystem;

namespace {

#ifdef MINFLOW_SANITIZE_BUILD
constexpr bool kExactBuild = false;
#else
constexpr bool kExactBuild = true;
#endif

const BenchmarkTask& task_named(const std::string& name) {
  for (const BenchmarkTask& task : benchmark_tasks())
    if (task.name == name) return task;
  FAIL("no benchmark task " << name);
  throw;  // not reached
}

// The CSV row "task,method,seed,w2,npe,seconds" of that cell: {w2, npe} as printed.
std::pair<std::string, std::string> csv_cell(const fs::path& csv, const std::string& task,
                                             const std::string& method, int seed) {
  std::ifstream in(csv);
  REQUIRE(in);
  const std::string key = task + "," + method + "," + std::to_string(seed) + ",";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) != 0) continue;
    std::istringstream fields(line.substr(key.size()));
    std::string w2, npe;
    std::getline(fields, w2, ',');
    std::getline(fields, npe, ',');
    return {w2, npe};
  }
  FAIL("no row " << key << " in " << csv.string());
  throw;  // not reached
}

std::string printed(double value) {  // as cmd_benchmark.cpp writes the CSV
  std::ostringstream out;
  out << value;
  return out.str();
}

void check_cell(const std::string& table, const BenchmarkSizes& sizes, const std::string& task,
                const std::string& method) {
  INFO(table << ": " << task << ", " << method << ", seed 0");
  const fs::path csv = fs::path(MINFLOW_SOURCE_DIR) / "docs" / "benchmark" / table / "table.csv";
  const auto [w2, npe] = csv_cell(csv, task, method, 0);
  const BenchmarkCell cell = run_benchmark_cell(task_named(task), method, sizes, 0, false);
  if (kExactBuild) {
    CHECK(printed(cell.w2) == w2);
    CHECK(printed(cell.npe) == npe);
  } else {
    CHECK(cell.w2 == Approx(std::stod(w2)).epsilon(0.02));
    CHECK(cell.npe == Approx(std::stod(npe)).epsilon(0.02).margin(0.002));
  }
}

}  // namespace

TEST_CASE("benchmark: the quick table's cells come out again", "[cli][benchmark]") {
  BenchmarkSizes quick;
  quick.steps = 1000, quick.n = 512;  // `minflow benchmark --quick`
  check_cell("quick", quick, "N -> moons", "I-CFM");
  if (kExactBuild) check_cell("quick", quick, "N -> moons", "OT-CFM");
}

#ifndef MINFLOW_SANITIZE_BUILD  // 20,000 steps: a minute with the sanitizers, for no new check
TEST_CASE("benchmark: a cell of the full table comes out again", "[cli][benchmark]") {
  check_cell("full", BenchmarkSizes{}, "N -> scurve", "I-CFM");
}
#endif
