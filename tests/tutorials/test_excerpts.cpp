// The tutorial's code excerpts are quotes, not paraphrases: every ```cpp block in a chapter
// README must be announced by a line `<!-- excerpt: PATH -->` right above its fence (PATH
// relative to the README's folder), and its lines must appear in that file verbatim,
// contiguous and in order (trailing whitespace ignored). When the code changes, this test
// names the README, the block and the first line that no longer matches.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kSourceDir = MINFLOW_SOURCE_DIR;

std::string rstrip(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.pop_back();
  return s;
}

std::string strip(const std::string& s) {
  const std::string r = rstrip(s);
  const auto first = r.find_first_not_of(" \t");
  return first == std::string::npos ? "" : r.substr(first);
}

std::vector<std::string> read_lines(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(rstrip(line));
  return lines;
}

// The index of the first block line that does not match (block.size() when all do): the
// block is tried at every position of the file, and the longest run of matching lines from
// the block's start decides which line is reported.
std::size_t first_mismatch(const std::vector<std::string>& block,
                           const std::vector<std::string>& file) {
  std::size_t best = 0;
  for (std::size_t start = 0; start < file.size(); ++start) {
    std::size_t k = 0;
    while (k < block.size() && start + k < file.size() && file[start + k] == block[k])
      ++k;
    if (k == block.size()) return k;
    best = std::max(best, k);
  }
  return best;
}

// Every problem with the ```cpp blocks of one README, one message each (empty: all match).
std::vector<std::string> check_readme(const fs::path& readme) {
  const std::vector<std::string> lines = read_lines(readme);
  std::vector<std::string> problems;
  const std::string marker_open = "<!-- excerpt:", marker_close = "-->";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string fence = strip(lines[i]);
    if (fence.rfind("```", 0) != 0) continue;
    const bool is_cpp = strip(fence.substr(3)) == "cpp";
    std::size_t end = i + 1;  // the closing fence
    while (end < lines.size() && strip(lines[end]) != "```")
      ++end;
    const std::string where = readme.string() + ":" + std::to_string(i + 1) + ": ";
    if (end == lines.size()) {
      problems.push_back(where + "code block is never closed");
      break;
    }
    const std::vector<std::string> block(lines.begin() + i + 1, lines.begin() + end);
    const std::size_t open_line = i;
    i = end;
    if (!is_cpp) continue;
    const std::string marker = open_line > 0 ? strip(lines[open_line - 1]) : "";
    if (marker.rfind(marker_open, 0) != 0 || marker.size() < marker_open.size() + 3 ||
        marker.compare(marker.size() - 3, 3, marker_close) != 0) {
      problems.push_back(where + "```cpp block without a `<!-- excerpt: PATH -->` line above it");
      continue;
    }
    const std::string path =
        strip(marker.substr(marker_open.size(), marker.size() - marker_open.size() - 3));
    const fs::path source = readme.parent_path() / path;
    if (path.empty() || !fs::is_regular_file(source)) {
      problems.push_back(where + "excerpt source '" + path + "' does not exist");
      continue;
    }
    if (block.empty()) {
      problems.push_back(where + "empty ```cpp block");
      continue;
    }
    const std::size_t bad = first_mismatch(block, read_lines(source));
    if (bad < block.size()) {
      problems.push_back(where + "block does not match " + path + " from README line " +
                         std::to_string(open_line + 2 + bad) + " on: \"" + block[bad] + "\"");
    }
  }
  return problems;
}

std::vector<fs::path> tutorial_readmes() {
  std::vector<fs::path> readmes;
  const fs::path tutorials = kSourceDir / "tutorials";
  if (fs::is_regular_file(tutorials / "README.md")) readmes.push_back(tutorials / "README.md");
  for (const auto& entry : fs::directory_iterator(tutorials)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && name.rfind("ch", 0) == 0 &&
        fs::is_regular_file(entry.path() / "README.md"))
      readmes.push_back(entry.path() / "README.md");
  }
  std::sort(readmes.begin(), readmes.end());
  return readmes;
}

void write(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

}  // namespace

TEST_CASE("every cpp block of the tutorial READMEs quotes its file verbatim", "[tutorials]") {
  const std::vector<fs::path> readmes = tutorial_readmes();
  REQUIRE_FALSE(readmes.empty());
  for (const fs::path& readme : readmes) {
    INFO(readme.string());
    for (const std::string& problem : check_readme(readme))
      FAIL_CHECK(problem);
  }
}

TEST_CASE("the excerpt checker catches what it should", "[tutorials]") {
  minflow::testing::TempDir dir;
  write(dir / "code.cpp", "int a = 1;   \nint b = 2;\n\nint c = 3;\n");
  auto problems_in = [&](const std::string& readme) {
    write(dir / "README.md", readme);
    return check_readme(dir / "README.md");
  };
  const std::string marker = "<!-- excerpt: code.cpp -->\n";

  SECTION("a verbatim, contiguous block passes; trailing spaces and other blocks are ignored") {
    CHECK(problems_in(marker + "```cpp\nint a = 1;\nint b = 2;\n```\n").empty());
    CHECK(problems_in(marker + "```cpp\nint b = 2;\n\nint c = 3;  \n```\n").empty());
    CHECK(problems_in("```text\nanything\n```\n```sh\nmake\n```\n").empty());
  }
  SECTION("a block without its marker fails, naming the README and the line") {
    const auto problems = problems_in("text\n\n```cpp\nint a = 1;\n```\n");
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::Contains("README.md:3:") && Catch::Contains("excerpt"));
  }
  SECTION("an edited, reordered or abridged block fails, naming the first bad line") {
    auto edited = problems_in(marker + "```cpp\nint a = 1;\nint b = 20;\n```\n");
    REQUIRE(edited.size() == 1);
    CHECK_THAT(edited[0], Catch::Contains("README.md:2:") && Catch::Contains("int b = 20;"));
    auto reordered = problems_in(marker + "```cpp\nint b = 2;\nint a = 1;\n```\n");
    REQUIRE(reordered.size() == 1);
    CHECK_THAT(reordered[0], Catch::Contains("int a = 1;"));
    auto gap = problems_in(marker + "```cpp\nint a = 1;\nint c = 3;\n```\n");
    REQUIRE(gap.size() == 1);
    CHECK_THAT(gap[0], Catch::Contains("int c = 3;"));
    auto abridged = problems_in(marker + "```cpp\nint a = 1;\n// ...\n```\n");
    REQUIRE(abridged.size() == 1);
    CHECK_THAT(abridged[0], Catch::Contains("// ..."));
  }
  SECTION("a missing file, an empty block and an unclosed fence fail") {
    CHECK(problems_in("<!-- excerpt: nope.cpp -->\n```cpp\nint a = 1;\n```\n").size() == 1);
    CHECK(problems_in(marker + "```cpp\n```\n").size() == 1);
    CHECK(problems_in(marker + "```cpp\nint a = 1;\n").size() == 1);
  }
}
