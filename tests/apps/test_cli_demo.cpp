// minflow demo --quick: the whole pipeline, every figure of docs/design.md#figures, report.md and
// the metrics table; a second run reuses the checkpoints.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <string>

#include "plot/plot.hpp"
#include "plot_images.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

using namespace minflow::testing;
namespace fs = std::filesystem;

TEST_CASE("demo --quick draws every figure and reports every metric", "[cli][demo]") {
  TempDir dir;
  const std::string exe = MINFLOW_EXE;
  auto r = run_command(exe + " demo --quick --out out", dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  const fs::path out = dir / "out";
  CHECK(fs::exists(out / "flow.ckpt/l0.weight.npy"));
  CHECK(fs::exists(out / "reflow.ckpt/l0.weight.npy"));
  const std::string report = read_text(out / "report.md");
  for (const char* word : {"energy distance", "sliced W2", "noise floor", "straightness", "NFE",
                           "| flow | euler 100 |", "| flow | rk4 20 |", "| reflow | euler 1 |",
                           "| reflow | euler 2 |", "| reflow | euler 4 |", "| reflow | euler 100 |",
                           "seed 0", "flow matching |", "reflow |"}) {
    INFO(word);
    CHECK(report.find(word) != std::string::npos);
  }
  CHECK(r.out.find("energy distance") != std::string::npos);  // the table on stdout
  // Without --extras: no student, no conditional flow, and the table as before.
  for (const char* file : {"distill.ckpt", "conditional.ckpt", "samples_distilled.png",
                           "guidance.png", "distill_euler1.npy"}) {
    INFO(file);
    CHECK_FALSE(fs::exists(out / file));
  }
  CHECK(report.find("distilled") == std::string::npos);
  CHECK(report.find("## Conditional") == std::string::npos);
  CHECK(r.out.find("\nmodel    sampling ") != std::string::npos);
  // The density each model defines: finite NLLs beside the entropy, in report.md and on stdout.
  const std::size_t density = report.find("## Density");
  REQUIRE(density != std::string::npos);
  for (const char* model : {"flow", "reflow"}) {
    INFO(model);
    const std::size_t row = report.find(std::string("\n| ") + model + " | ", density);
    REQUIRE(row != std::string::npos);
    const double nll = std::stod(report.substr(report.find("| ", row + 3) + 2));
    CHECK(std::isfinite(nll));
    CHECK(nll > 0.5);  // the spiral's entropy is about 2.2 nats; no model beats it by much
    CHECK(nll < 20.0);
    CHECK(report.find("| rk4 20 | 80 |", row) != std::string::npos);
  }
  const std::size_t stdout_density = r.out.find("NLL (nats)     excess");
  REQUIRE(stdout_density != std::string::npos);
  CHECK(r.out.find("\nreflow   rk4 20", stdout_density) != std::string::npos);
  CHECK(r.out.find("\nentropy  (target)", stdout_density) != std::string::npos);

  if (minflow::plot::find_on_path("gnuplot").empty()) {
    WARN("gnuplot is not installed: the figures were not drawn");
    return;
  }
  struct Expected {
    const char* file;
    unsigned width, height;
    std::size_t frames;
  };
  const Expected figures[] = {{"source_target.png", 1600, 800, 1},
                              {"pairing_velocities.png", 800, 800, 1},
                              {"loss.png", 800, 800, 1},
                              {"samples_untrained.png", 800, 800, 1},
                              {"samples_trained.png", 800, 800, 1},
                              {"samples_rk4.png", 800, 800, 1},
                              {"reflow_loss.png", 800, 800, 1},
                              {"flowmatch.gif", 600, 600, 11},
                              {"reflow.gif", 600, 600, 11},
                              {"combined.gif", 1200, 600, 11},
                              {"timewarp.gif", 800, 800, 31},
                              {"excess_loss.png", 800, 800, 1},
                              {"velocity_error.png", 800, 800, 1},
                              {"density_flow.png", 2400, 800, 1},
                              {"density_reflow.png", 2400, 800, 1}};
  for (const Expected& e : figures) {
    INFO(e.file);
    const fs::path file = out / e.file;
    const ImageInfo info = file.extension() == ".gif" ? gif_info(file) : png_info(file);
    CHECK(info.valid);
    CHECK(info.width == e.width);
    CHECK(info.height == e.height);
    CHECK(info.frames == e.frames);
    CHECK(report.find(e.file) != std::string::npos);
  }

  // A second run reuses both checkpoints and only redraws.
  r = run_command(exe + " demo --quick --out out", dir.path());
  CHECK(r.status == 0);
  CHECK(r.err.find("reusing") != std::string::npos);
}

TEST_CASE("Ctrl-C during demo saves the stage, and running again resumes it", "[cli][demo]") {
  TempDir dir;
  const std::string exe = MINFLOW_EXE;
  // Full settings (10,000 steps), interrupted from a script, where SIGINT starts ignored.
  const std::string script = exe +
                             " demo --out out --threads 1 & pid=$!; sleep 3; kill -INT $pid; "
                             "wait $pid; echo $? > status";
  run_command("sh -c '" + script + "'", dir.path());
  CHECK(read_text(dir / "status") == "130\n");
  const fs::path ckpt = dir / "out/flow.ckpt";
  REQUIRE(fs::exists(ckpt / "config.txt"));
  const std::string first_loss = read_text(ckpt / "loss.npy");
  run_command("sh -c '" + script + "'", dir.path());
  CHECK(read_text(dir / "status") == "130\n");
  // The second run continued the first: its loss history starts with the first one's values.
  const std::string second_loss = read_text(ckpt / "loss.npy");
  const std::size_t header = 128;  // minflow writes version-1.0 headers padded to 128 bytes
  REQUIRE(second_loss.size() > first_loss.size());
  CHECK(second_loss.compare(header, first_loss.size() - header, first_loss, header,
                            first_loss.size() - header) == 0);
}
