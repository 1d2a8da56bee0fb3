#include "docs/doc_references.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

namespace fs = std::filesystem;

namespace minflow::docs {

namespace {

// Written in two pieces so that this file does not itself name what it forbids.
const std::string kOutsideFolder = std::string("..") + "/shared";
const std::string kOutsideSections = std::string("SPEC") + " §";

// Names of markdown files that minflow *writes* (outputs, not documents of the repository):
// `minflow demo` writes report.md, `minflow benchmark` table.md.
const std::set<std::string> kGeneratedOutputs = {"report.md", "table.md"};

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}
bool is_path_char(char c) {
  return is_word(c) || c == '.' || c == '/' || c == '-';
}
bool is_anchor_char(char c) {
  return is_word(c) || c == '-';
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// Whether the token that ends at `end` (exclusive) is part of a URL ("https://…/x.md").
bool inside_url(const std::string& line, std::size_t end) {
  std::size_t start = end;
  while (start > 0) {
    const char c = line[start - 1];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '(' ||
        c == '<' || c == '[' || c == '`')
      break;
    --start;
  }
  return line.substr(start, end - start).find("://") != std::string::npos;
}

std::string read_anchor(const std::string& line, std::size_t& pos) {
  std::string anchor;
  while (pos < line.size() && is_anchor_char(line[pos]))
    anchor += line[pos++];
  return anchor;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Repository-relative path of `target` seen from `from` (a file), or "" outside the tree.
std::string resolve(const fs::path& from_dir, const std::string& target) {
  if (!target.empty() && target[0] == '/') return "";
  const std::string p = (from_dir / target).lexically_normal().generic_string();
  return p.rfind("..", 0) == 0 ? "" : p;
}

}  // namespace

std::vector<DocReference> find_references(const std::string& text, bool markdown) {
  std::vector<DocReference> refs;
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string& line = lines[n];
    for (auto pos = line.find(".md"); pos != std::string::npos; pos = line.find(".md", pos + 1)) {
      std::size_t end = pos + 3;
      if (end < line.size() && is_word(line[end])) continue;  // ".mdx", "x.md5"
      std::size_t start = pos;
      while (start > 0 && is_path_char(line[start - 1]))
        --start;
      std::string target = line.substr(start, end - start);
      const auto slash = target.rfind('/');
      const std::string base = slash == std::string::npos ? target : target.substr(slash + 1);
      if (base == ".md" || inside_url(line, end)) continue;
      while (target.rfind("./", 0) == 0)
        target = target.substr(2);
      std::string anchor;
      if (end < line.size() && line[end] == '#') {
        ++end;
        anchor = read_anchor(line, end);
      }
      refs.push_back({n + 1, target, anchor});
    }
    if (!markdown) continue;
    for (auto pos = line.find("](#"); pos != std::string::npos; pos = line.find("](#", pos + 1)) {
      std::size_t at = pos + 3;
      refs.push_back({n + 1, "", read_anchor(line, at)});
    }
  }
  return refs;
}

std::vector<std::string> check_file(const std::string& path, const std::string& text,
                                    const FileLookup& lookup) {
  std::vector<std::string> problems;
  const fs::path dir = fs::path(path).parent_path();
  const bool markdown = ends_with(path, ".md");
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    for (const std::string& bad : {kOutsideFolder, kOutsideSections}) {
      if (lines[n].find(bad) != std::string::npos) {
        problems.push_back(path + ":" + std::to_string(n + 1) + ": names \"" + bad +
                           "\", a document outside the repository");
      }
    }
  }
  for (const DocReference& ref : find_references(text, markdown)) {
    const std::string where = path + ":" + std::to_string(ref.line) + ": ";
    if (ref.target.find('/') == std::string::npos && kGeneratedOutputs.count(ref.target)) continue;
    std::string found;  // the document's repository path
    std::optional<std::string> contents;
    if (ref.target.empty()) {
      found = path;
      contents = text;
    } else {
      for (const std::string& candidate : {resolve(dir, ref.target), resolve("", ref.target)}) {
        if (candidate.empty()) continue;
        if ((contents = lookup(candidate))) {
          found = candidate;
          break;
        }
      }
    }
    if (!contents) {
      problems.push_back(where + "names " + ref.target + ", which the repository does not contain");
      continue;
    }
    if (!ref.anchor.empty() && !markdown_anchors(*contents).count(ref.anchor)) {
      problems.push_back(where + "names " + (ref.target.empty() ? "" : ref.target) + "#" +
                         ref.anchor + ", but " + found + " has no heading with that anchor");
    }
  }
  return problems;
}

bool is_checked_file(const fs::path& file) {
  static const std::set<std::string> extensions = {".cpp",   ".hpp", ".h",  ".md", ".txt",
                                                   ".cmake", ".in",  ".sh", ".py", ".json"};
  const std::string ext = file.extension().string();
  if (!ext.empty()) return extensions.count(ext) > 0;
  std::ifstream in(file, std::ios::binary);
  char head[2] = {0, 0};
  in.read(head, 2);
  return in.gcount() == 2 && head[0] == '#' && head[1] == '!';
}

TreeReport check_tree(const fs::path& root) {
  TreeReport report;
  std::map<std::string, std::optional<std::string>> cache;
  const FileLookup lookup = [&](const std::string& path) -> std::optional<std::string> {
    auto it = cache.find(path);
    if (it != cache.end()) return it->second;
    std::optional<std::string> text;
    if (fs::is_regular_file(root / path)) {
      std::ifstream in(root / path, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      text = s.str();
    }
    return cache[path] = text;
  };
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string rel = it->path().lexically_relative(root).generic_string();
    const std::string name = it->path().filename().string();
    const bool top = rel.find('/') == std::string::npos;
    if (it->is_directory()) {
      if (name == ".git" || name == ".cache" ||
          (top && (name.rfind("build", 0) == 0 || name == "out")) || rel == "fuzz/corpus" ||
          rel == "fuzz/regressions")
        it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || name == ".git" || !is_checked_file(it->path())) continue;
    const std::optional<std::string> text = lookup(rel);
    ++report.files;
    report.references += find_references(*text, ends_with(rel, ".md")).size();
    for (std::string& problem : check_file(rel, *text, lookup))
      report.problems.push_back(std::move(problem));
  }
  // The walk's order depends on the file system: sort by file, then by line number.
  auto key = [](const std::string& problem) {
    const auto colon = problem.find(':');
    return std::make_pair(problem.substr(0, colon), std::stoul(problem.substr(colon + 1)));
  };
  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [&](const std::string& a, const std::string& b) { return key(a) < key(b); });
  return report;
}

}  // namespace minflow::docs
