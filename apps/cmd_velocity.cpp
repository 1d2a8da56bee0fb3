// minflow velocity: the model's v(x, t) at given points, to compare with another
// implementation (docs/cli.md#minflow-velocity).
#include <iostream>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "flow/velocity_net.hpp"

namespace minflow::cli {

Flags velocity_flags() {
  Flags flags("minflow velocity");
  add_common_flags(flags);
  flags.add_text("model", "", "checkpoint folder (required)");
  flags.add_text("at", "", "the points x, an [n,2] .npy (required)");
  flags.add_real("t", 0.0, "the time t in [0, 1] for every point", false);
  flags.add_text("out", "velocity.npy", "float32 [n,2]: v(x, t) for each row of --at");
  return flags;
}

int run_velocity(const std::vector<std::string>& args) {
  Flags flags = velocity_flags();
  if (!flags.parse(args)) {
    std::cout << flags.help("--model CKPT --at X.npy --t T [flags]")
              << "\nWrites the velocity net's v(x, t) at the given points.\n";
    return 0;
  }
  if (!flags.given("model")) flags.fail("--model is required");
  if (!flags.given("at")) flags.fail("--at is required");
  const double t = flags.real("t");
  if (t < 0 || t > 1) flags.fail("--t must be in [0, 1], got " + std::to_string(t));
  const fs::path out = flags.text("out");
  check_output_file(flags, "out", out);
  for (const char* input : {"model", "at"})
    check_not_an_input(flags, "out", out, std::string("--") + input, flags.text(input));
  const Array<float> x = read_points(flags, "at", flags.text("at"));
  nn::LoadedMlp model = load_model(flags, flags.text("model"));
  apply_threads(flags);

  const Array<float> v = flow::velocity_field(*model.model)(x, t);
  write_points(out, v);
  std::cout << "minflow velocity: " << x.shape()[0] << " points at t = " << t << ", wrote "
            << out.string() << "\n";
  return 0;
}

}  // namespace minflow::cli
