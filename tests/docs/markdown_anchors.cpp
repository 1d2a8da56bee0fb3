// GitHub's heading anchors: the slug of a heading, and every anchor a markdown text defines.
#include <cctype>
#include <map>
#include <sstream>

#include "docs/doc_references.hpp"

namespace minflow::docs {

namespace {

// Appends code point cp to out as UTF-8.
void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The letters GitHub keeps in a slug, for the scripts minflow's docs use (Latin, Greek,
// Cyrillic), lower-cased; 0 for anything else (dashes, arrows, math signs: dropped).
char32_t slug_letter(char32_t cp) {
  if (cp == 0xD7 || cp == 0xF7) return 0;  // × ÷
  if (cp >= 0xC0 && cp <= 0xDE) return cp + 0x20;
  if (cp >= 0xDF && cp <= 0x24F) return cp;
  if (cp >= 0x391 && cp <= 0x3A9) return cp + 0x20;
  if (cp >= 0x3AA && cp <= 0x4FF) return cp;
  return 0;
}

// The heading's visible text: links and images reduced to their text, HTML tags removed.
std::string strip_markup(const std::string& heading) {
  std::string out;
  for (std::size_t i = 0; i < heading.size(); ++i) {
    const char c = heading[i];
    if (c == '<') {  // an HTML tag
      const auto close = heading.find('>', i);
      if (close != std::string::npos) {
        i = close;
        continue;
      }
    }
    if (c == ']' && i + 1 < heading.size() && heading[i + 1] == '(') {  // "](url)"
      const auto close = heading.find(')', i);
      if (close != std::string::npos) {
        i = close;
        continue;
      }
    }
    out += c;
  }
  return out;
}

// The heading text of an ATX heading line ("## Metrics ##" → "Metrics"), or nothing.
std::optional<std::string> atx_heading(const std::string& line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ')
    ++i;
  std::size_t hashes = 0;
  while (i < line.size() && line[i] == '#') {
    ++hashes;
    ++i;
  }
  if (hashes == 0 || hashes > 6 || (i < line.size() && line[i] != ' ' && line[i] != '\t'))
    return std::nullopt;
  std::string text = line.substr(i);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.pop_back();
  while (!text.empty() && text.back() == '#')  // an optional closing sequence
    text.pop_back();
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

bool is_fence(const std::string& line) {
  const auto first = line.find_first_not_of(' ');
  return first != std::string::npos && first <= 3 &&
         (line.compare(first, 3, "```") == 0 || line.compare(first, 3, "~~~") == 0);
}

// Adds the value of every attr="…" on the line (from <a name="…"> or <a id="…">).
void add_html_anchor(const std::string& line, const std::string& attr, std::set<std::string>& out) {
  for (auto pos = line.find(attr); pos != std::string::npos; pos = line.find(attr, pos + 1)) {
    if (pos > 0 && line[pos - 1] != ' ') continue;
    const auto start = pos + attr.size();
    const auto end = line.find('"', start);
    if (end != std::string::npos) out.insert(line.substr(start, end - start));
  }
}

}  // namespace

std::string github_slug(const std::string& heading) {
  const std::string text = strip_markup(heading);
  std::string slug;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c))
        slug += static_cast<char>(std::tolower(c));
      else if (c == ' ')
        slug += '-';
      else if (c == '-' || c == '_')
        slug += static_cast<char>(c);
      ++i;
      continue;
    }
    // A multi-byte UTF-8 sequence: decode one code point.
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    char32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < len && i + k < text.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    if (const char32_t letter = slug_letter(cp)) append_utf8(slug, letter);
    i += len;
  }
  return slug;
}

std::set<std::string> markdown_anchors(const std::string& text) {
  std::set<std::string> anchors;
  std::map<std::string, int> seen;
  bool in_fence = false;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (is_fence(line)) {
      in_fence = !in_fence;
      continue;
    }
    if (in_fence) continue;
    if (const auto heading = atx_heading(line)) {
      const std::string slug = github_slug(*heading);
      const int count = seen[slug]++;
      anchors.insert(count == 0 ? slug : slug + "-" + std::to_string(count));
    }
    if (line.find("<a ") != std::string::npos) {
      add_html_anchor(line, "name=\"", anchors);
      add_html_anchor(line, "id=\"", anchors);
    }
  }
  return anchors;
}

}  // namespace minflow::docs
