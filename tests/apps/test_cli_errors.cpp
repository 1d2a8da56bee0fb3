// Every usage or input error of docs/cli.md: exit 2, one line on stderr, and nothing written.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "cli_test.hpp"
#include "nn/npy.hpp"
#include "temp_dir.hpp"

using namespace minflow;
using minflow::testing::run_command;
using minflow::testing::snapshot;
namespace fs = std::filesystem;
using minflow::testing::kExe;

namespace {

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

// A tiny trained checkpoint and broken variants of it, plus bad point files.
void make_fixtures(const fs::path& dir) {
  auto r =
      run_command(kExe + " train --steps 3 --batch 8 --hidden 8 --depth 1 --out good.ckpt", dir);
  REQUIRE(r.status == 0);
  r = run_command(kExe +
                      " train --steps 3 --batch 8 --hidden 8 --depth 1 --data moons --conditional "
                      "--out cond.ckpt",
                  dir);
  REQUIRE(r.status == 0);
  fs::copy(dir / "good.ckpt", dir / "truncated.ckpt", fs::copy_options::recursive);
  fs::resize_file(dir / "truncated.ckpt/l0.weight.npy", 70);
  fs::copy(dir / "good.ckpt", dir / "otherarch.ckpt", fs::copy_options::recursive);
  std::string config = minflow::testing::read_text(dir / "good.ckpt/config.txt");
  config.replace(config.find("hidden = 8"), 10, "hidden = 16");
  write_text(dir / "otherarch.ckpt/config.txt", config);
  fs::copy(dir / "good.ckpt", dir / "partial.ckpt", fs::copy_options::recursive);
  config = minflow::testing::read_text(dir / "good.ckpt/config.txt");
  config.replace(config.find("steps_total = 3"), 15, "steps_total = 9");
  write_text(dir / "partial.ckpt/config.txt", config);
  fs::copy(dir / "good.ckpt", dir / "float64.ckpt", fs::copy_options::recursive);
  Array<double> w = Array<double>::from_shape({8, 3});
  std::fill(w.begin(), w.end(), 0.5);
  nn::write_npy(dir / "float64.ckpt/l0.weight.npy", w);
  fs::copy(dir / "good.ckpt", dir / "garbage.ckpt", fs::copy_options::recursive);
  write_text(dir / "garbage.ckpt/config.txt", "this is = = not\x01 a config\n");
  Array<float> three = Array<float>::from_shape({5, 3});
  std::fill(three.begin(), three.end(), 0.0f);
  nn::write_npy(dir / "three_columns.npy", three);
  write_text(dir / "not_npy.npy", "hello");
  // An int32 [2,2] .npy: the right shape, not floats.
  std::string header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }";
  header.append(128 - 10 - header.size() - 1, ' ');
  header += '\n';
  std::string npy = std::string("\x93NUMPY\x01\x00", 8) + char(header.size()) + '\0' + header;
  npy.append(16, '\0');
  write_text(dir / "ints.npy", npy);
  // Round 2: weights that are not numbers, a config that claims a huge net, a teacher of an
  // unknown data set, a header with terminal escapes in it, a dangling symbolic link.
  fs::copy(dir / "good.ckpt", dir / "nan.ckpt", fs::copy_options::recursive);
  Array<float> bias = Array<float>::from_shape({2});
  bias(0) = 0.5f;
  bias(1) = std::numeric_limits<float>::quiet_NaN();
  nn::write_npy(dir / "nan.ckpt/l1.bias.npy", bias);
  fs::copy(dir / "good.ckpt", dir / "huge.ckpt", fs::copy_options::recursive);
  config = minflow::testing::read_text(dir / "good.ckpt/config.txt");
  config.replace(config.find("hidden = 8"), 10, "hidden = 31622");
  write_text(dir / "huge.ckpt/config.txt", config);
  fs::copy(dir / "good.ckpt", dir / "swiss.ckpt", fs::copy_options::recursive);
  config = minflow::testing::read_text(dir / "good.ckpt/config.txt");
  config.replace(config.find("data = spiral"), 13, "data = swissroll");
  write_text(dir / "swiss.ckpt/config.txt", config);
  fs::copy(dir / "good.ckpt", dir / "checker.ckpt", fs::copy_options::recursive);
  config.replace(config.find("data = swissroll"), 16, "data = checkerboard");
  write_text(dir / "checker.ckpt/config.txt", config);
  std::string dict = "{'descr': '\x1b[2J\x01', 'fortran_order': False, 'shape': (2, 2), }";
  dict.resize(117, ' ');
  dict += '\n';
  write_text(dir / "escapes.npy", std::string("\x93NUMPY\x01\x00", 8) + std::string(1, char(118)) +
                                      std::string(1, '\0') + dict + std::string(16, '\0'));
  fs::create_symlink("nowhere/x.ckpt", dir / "dangling.ckpt");
  for (std::size_t rows : {3, 5}) {
    Array<float> points = Array<float>::from_shape({rows, 2});
    std::fill(points.begin(), points.end(), 0.25f);
    nn::write_npy(dir / ("pts" + std::to_string(rows) + ".npy"), points);
  }
  write_text(dir / "afile", "x");
}

struct BadCase {
  const char* args;
  const char* says;  // a piece of the stderr line
};

const BadCase kBadCases[] = {
    {"frobnicate", "unknown subcommand"},
    {"train --bogus 1", "unknown flag --bogus"},
    {"train --steps", "--steps needs a value"},
    {"train --steps abc", "--steps must be a positive integer"},
    {"train --steps -5", "--steps must be a positive integer, got \"-5\""},
    {"train --steps 0", "--steps must be a positive integer"},
    {"train --steps 100000001", "--steps must be at most 100000000"},
    {"train --batch 1000001", "--batch must be at most 1000000"},
    {"train --hidden 4097", "--hidden must be at most 4096"},
    {"train --depth 65", "--depth must be at most 64"},
    {"train --lr nan", "--lr must be a finite number"},
    {"train --lr inf", "--lr must be a finite number"},
    {"train --lr -1e-3", "--lr must be greater than 0"},
    {"train --lr 0", "--lr must be greater than 0"},
    {"train --data swissroll", "unknown data set 'swissroll'"},
    {"train --activation softplus", "--activation"},
    {"train --time cosine", "unknown time sampler"},
    {"train --time warp:1.6", "[0, 1.5]"},
    {"train --seed -1", "--seed must be an integer"},
    {"train --threads 0", "--threads must be a positive integer"},
    {"train --out missing/flow.ckpt", "does not exist"},
    {"train --out afile/flow.ckpt", "is not a folder"},
    {"train --out good.ckpt", "already exists; use --force"},
    {"train --out afile", "is not a checkpoint folder"},
    {"train --resume --out good.ckpt --hidden 8 --depth 1 --batch 16 --steps 9",
     "batch is 8 in the checkpoint, 16 here"},
    {"train --resume --out good.ckpt --steps 9", "batch is 8 in the checkpoint, 2048 here"},
    {"sample", "exactly one of --model and --oracle"},
    {"sample --model missing.ckpt", "does not exist"},
    {"sample --model afile", "not a checkpoint folder"},
    {"sample --model truncated.ckpt", "l0.weight"},
    {"sample --model otherarch.ckpt", "l0.weight"},
    {"sample --model float64.ckpt", "float"},
    {"sample --model garbage.ckpt", "config.txt"},
    {"sample --model good.ckpt --from three_columns.npy", "[n,2]"},
    {"sample --model good.ckpt --from not_npy.npy", "--from"},
    {"sample --model good.ckpt --from missing.npy", "--from"},
    {"sample --model good.ckpt --solver rk5", "unknown solver 'rk5'"},
    {"sample --model good.ckpt --steps 0", "--steps must be a positive integer"},
    {"sample --model good.ckpt --grid warp:2", "[0, 1.5]"},
    {"sample --model good.ckpt --grid cosine", "--grid must be uniform or warp:S"},
    {"sample --model good.ckpt --out missing/s.npy", "does not exist"},
    {"sample --model good.ckpt --out afile/s.npy", "is not a folder"},
    {"sample --model good.ckpt --n 10000001", "--n must be at most"},
    {"eval", "exactly one of --model and --samples"},
    {"eval --model good.ckpt --samples three_columns.npy", "exactly one of"},
    {"eval --samples three_columns.npy", "[n,2]"},
    {"eval --samples not_npy.npy", "--samples"},
    {"eval --model good.ckpt --data swissroll", "unknown data set"},
    {"sample --oracle checkerboard", "no closed-form velocity"},
    {"sample --oracle spirl", "unknown data set 'spirl'"},
    {"sample --model good.ckpt --oracle spiral", "exactly one of --model and --oracle"},
    {"sample --oracle three_columns.npy", "[n,2]"},
    {"sample --oracle ints.npy", "--oracle"},
    {"eval --oracle checkerboard", "no closed-form velocity"},
    {"eval --model good.ckpt --oracle three_columns.npy", "[n,2]"},
    {"eval --oracle not_npy.npy", "--oracle"},
    {"eval --samples three_columns.npy --oracle spiral", "not with --samples"},
    {"reflow --teacher-oracle checkerboard", "no closed-form velocity"},
    {"train --data checkerboard --stop-excess 0.1", "--stop-excess needs a target"},
    {"train --stop-excess 0", "--stop-excess must be greater than 0"},
    {"plot --what velocity-error --model good.ckpt --data checkerboard --out p",
     "needs an exact field"},
    {"plot --what velocity-error --oracle spiral --out p", "needs --model"},
    {"plot --what samples --oracle checkerboard --out p", "no closed-form velocity"},
    {"reflow --teacher good.ckpt --teacher-oracle spiral", "exactly one of --teacher and"},
    {"reflow --teacher-oracle three_columns.npy", "[n,2]"},
    {"train --source uniform", "--source: unknown source 'uniform'"},
    {"train --coupling exact", "--coupling: unknown coupling \"exact\""},
    {"train --coupling sinkhorn:-0.1", "sinkhorn:EPS needs a finite EPS > 0"},
    {"train --coupling sinkhorn:abc", "sinkhorn:EPS needs a finite EPS > 0"},
    {"train --sigma -0.1", "--sigma must be >= 0"},
    {"train --sigma nan", "--sigma must be a finite number"},
    {"train --time error:missing.ckpt", "--time error:missing.ckpt: missing.ckpt does not exist"},
    {"train --time error:", "give the checkpoint to measure"},
    {"train --time error:checker.ckpt", "trained on checkerboard, which has no exact field"},
    {"train --data moons --time error:good.ckpt", "trained on spiral, this run on moons"},
    {"reflow --teacher good.ckpt --time error:good.ckpt", "unknown time sampler 'error:good.ckpt'"},
    {"sample --model good.ckpt --source swissroll", "--source: unknown source"},
    {"eval --model good.ckpt --source nothing", "--source: unknown source"},
    // Round 2: refused at load, before any work.
    {"sample --model nan.ckpt", "l1.bias.npy holds NaN or Inf"},
    {"eval --model nan.ckpt", "l1.bias.npy holds NaN or Inf"},
    {"train --resume --out nan.ckpt --batch 8 --hidden 8 --depth 1 --steps 9", "NaN or Inf"},
    {"reflow --teacher nan.ckpt", "NaN or Inf"},
    {"sample --model huge.ckpt", "l0.weight has shape [8,3], config.txt"},
    {"reflow --teacher swiss.ckpt", "data = swissroll, not a known data set"},
    {"eval --samples escapes.npy", "dtype '\\x1b[2J\\x01' is not supported"},
    {"train --out dangling.ckpt", "symbolic link to nowhere/x.ckpt, which does not exist"},
    {"train --out "
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "has 250 bytes; at most 244 fit here"},
    // An output may not destroy an input or another output.
    {"sample --model good.ckpt --out s.npy --trajectory s.npy", "same file as --out s.npy"},
    {"sample --model good.ckpt --out good.ckpt/l1.weight.npy", "is inside --model good.ckpt"},
    {"sample --model good.ckpt --from three_columns.npy --out three_columns.npy",
     "same file as --from"},
    {"reflow --teacher good.ckpt --out good.ckpt --force", "same file as --teacher good.ckpt"},
    {"eval --model good.ckpt --reverse", "--reverse is not supported"},
    // Round 2's interop commands and flags.
    {"eval --samples pts5.npy --n 4096", "--n 4096 conflicts with --samples, which has 5 rows"},
    {"eval --samples pts5.npy --target pts3.npy", "--target has 3 rows, the samples 5"},
    {"eval --samples pts5.npy --target pts5.npy --data moons", "at most one of --target"},
    {"velocity --at pts5.npy", "--model is required"},
    {"velocity --model good.ckpt", "--at is required"},
    {"velocity --model good.ckpt --at pts5.npy --t 1.5", "--t must be in [0, 1]"},
    {"velocity --model good.ckpt --at pts5.npy --out pts5.npy", "same file as --at"},
    {"velocity --model good.ckpt --at three_columns.npy", "[n,2]"},
    {"data --data swissroll", "unknown data set 'swissroll'"},
    {"data --n 0", "--n must be a positive integer"},
    {"data --out missing/d.npy", "does not exist"},
    {"train --conditional --data checkerboard", "--conditional needs a data set with classes"},
    {"train --label-dropout 0.2", "--label-dropout needs --conditional"},
    {"train --conditional --label-dropout 1", "--label-dropout must be below 1"},
    {"train --conditional --label-dropout 0", "--label-dropout must be greater than 0"},
    {"sample --model good.ckpt --label 1", "--label needs a conditional checkpoint"},
    {"sample --model good.ckpt --guidance 2", "--guidance needs a conditional checkpoint"},
    {"sample --model cond.ckpt --label 2", "--label must be a class from 0 to 1 of moons, got 2"},
    {"sample --model cond.ckpt --guidance 2", "--guidance needs --label"},
    {"eval --model cond.ckpt --label 2", "--label must be a class from 0 to 1 of moons, got 2"},
    {"eval --model good.ckpt --guidance 2", "--guidance needs a conditional checkpoint"},
    {"eval --model good.ckpt --label 0", "--label needs a conditional checkpoint"},
    {"eval --model cond.ckpt --guidance 2", "--guidance needs --label"},
    {"eval --samples pts5.npy --label 0", "need a conditional --model"},
    {"eval --model cond.ckpt --nll", "--nll does not take a conditional checkpoint"},
    {"eval --model cond.ckpt --oracle moons", "--oracle does not take a conditional checkpoint"},
    {"eval --model cond.ckpt --label 0 --data rings", "--data rings has other classes"},
    {"plot --what samples --model cond.ckpt --label 2 --out p",
     "--label must be a class from 0 to 1 of moons, got 2"},
    {"plot --what samples --model good.ckpt --guidance 2 --out p",
     "--guidance needs a conditional checkpoint"},
    {"plot --what samples --model cond.ckpt --guidance 2 --out p", "--guidance needs --label"},
    {"plot --what density --model cond.ckpt --out p", "does not take a conditional checkpoint"},
    {"plot --what excess-loss --model cond.ckpt --out p", "does not take a conditional checkpoint"},
    {"plot --what data --label 0 --out p", "need a conditional --model"},
    {"reflow --teacher cond.ckpt", "is a label-conditional checkpoint"},
    {"velocity --model cond.ckpt --at pts5.npy", "is a label-conditional checkpoint"},
    {"sample --oracle moons --label 0", "need a conditional --model"},
    {"distill", "--teacher is required"},
    {"distill --teacher partial.ckpt", "partial.ckpt is partial (3 of 9 steps)"},
    {"distill --teacher good.ckpt --k 0", "--k must be a positive integer"},
    {"distill --teacher good.ckpt --k 1001", "--k must be at most 1000"},
    {"distill --teacher good.ckpt --teacher-solver dopri5", "a fixed-step solver"},
    {"distill --teacher good.ckpt --out good.ckpt", "already exists; use --force"},
    {"reflow --teacher good.ckpt --coupling exact", "--coupling: unknown coupling \"exact\""},
    {"reflow --teacher good.ckpt --coupling sinkhorn:-0.5", "sinkhorn:EPS needs a finite EPS > 0"},
    {"reflow --teacher good.ckpt --coupling ot", "already coupled by the teacher"},
    {"reflow --teacher good.ckpt --coupling sinkhorn:0.1", "already coupled by the teacher"},
    {"reflow --teacher good.ckpt --source swissroll", "--source: unknown source 'swissroll'"},
    {"reflow --teacher good.ckpt --source moons", "the teacher starts from gaussian"},
    {"reflow --teacher-oracle spiral --source moons", "the exact field is Gaussian"},
    {"benchmark --out afile", "--out afile exists and is not a folder"},
    {"benchmark --seeds 0", "--seeds must be a positive integer"},
};

}  // namespace

TEST_CASE("usage and input errors exit 2 with one stderr line and write nothing", "[cli]") {
  minflow::testing::TempDir dir;
  make_fixtures(dir.path());
  const auto before = snapshot(dir.path());
  for (const BadCase& c : kBadCases) {
    const auto r = run_command(kExe + " " + c.args, dir.path());
    INFO("minflow " << c.args << "\nstderr: " << r.err);
    CHECK(r.status == 2);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(c.says) != std::string::npos);
    // Bytes from a corrupt file are escaped: no control character reaches the terminal.
    CHECK(std::none_of(r.err.begin(), r.err.end(),
                       [](char ch) { return (ch > 0 && ch < 0x20 && ch != '\n') || ch == 0x7f; }));
    CHECK(r.out.empty());
    CHECK(snapshot(dir.path()) == before);
  }
}

TEST_CASE("--help and --version exit 0", "[cli]") {
  minflow::testing::TempDir dir;
  for (const char* args : {"--help", "--version", "train --help", "sample --help", "eval --help"}) {
    const auto r = run_command(kExe + " " + args, dir.path());
    INFO(args);
    CHECK(r.status == 0);
    CHECK_FALSE(r.out.empty());
  }
}
