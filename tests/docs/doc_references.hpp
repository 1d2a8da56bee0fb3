// Finding the documents that the repository's files name, and checking that each exists.
//
// A reference is any file name ending in `.md` in a text file (a markdown link, a comment,
// prose, a string), optionally followed by `#anchor`. It resolves relative to the naming file's
// folder or to the repository root; it is broken when neither holds the document, or when the
// anchor is not the GitHub slug of one of that document's headings. Inside a markdown file a link
// `](#anchor)` is checked against the file's own headings. Mentions of the folder outside
// the repository that held the project's early notes are broken too, whatever follows.
//
// The checker reads files through a lookup function so that the unit tests can run it on
// an in-memory repository; check_tree runs it on the real source tree.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace minflow::docs {

struct DocReference {
  std::size_t line = 0;  // 1-based
  std::string target;    // "docs/design.md" (as written, "./" removed); empty: same file
  std::string anchor;    // "metrics" (without '#'), or empty
};

// Every name ending in `.md` (with its `#anchor`, if any) in `text`, URLs excluded; and in
// markdown every same-file link `](#anchor)`.
std::vector<DocReference> find_references(const std::string& text, bool markdown);

// GitHub's heading anchor: the heading's text without markup, lower-cased; letters, digits,
// '-' and '_' kept, spaces turned into '-', everything else dropped ("The `minflow train`
// command" → "the-minflow-train-command").
std::string github_slug(const std::string& heading);

// The anchors a markdown text defines: each ATX heading's slug (a repeated slug gets
// "-1", "-2", … as on GitHub; headings inside ``` fences do not count), and the names of
// `<a name="…">` / `id="…"` tags.
std::set<std::string> markdown_anchors(const std::string& text);

// The text of a repository file given by its path relative to the root ("docs/design.md"),
// or nothing when the repository has no such file.
using FileLookup = std::function<std::optional<std::string>(const std::string& path)>;

// The broken references of one file, one message each: "FILE:LINE: names DOC, which the
// repository does not contain" (or "…has no heading for #anchor", or the outside folder).
std::vector<std::string> check_file(const std::string& path, const std::string& text,
                                    const FileLookup& lookup);

// Whether the tree walk reads a file: C++ sources and headers, markdown, text, CMake, shell,
// Python, JSON, and extension-less scripts that start with "#!".
bool is_checked_file(const std::filesystem::path& file);

struct TreeReport {
  std::size_t files = 0, references = 0;
  std::vector<std::string> problems;
};

// Every checked file under `root`, skipping .git, the build and output folders at the top
// (build*, out) and the fuzzers' inputs (fuzz/corpus, fuzz/regressions).
TreeReport check_tree(const std::filesystem::path& root);

}  // namespace minflow::docs
