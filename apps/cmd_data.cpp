// minflow data: a data set's points, drawn exactly as evaluation draws its target
// (docs/cli.md#minflow-data).
#include <iostream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "flow/datasets.hpp"
#include "flow/evaluate.hpp"

namespace minflow::cli {

Flags data_flags() {
  Flags flags("minflow data");
  add_common_flags(flags);
  flags.add_text("data", "spiral",
                 "spiral, moons, eight_gaussians, checkerboard, rings, or gaussian (the source)");
  flags.add_count("n", 4096, "points", kMaxPoints);
  flags.add_text("out", "data.npy", "float32 [n,2]");
  return flags;
}

int run_data(const std::vector<std::string>& args) {
  Flags flags = data_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("[--data NAME] [--n N] [--seed S] [--out FILE]")
              << "\nWrites a data set's points; with --seed " << flow::kEvalSeed
              << " (eval's --eval-seed) they are eval's target points.\n";
    return 0;
  }
  const std::string& name = flags.text("data");
  if (name != "gaussian") {
    try {
      flow::check_dataset(name);
    } catch (const std::exception& e) {
      flags.fail(std::string("--data: ") + e.what());
    }
  }
  const fs::path out = flags.text("out");
  check_output_file(flags, "out", out);
  // eval draws its target from the stream "target" of --eval-seed: the same draw here.
  Generator gen(flags.seed("seed"), "target");
  write_points(out, flow::sample_dataset(name, gen, flags.count("n")));
  std::cout << "minflow data: " << flags.count("n") << " points of " << name << ", wrote "
            << out.string() << "\n";
  return 0;
}

}  // namespace minflow::cli
