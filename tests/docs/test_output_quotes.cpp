// The numbers a chapter's README quotes from its program's output are the output's. Each
// chapter commits what its program printed (tutorials/chNN_*/output.txt, a full run, and
// output-quick.txt, a --quick run: `scripts/course numbers --update` writes both), and a
// README marks every block that quotes it with a line right above the fence:
//     <!-- output -->           the block's lines come from output.txt
//     <!-- output: quick -->    … from output-quick.txt
// Each line of such a block must be a line of that file, in the file's order (lines may be
// left out, and a line "…" stands for some), timings aside: tests/tutorials/output_mask.sh
// gives the rule (a number before "s" or "ms", and the chapter's output.mask patterns). CTest
// tutorial.chNN keeps output-quick.txt in step with the program; `scripts/course numbers`
// checks output.txt against a new full run.
//
// Any README or doc may also quote a file a run wrote, such as a table of `minflow
// benchmark`: the marker `<!-- output: PATH -->` (PATH relative to the quoting file) above a
// fenced block or a markdown table (its run of lines starting with "|") asks for the same of
// that file. A test beside the file keeps it in step with the program (the benchmark's tables:
// tests/apps/test_benchmark_tables.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

std::string rstrip(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.pop_back();
  return s;
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// The rule of tests/tutorials/output_mask.sh: timings, then the chapter's own patterns.
struct Mask {
  std::vector<std::regex> patterns;  // from output.mask
  std::string operator()(const std::string& line) const {
    static const std::regex time(" *[0-9]+(\\.[0-9]+)? ?(ms|s)\\b");
    std::string out = std::regex_replace(line, time, " <time>");
    for (const std::regex& p : patterns)
      out = std::regex_replace(out, p, "<masked>");
    return rstrip(out);
  }
};

Mask read_mask(const fs::path& file) {
  Mask mask;
  if (!fs::is_regular_file(file)) return mask;
  for (const std::string& line : read_lines(file)) {
    if (!line.empty() && line[0] != '#') mask.patterns.emplace_back(line, std::regex::extended);
  }
  return mask;
}

bool is_ellipsis(const std::string& line) {
  const std::string s = rstrip(line);
  const auto first = s.find_first_not_of(" \t");
  return first != std::string::npos && (s.substr(first) == "…" || s.substr(first) == "...");
}

// Every problem with the marked blocks of one README, one message each (empty: all match).
std::vector<std::string> check_output_quotes(const fs::path& readme) {
  const std::vector<std::string> lines = read_lines(readme);
  const fs::path folder = readme.parent_path();
  const Mask mask = read_mask(folder / "output.mask");
  std::vector<std::string> problems;
  std::size_t marked = 0;
  const std::string open = "<!-- output", close = " -->";
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string marker = rstrip(lines[i - 1]);
    const bool fenced = rstrip(lines[i]).rfind("```", 0) == 0;
    const bool table = !fenced && lines[i].rfind("|", 0) == 0;
    if (!fenced && !table) continue;
    if (marker.rfind(open, 0) != 0 || marker.size() < open.size() + close.size() ||
        marker.compare(marker.size() - close.size(), close.size(), close) != 0)
      continue;
    // "" (output.txt), ": quick" (output-quick.txt) or ": PATH".
    const std::string what = marker.substr(open.size(), marker.size() - open.size() - close.size());
    std::string name;
    if (what.empty()) {
      name = "output.txt";
    } else if (what == ": quick") {
      name = "output-quick.txt";
    } else if (what.rfind(": ", 0) == 0 && what.size() > 2) {
      name = what.substr(2);
    } else {
      continue;
    }
    ++marked;
    const std::string where = readme.string() + ":" + std::to_string(i + 1) + ": ";
    if (!fs::is_regular_file(folder / name)) {
      problems.push_back(where + "the block quotes " + name + ", which does not exist");
      continue;
    }
    std::vector<std::string> output;
    for (const std::string& line : read_lines(folder / name))
      output.push_back(mask(line));
    std::size_t at = 0;  // the next output line a block line may match
    std::size_t k = fenced ? i + 1 : i;
    auto inside = [&](std::size_t line) {
      return fenced ? rstrip(lines[line]).rfind("```", 0) != 0 : lines[line].rfind("|", 0) == 0;
    };
    for (; k < lines.size() && inside(k); ++k) {
      if (is_ellipsis(lines[k])) continue;
      const std::string quoted = mask(lines[k]);
      const auto found = std::find(output.begin() + long(at), output.end(), quoted);
      if (found == output.end()) {
        const bool elsewhere = std::find(output.begin(), output.end(), quoted) != output.end();
        problems.push_back(readme.string() + ":" + std::to_string(k + 1) + ": \"" + lines[k] +
                           "\" is " + (elsewhere ? "out of order in " : "not a line of ") + name +
                           " (timings aside)");
        break;
      }
      at = std::size_t(found - output.begin()) + 1;
    }
    if (fenced && k == lines.size()) problems.push_back(where + "code block is never closed");
    i = k;
  }
  if (marked == 0 && fs::is_regular_file(folder / "output.txt")) {
    problems.push_back(readme.string() + ": has output.txt but no block marked <!-- output -->");
  }
  return problems;
}

void write(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

}  // namespace

TEST_CASE("the output the chapters quote is the output their programs print", "[docs]") {
  const fs::path tutorials = fs::path(MINFLOW_SOURCE_DIR) / "tutorials";
  std::vector<fs::path> chapters;
  for (const auto& entry : fs::directory_iterator(tutorials)) {
    if (entry.is_directory() && entry.path().filename().string().rfind("ch", 0) == 0 &&
        fs::is_regular_file(entry.path() / "main.cpp"))
      chapters.push_back(entry.path());
  }
  std::sort(chapters.begin(), chapters.end());
  REQUIRE(chapters.size() >= 13);
  for (const fs::path& chapter : chapters) {
    INFO(chapter.filename().string());
    // Every chapter commits both outputs.
    CHECK(fs::is_regular_file(chapter / "output.txt"));
    CHECK(fs::is_regular_file(chapter / "output-quick.txt"));
    for (const std::string& problem : check_output_quotes(chapter / "README.md"))
      FAIL_CHECK(problem);
  }
}

TEST_CASE("the files the README and docs quote are quoted exactly", "[docs]") {
  const fs::path root(MINFLOW_SOURCE_DIR);
  std::vector<fs::path> files{root / "README.md"};
  for (const auto& entry : fs::directory_iterator(root / "docs"))
    if (entry.path().extension() == ".md") files.push_back(entry.path());
  std::size_t checked = 0;
  for (const fs::path& file : files) {
    INFO(file.string());
    for (const std::string& problem : check_output_quotes(file))
      FAIL_CHECK(problem);
    for (const std::string& line : read_lines(file))
      checked += line.rfind("<!-- output: ", 0) == 0;
  }
  CHECK(checked >= 2);  // the README's quick table and docs/benchmark.md's full one
}

TEST_CASE("the output-quote checker catches what it should", "[docs]") {
  minflow::testing::TempDir dir;
  write(dir / "output.txt",
        "step 100  loss 1.9399    3.1 s\nstep 200  loss 1.8812   13.6 s\n"
        "floor 1.832\n");
  write(dir / "output-quick.txt", "floor 0.073\n");
  auto problems_in = [&](const std::string& readme) {
    write(dir / "README.md", readme);
    return check_output_quotes(dir / "README.md");
  };
  const std::string full = "<!-- output -->\n```text\n",
                    quick = "<!-- output: quick -->\n```text\n";
  SECTION("quoted lines pass, with other timings, lines left out or marked by …") {
    CHECK(problems_in(full + "step 100  loss 1.9399    3.1 s\nfloor 1.832\n```\n").empty());
    CHECK(problems_in(full + "step 100  loss 1.9399   25.0 s\n…\nfloor 1.832\n```\n").empty());
    CHECK(problems_in(quick + "floor 0.073\n```\n" + full + "floor 1.832\n```\n").empty());
    CHECK(problems_in("```text\nnot output\n```\n" + full + "floor 1.832\n```\n").empty());
  }
  SECTION("another number, another order or the other mode's line fail, naming the line") {
    auto changed = problems_in(full + "step 100  loss 1.9400    3.1 s\n```\n");
    REQUIRE(changed.size() == 1);
    CHECK_THAT(changed[0], Catch::Contains("README.md:3:") && Catch::Contains("1.9400") &&
                               Catch::Contains("not a line of output.txt"));
    auto order = problems_in(full + "floor 1.832\nstep 100  loss 1.9399    3.1 s\n```\n");
    REQUIRE(order.size() == 1);
    CHECK_THAT(order[0], Catch::Contains("out of order"));
    CHECK(problems_in(quick + "floor 1.832\n```\n").size() == 1);
    CHECK(problems_in(full + "floor 1.83\n```\n").size() == 1);
  }
  SECTION("a chapter's mask file masks its own patterns only") {
    write(dir / "output.txt", "2 threads; data  11.8%\nfloor 1.832\n");
    CHECK(problems_in(full + "4 threads; data   9.5%\n```\n").size() == 1);
    write(dir / "output.mask", "# thread count and shares\n[0-9]+ threads\n *[0-9.]+%$\n");
    CHECK(problems_in(full + "4 threads; data   9.5%\n```\n").empty());
    CHECK(problems_in(full + "floor 1.833\n```\n").size() == 1);
  }
  SECTION("a table quoting another file: its rows must be that file's") {
    write(dir / "table.md", "| task | W2 |\n|---|---|\n| a | 0.5 ± 0.1 |\n| b | 0.7 |\n");
    const std::string marker = "<!-- output: table.md -->\n";
    CHECK(problems_in(full + "floor 1.832\n```\n" + marker +
                      "| task | W2 |\n|---|---|\n| b | 0.7 |\n\nprose\n")
              .empty());
    auto wrong =
        problems_in(full + "floor 1.832\n```\n" + marker + "| task | W2 |\n| a | 0.6 ± 0.1 |\n");
    REQUIRE(wrong.size() == 1);
    CHECK_THAT(wrong[0],
               Catch::Contains("README.md:7:") && Catch::Contains("not a line of table.md"));
    fs::remove(dir / "table.md");
    CHECK(problems_in(full + "floor 1.832\n```\n" + marker + "| a |\n").size() == 1);
    CHECK(problems_in(full + "floor 1.832\n```\n| a | 0.6 ± 0.1 |\n").empty());  // unmarked
  }
  SECTION("a missing output file, no marked block beside output.txt, an unclosed fence fail") {
    fs::remove(dir / "output-quick.txt");
    CHECK(problems_in(quick + "floor 0.073\n```\n").size() == 1);
    CHECK(problems_in("```text\nfloor 1.832\n```\n").size() == 1);
    CHECK_FALSE(problems_in(full + "floor 1.832\n").empty());
  }
}
