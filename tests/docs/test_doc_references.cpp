// The repository stands alone: every document a file names (a name ending in `.md`, with or
// without `#anchor`) is in the repository, every anchor is a heading of that document, and nothing
// points at the folder outside the repository that held the early notes. The first cases
// check the checker on in-memory texts with known answers (so it can fail); the last one
// walks the source tree and lists every broken reference in one failure.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "docs/doc_references.hpp"

using namespace minflow::docs;

namespace {

// An in-memory repository: path → contents.
FileLookup lookup_in(const std::map<std::string, std::string>& files) {
  return [files](const std::string& path) -> std::optional<std::string> {
    const auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  };
}

std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines)
    out += line + "\n";
  return out;
}

// The fixtures' document names are built at run time (stem + ".md"), so that this file,
// which the tree walk reads too, names no missing document and no missing anchor itself.
std::string doc(const std::string& stem) {
  return stem + ".md";
}
const std::string kMissing = doc("docs/nowhere");
const std::string kOutside = std::string("..") + "/shared/notes";

}  // namespace

TEST_CASE("github_slug follows GitHub's heading anchors", "[docs]") {
  CHECK(github_slug("Metrics") == "metrics");
  CHECK(github_slug("Exact W2 and path energy") == "exact-w2-and-path-energy");
  CHECK(github_slug("The architecture flag and XTENSOR_USE_XSIMD") ==
        "the-architecture-flag-and-xtensor_use_xsimd");
  CHECK(github_slug("`minflow train`") == "minflow-train");
  CHECK(github_slug("1. The velocity net") == "1-the-velocity-net");
  CHECK(github_slug("Steps and NFE (one, everywhere)") == "steps-and-nfe-one-everywhere");
  // Dropped punctuation leaves both spaces: two hyphens, as on GitHub.
  CHECK(github_slug("Flow \xE2\x80\x94 matching") == "flow--matching");  // an em dash
  CHECK(github_slug("Kynk\xC3\xA4\xC3\xA4nniemi") == "kynk\xC3\xA4\xC3\xA4nniemi");
  CHECK(github_slug("See [the CLI](" + doc("cli") + ") here") == "see-the-cli-here");
}

TEST_CASE("markdown_anchors: headings, repeats, fences and HTML anchors", "[docs]") {
  const std::string text =
      "# Title\n## Usage\nsome text\n```sh\n# not a heading\n```\n## Usage\n"
      "#hashtag is not a heading\n<a name=\"custom-spot\"></a>\n### Closed ###\n";
  const auto anchors = markdown_anchors(text);
  CHECK(anchors == std::set<std::string>{"title", "usage", "usage-1", "custom-spot", "closed"});
}

TEST_CASE("find_references: links, prose, anchors; URLs and bare suffixes skipped", "[docs]") {
  const std::string text = "see [design](" + doc("docs/design") + "#metrics) and ./" +
                           doc("README") + ".\nhttps://github.com/o/r/blob/main/" + doc("NOTES") +
                           " is a URL; every *" + doc("") + " file; x" + doc("") +
                           "x\njump to [below](#usage)\n";
  const auto code = find_references(text, false);
  REQUIRE(code.size() == 2);
  CHECK(code[0].line == 1);
  CHECK(code[0].target == "docs/design.md");
  CHECK(code[0].anchor == "metrics");
  CHECK(code[1].target == "README.md");
  CHECK(code[1].anchor.empty());
  const auto md = find_references(text, true);  // markdown also checks same-file links
  REQUIRE(md.size() == 3);
  CHECK(md[2].line == 3);
  CHECK(md[2].target.empty());
  CHECK(md[2].anchor == "usage");
}

TEST_CASE("check_file resolves against the file's folder and the root", "[docs]") {
  const auto repo = lookup_in({{doc("docs/design"), "# Design\n## Metrics\n"},
                               {doc("tutorials/ch01/README"), "# One\n"},
                               {doc("README"), "# minflow\n"}});
  // Relative to the file, relative to the root, and a generated output: all fine.
  const std::string links = "[1](" + doc("ch01/README") + ") [d](" + doc("../docs/design") +
                            "#metrics) " + doc("docs/design") + " " + doc("report") + "\n";
  CHECK(check_file(doc("tutorials/README"), links, repo).empty());
  const std::string comment = "// " + doc("README") + ", " + doc("docs/design") + "#metrics\n";
  CHECK(check_file("tests/x/test.cpp", comment, repo).empty());
  // The same names from a folder where neither resolution finds them.
  CHECK(check_file("tests/x/test.cpp", "// " + doc("ch01/README") + "\n", repo).size() == 1);
}

TEST_CASE("check_file reports each broken reference with file and line", "[docs]") {
  const auto repo = lookup_in({{doc("docs/design"), "# Design\n## Metrics\n"}});
  const std::string text = "// fine: " + doc("docs/design") + "#metrics\n" +
                           "// no such section: " + doc("docs/design") + "#nope\n" +
                           "// no such document: " + kMissing + "\n// outside: " + kOutside +
                           "/x\n";
  const auto problems = check_file("flow/a.cpp", text, repo);
  INFO(join(problems));
  REQUIRE(problems.size() == 3);
  CHECK_THAT(problems[0], Catch::StartsWith("flow/a.cpp:4: ") && Catch::Contains("outside"));
  CHECK_THAT(problems[1], Catch::StartsWith("flow/a.cpp:2: ") &&
                              Catch::Contains(doc("docs/design") + "#nope") &&
                              Catch::Contains("no heading"));
  CHECK_THAT(problems[2], Catch::StartsWith("flow/a.cpp:3: ") && Catch::Contains(kMissing) &&
                              Catch::Contains("does not contain"));
}

TEST_CASE("check_file checks a markdown file's links to its own headings", "[docs]") {
  const std::string text = "# Doc\n## Usage\n[ok](#usage) [bad](#usgae)\n";
  const auto problems = check_file(doc("docs/doc"), text, lookup_in({}));
  INFO(join(problems));
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0], Catch::StartsWith(doc("docs/doc") + ":3: ") && Catch::Contains("#usgae"));
}

TEST_CASE("every document the repository names is in the repository", "[docs]") {
  const TreeReport report = check_tree(MINFLOW_SOURCE_DIR);
  // The walk must have seen the tree, or an empty report proves nothing.
  CHECK(report.files > 100);
  CHECK(report.references > 20);
  INFO(report.problems.size() << " broken references (" << report.files << " files, "
                              << report.references << " references read):\n"
                              << join(report.problems));
  CHECK(report.problems.empty());
}
