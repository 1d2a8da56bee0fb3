// minflow demo --quick --extras: the reflowed net distilled into a one-step student and a
// label-conditional flow with guidance, beside the demo's own stages; a second run reuses both
// checkpoints, which are those of the command-line equivalents.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "plot/plot.hpp"
#include "plot_images.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

using namespace minflow::testing;
namespace fs = std::filesystem;

namespace {
// The numbers of the markdown row that starts with `start` (its cells after the first `skip`).
std::vector<double> row_numbers(const std::string& report, const std::string& start,
                                std::size_t skip) {
  const std::size_t at = report.find("\n" + start);
  if (at == std::string::npos) return {};
  const std::string row = report.substr(at + 1, report.find('\n', at + 1) - at - 1);
  std::vector<std::string> cells;
  std::stringstream in(row);
  for (std::string cell; std::getline(in, cell, '|');)
    cells.push_back(cell);
  std::vector<double> out;
  for (std::size_t i = 1 + skip; i < cells.size(); ++i)  // cells[0]: before the first '|'
    out.push_back(std::stod(cells[i]));
  return out;
}
}  // namespace

TEST_CASE("demo --quick --extras distils, conditions and reuses both", "[cli][demo]") {
  TempDir dir;
  const std::string exe = MINFLOW_EXE;
  auto r = run_command(exe + " demo --quick --extras --out out", dir.path());
  INFO(r.err);
  REQUIRE(r.status == 0);
  const fs::path out = dir / "out";
  CHECK(fs::exists(out / "distill.ckpt/l0.weight.npy"));
  CHECK(fs::exists(out / "conditional.ckpt/l0.weight.npy"));
  CHECK(fs::exists(out / "distill_euler1.npy"));
  const std::string report = read_text(out / "report.md");

  // The student's row: every metric of the other rows, finite, with NFE 1.
  const std::vector<double> student = row_numbers(report, "| distilled 2-RF | euler 1 |", 2);
  REQUIRE(student.size() == 8);
  for (double v : student)
    CHECK(std::isfinite(v));
  CHECK(student[3] == 1.0);  // NFE
  // The map errors: the student reproduces its teacher's RK4 map far better than the
  // teacher's own one Euler step does (after 100 quick steps: about 0.001 against 0.2).
  const std::size_t map = report.find("**Map error**");
  REQUIRE(map != std::string::npos);
  const std::vector<double> teacher_map =
      row_numbers(report.substr(map), "| reflow | euler 1 |", 2);
  const std::vector<double> student_map =
      row_numbers(report.substr(map), "| distilled 2-RF | euler 1 |", 2);
  REQUIRE(teacher_map.size() == 1);
  REQUIRE(student_map.size() == 1);
  CHECK(student_map[0] >= 0.0);
  CHECK(student_map[0] < 0.5 * teacher_map[0]);

  // The conditional table: one row per w, finite; guidance raises the right-class share from
  // about a third (w = 0: the unconditional field, whatever the class asked for).
  const std::size_t cond = report.find("## Conditional");
  REQUIRE(cond != std::string::npos);
  std::vector<std::vector<double>> rows;
  for (const char* w : {"| 0 |", "| 1 |", "| 2 |", "| 4 |"}) {
    INFO(w);
    rows.push_back(row_numbers(report.substr(cond), w, 1));
    REQUIRE(rows.back().size() == 5);
    for (double v : rows.back())
      CHECK(std::isfinite(v));
    for (std::size_t i = 0; i < 3; ++i) {  // right class, precision, recall: shares
      CHECK(rows.back()[i] >= 0.0);
      CHECK(rows.back()[i] <= 1.0);
    }
  }
  CHECK(rows[0][0] > 0.2);
  CHECK(rows[0][0] < 0.5);
  CHECK(rows[3][0] > rows[0][0] + 0.2);
  CHECK(r.out.find("distilled 2-RF euler 1") != std::string::npos);  // stdout's table
  CHECK(r.out.find("\nw = 4 ") != std::string::npos);

  if (minflow::plot::find_on_path("gnuplot").empty()) {
    WARN("gnuplot is not installed: the figures were not drawn");
  } else {
    const ImageInfo samples = png_info(out / "samples_distilled.png");
    CHECK(samples.valid);
    CHECK(samples.width == 1600);
    const ImageInfo guidance = png_info(out / "guidance.png");
    CHECK(guidance.valid);
    CHECK(guidance.width == 3200);
    CHECK(report.find("(guidance.png)") != std::string::npos);
    CHECK(report.find("(samples_distilled.png)") != std::string::npos);
  }

  // The checkpoints are those of the command-line equivalents (the same settings and streams).
  r = run_command(exe +
                      " distill --teacher out/reflow.ckpt --pool 2000 --batch 128 --steps 100 "
                      "--eval-n 0 --out d.ckpt && " +
                      exe + " train --conditional --steps 100 --batch 256 --out c.ckpt",
                  dir.path());
  REQUIRE(r.status == 0);
  CHECK(read_text(dir / "d.ckpt/loss.npy") == read_text(out / "distill.ckpt/loss.npy"));
  CHECK(read_text(dir / "c.ckpt/l0.weight.npy") ==
        read_text(out / "conditional.ckpt/l0.weight.npy"));

  // A second run reuses both and reports the same numbers.
  r = run_command(exe + " demo --quick --extras --out out", dir.path());
  REQUIRE(r.status == 0);
  CHECK(r.err.find("reusing out/distill.ckpt") != std::string::npos);
  CHECK(r.err.find("reusing out/conditional.ckpt") != std::string::npos);
  const std::string again = read_text(out / "report.md");
  CHECK(row_numbers(again, "| distilled 2-RF | euler 1 |", 2) == student);
  CHECK(row_numbers(again.substr(again.find("## Conditional")), "| 4 |", 1) == rows[3]);

  // Another reflowed net (here: from a pool) is another teacher: the student is trained anew.
  r = run_command(exe + " demo --quick --extras --pool 500 --out out", dir.path());
  REQUIRE(r.status == 0);
  CHECK(r.err.find("reusing out/distill.ckpt") == std::string::npos);
  CHECK(r.err.find("out/distill.ckpt has other settings (teacher_final_loss differs)") !=
        std::string::npos);
  CHECK(r.err.find("reusing out/conditional.ckpt") != std::string::npos);
}
