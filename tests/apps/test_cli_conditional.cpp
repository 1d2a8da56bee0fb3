// minflow train --conditional, sample/eval/plot --label --guidance end to end on tiny settings.
#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "cli_test.hpp"
#include "nn/checkpoint.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::kExe;
using minflow::testing::run_command;
namespace fs = std::filesystem;

TEST_CASE("a conditional flow trains, records its classes and samples a class",
          "[cli][conditional]") {
  minflow::testing::TempDir dir;
  auto r = run_command(kExe +
                           " train --data rings --conditional --steps 10 --batch 64 --hidden 16 "
                           "--depth 2 --out c.ckpt",
                       dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  const nn::Config config = nn::read_checkpoint_config(dir / "c.ckpt");
  CHECK(config.get_string("conditional") == "true");
  CHECK(config.get_size("classes") == 3);
  CHECK(config.get_size("in") == 7);  // x, y, t and four label slots
  for (const char* args : {" --label 2 --guidance 4", " --label 0", ""}) {
    r = run_command(kExe + " sample --model c.ckpt --n 50 --steps 4 --out s.npy" + args,
                    dir.path());
    INFO(args << "\n" << r.err);
    CHECK(r.status == 0);
  }
  // Resuming keeps the conditional keys.
  r = run_command(kExe +
                      " train --data rings --conditional --steps 12 --batch 64 --hidden 16 "
                      "--depth 2 --resume --out c.ckpt",
                  dir.path());
  CHECK(r.status == 0);
  CHECK(nn::read_checkpoint_config(dir / "c.ckpt").get_size("classes") == 3);
}

namespace {
double json_number(const std::string& json, const std::string& key) {
  const std::size_t at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) throw std::runtime_error("no key " + key + " in " + json);
  return std::stod(json.substr(at + key.size() + 4));
}
}  // namespace

TEST_CASE("eval scores one class against its own points; plot draws it and the w grid",
          "[cli][conditional]") {
  minflow::testing::TempDir dir;
  auto r = run_command(
      kExe +
          " train --data eight_gaussians --conditional --steps 600 --batch 256 --hidden 32 "
          "--out c.ckpt",
      dir.path());
  REQUIRE(r.status == 0);
  const std::string eval = kExe + " eval --model c.ckpt --n 400 --steps 20 --json";
  r = run_command(eval, dir.path());
  INFO(r.out << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\"conditioning\": \"unconditional (no --label: w = 0)\"") != std::string::npos);
  CHECK(r.out.find("right_class") == std::string::npos);
  const double whole_w2 = json_number(r.out, "w2");
  r = run_command(eval + " --label 5 --guidance 0", dir.path());
  REQUIRE(r.status == 0);
  // w = 0 ignores the label: about one sample in eight lands in class 5, and the class's
  // own points are far from the unconditional samples.
  CHECK(json_number(r.out, "right_class") < 0.4);
  CHECK(json_number(r.out, "w2") > whole_w2);
  r = run_command(eval + " --label 5 --guidance 2", dir.path());
  REQUIRE(r.status == 0);
  CHECK(json_number(r.out, "label") == 5);
  CHECK(json_number(r.out, "guidance") == 2);
  CHECK(json_number(r.out, "right_class") > 0.9);
  CHECK(json_number(r.out, "off_support_fraction") < 0.5);
  CHECK(r.out.find("\"conditioning\": \"class 5 at guidance 2\"") != std::string::npos);
  for (const char* what : {"samples", "trajectories", "animation"}) {
    r = run_command(kExe + " plot --what " + what +
                        " --model c.ckpt --label 1 --guidance 2 --n 64 --steps 10 --out p",
                    dir.path());
    INFO(what << "\n" << r.err);
    CHECK(r.status == 0);
  }
  CHECK(fs::exists(dir / "p/samples.dat"));
  CHECK(fs::exists(dir / "p/guidance.dat"));  // w = 0, 1, 2, 4, every class
  CHECK(fs::exists(dir / "p/trajectories.dat"));
}
