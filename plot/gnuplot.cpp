// Talking to gnuplot: finding it on PATH, asking which terminals it has, and running a script
// through gnuplot-iostream with SIGPIPE ignored and its stderr kept aside. This is the only
// file that includes gnuplot-iostream.h (and pays for Boost.Iostreams).
#include <signal.h>
#include <stdlib.h>  // mkstemp
#include <unistd.h>  // access, close

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>

#include <gnuplot-iostream.h>

#include "plot/figure.hpp"

namespace minflow::plot {

namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// While talking to gnuplot, a write to a pipe whose reader died must fail (EPIPE), not kill
// minflow with SIGPIPE; the old disposition comes back afterwards.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, &old_);
  }
  ~IgnoreSigpipe() { sigaction(SIGPIPE, &old_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction old_ {};
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

fs::path find_on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return {};
  std::istringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / program;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

std::string gnuplot_terminals() {
  static std::mutex mutex;
  static std::map<fs::path, std::string> cache;  // per gnuplot (PATH may change)
  const fs::path gnuplot = find_on_path("gnuplot");
  if (gnuplot.empty()) return {};
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(gnuplot);
  if (it != cache.end()) return it->second;
  const std::string command =
      shell_quote(gnuplot.string()) + " -e \"set print '-'; print GPVAL_TERMINALS\" 2>/dev/null";
  std::string terminals;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
      terminals.append(buffer, got);
    pclose(pipe);
  }
  return cache[gnuplot] = terminals;
}

std::string png_terminal(const std::string& terminals) {
  using detail::has_word;
  return has_word(terminals, "pngcairo") || !has_word(terminals, "png") ? "pngcairo" : "png";
}

namespace detail {

bool has_word(const std::string& words, const std::string& word) {
  std::istringstream in(words);
  std::string w;
  while (in >> w)
    if (w == word) return true;
  return false;
}

// gnuplot's stderr goes to a temporary file, and the shell appends gnuplot's exit status to
// it: gnuplot-iostream's pclose sees only the shell's (and would print a line of its own).
GnuplotRun run_gnuplot(const fs::path& gnuplot, const fs::path& folder, const std::string& script,
                       bool persist) {
  std::string err = (fs::temp_directory_path() / "minflow-gnuplot-XXXXXX").string();
  const int fd = mkstemp(err.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for gnuplot's messages");
  ::close(fd);
  struct RemoveAtEnd {
    const std::string& file;
    ~RemoveAtEnd() { std::remove(file.c_str()); }
  } remove_at_end{err};
  const std::string command = shell_quote(gnuplot.string()) + (persist ? " -persist" : "") + " 2>" +
                              shell_quote(err) + "; echo \"minflow-gnuplot-exit $?\" >>" +
                              shell_quote(err);
  std::cout.flush();
  std::fflush(stdout);
  {
    IgnoreSigpipe ignore;
    Gnuplot gp(command);
    gp << "cd " << detail::quote(fs::absolute(folder).string()) << "\n" << script << "\n";
    gp.flush();
  }  // the destructor closes the pipe and waits for gnuplot: the files are complete
  const std::string text = read_file(err);

  GnuplotRun run;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("minflow-gnuplot-exit ", 0) == 0) {
      run.ok = line == "minflow-gnuplot-exit 0";
    } else if (line.find("frames in animation sequence") == std::string::npos &&
               line.find_first_not_of(" \t^") != std::string::npos) {  // not the caret line
      line = line.substr(line.find_first_not_of(" \t"));
      run.messages += (run.messages.empty() ? "" : " | ") + line;
    }
  }
  return run;
}

}  // namespace detail
}  // namespace minflow::plot
