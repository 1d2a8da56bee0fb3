// minflow benchmark: the 2-D table of Tong et al. (2024): tasks × methods × seeds, each run
// trained here and scored by exact W2 (samples against as many target points) and NPE, with
// a figure per task (docs/benchmark.md). The runs themselves: apps/benchmark_runs.cpp.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/benchmark_runs.hpp"
#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "flow/torchcfm_data.hpp"

namespace minflow::cli {

namespace {

std::string mean_sd(const std::vector<double>& v, const char* format = "%.3f ± %.3f") {
  double mean = 0, var = 0;
  for (double x : v)
    mean += x / double(v.size());
  for (double x : v)
    var += (x - mean) * (x - mean) / double(v.size() > 1 ? v.size() - 1 : 1);
  char text[64];
  std::snprintf(text, sizeof text, format, mean, std::sqrt(var));
  return text;
}

}  // namespace

Flags benchmark_flags() {
  Flags flags("minflow benchmark");
  add_common_flags(flags);
  flags.add_switch("quick", "small settings: the whole table in minutes");
  flags.add_count("seeds", 5, "seeds per task and method", 1000);
  flags.add_text("out", "benchmark", "folder for table.md, table.csv and the figures (created)");
  return flags;
}

int run_benchmark(const std::vector<std::string>& args) {
  Flags flags = benchmark_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("[flags]")
              << "\nTrains I-CFM, OT-CFM, SB-CFM and 2-rectified flow on four 2-D tasks "
                 "(torchcfm's data sets) and tabulates W2 and NPE (mean ± sd over seeds), "
                 "with a figure per task.\n";
    return 0;
  }
  const fs::path out = flags.text("out");
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec)) {
    flags.fail("--out " + out.string() + " exists and is not a folder");
  }
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out)) flags.fail("cannot create --out " + out.string());
  apply_threads(flags);
  const bool quick = flags.on("quick");
  BenchmarkSizes sizes;
  sizes.steps = quick ? 1000 : 20000;
  sizes.n = quick ? 512 : 2048;
  const std::size_t seeds = flags.count("seeds");

  std::ostringstream csv, md;
  csv << "task,method,seed,w2,npe,seconds\n";
  md << "| task | method | W2 | NPE | seconds a run |\n|---|---|---|---|---|\n";
  double total = 0;
  for (const BenchmarkTask& task : benchmark_tasks()) {
    std::vector<plot::BenchmarkPanel> panels;
    for (const std::string& method : benchmark_methods()) {
      std::vector<double> w2, npe, seconds;
      for (std::size_t k = 0; k < seeds; ++k) {
        const std::uint64_t seed = flags.seed("seed") + k;
        BenchmarkCell cell = run_benchmark_cell(task, method, sizes, seed, k == 0);
        w2.push_back(cell.w2);
        npe.push_back(cell.npe);
        seconds.push_back(cell.seconds);
        total += cell.seconds;
        csv << task.name << "," << method << "," << seed << "," << cell.w2 << "," << cell.npe << ","
            << cell.seconds << "\n";
        if (k == 0) panels.push_back(std::move(cell.figure));
      }
      md << "| " << task.name << " | " << method << " | " << mean_sd(w2) << " | " << mean_sd(npe)
         << " | " << mean_sd(seconds, "%.1f ± %.1f") << " |\n";
      std::cerr << "benchmark: " << task.name << ", " << method << " done ("
                << mean_sd(seconds, "%.1f ± %.1f") << " s a run)\n";
    }
    Generator target_gen(flags.seed("seed"), "benchmark-target");
    const Array<float> target = flow::sample_torchcfm(task.data, target_gen, sizes.n);
    plot::plot_benchmark_task(out / (task.slug + ".png"),
                              task.name + " (seed " + std::to_string(flags.seed("seed")) +
                                  "; grey: target, orange: samples, blue: paths)",
                              target, panels);
  }
  char summary[256];
  std::snprintf(summary, sizeof summary,
                "\n%zu seed%s, %zu optimizer steps at batch %zu (2-RF: as many again for the "
                "student), W2 and NPE on %zu points (Euler 100); %.0f s in all.\n",
                seeds, seeds == 1 ? "" : "s", sizes.steps, sizes.batch, sizes.n, total);
  md << summary
     << "Tong et al. (2024)'s published figures are not reproduced here: see "
        "docs/benchmark.md.\n";
  std::ofstream(out / "table.md") << md.str();
  std::ofstream(out / "table.csv") << csv.str();
  std::cout << md.str();
  return 0;
}

}  // namespace minflow::cli
