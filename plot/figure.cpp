// The machinery every figure shares: FILE.dat and FILE.gp written atomically, gnuplot run
// (plot_gnuplot.cpp) on a copy of the script whose outputs are temporary names, the finished
// images renamed into place, and --show.
#include <unistd.h>  // getpid

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/atomic_file.hpp"
#include "plot/figure.hpp"

namespace minflow::plot {

namespace fs = std::filesystem;
using detail::GnuplotRun;
using detail::has_word;
using detail::run_gnuplot;

namespace {

// Says `line` on stderr the first time only (per flag, per process).
void note_once(std::atomic<bool>& said, const std::string& line) {
  if (!said.exchange(true)) std::cerr << line << "\n";
}
std::atomic<bool> said_no_gnuplot{false}, said_no_terminal{false}, said_no_window{false};

void write_atomically(const fs::path& path, const std::string& text) {
  AtomicFile out(path);
  out.write(text.data(), text.size());
  out.commit();
}

std::string terminal_line(const std::string& terminal, int width, int height) {
  std::ostringstream line;
  line << "set terminal " << terminal << " size " << width << "," << height
       << " enhanced font ',12'";
  if (terminal == "png") line << " truecolor";
  if (terminal == "svg") line << " background '#ffffff'";
  return line.str();
}

struct Output {
  std::string kind;      // the terminal: pngcairo, png, gif, svg
  std::string terminal;  // its whole `set terminal` line
  fs::path file;         // final name
  const std::string* body;
};

// The script: a header, then for each output its terminal, output name and body.
std::string script_text(const detail::Figure& figure, const std::vector<Output>& outputs,
                        const std::vector<fs::path>& names) {
  std::string text = "# " + figure.image.filename().string() + ": " + figure.description + "\n";
  text += "# Written by minflow. Redraw with `gnuplot " +
          fs::path(figure.image).replace_extension(".gp").filename().string() +
          "` in this folder.\n";
  text += "data = " +
          detail::quote(fs::path(figure.image).replace_extension(".dat").filename().string()) +
          "\n";
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    text += "\n" + outputs[i].terminal + "\nset output " +
            detail::quote(names[i].filename().string()) + "\n" + *outputs[i].body +
            "unset output\n";
  }
  return text;
}

void show(const detail::Figure& figure, const fs::path& gnuplot, const std::string& terminals) {
  const std::string& body = figure.still.empty() ? figure.body : figure.still;
  const char* display = std::getenv("DISPLAY");
  const fs::path folder = figure.image.parent_path().empty() ? "." : figure.image.parent_path();
  std::string header =
      "data = " +
      detail::quote(fs::path(figure.image).replace_extension(".dat").filename().string()) + "\n";
  for (const char* window : {"qt", "wxt", "x11"}) {
    if (display && *display && has_word(terminals, window)) {
      const std::string line = terminal_line(window, figure.width, figure.height) + " title " +
                               detail::quote(figure.image.filename().string());
      run_gnuplot(gnuplot, folder, header + line + "\n" + body, true);
      return;
    }
  }
  note_once(said_no_window,
            std::string("minflow: ") +
                (display && *display ? "gnuplot has no window terminal (qt, wxt, x11)"
                                     : "DISPLAY is not set") +
                ", so figures are shown in the terminal");
  const int cols = std::max(80, figure.width / 10), rows = std::max(40, figure.height / 20);
  header += "set terminal dumb size " + std::to_string(cols) + "," + std::to_string(rows) +
            " enhanced\nset output\n";
  const GnuplotRun run = run_gnuplot(gnuplot, folder, header + body, false);
  if (!run.ok) throw std::runtime_error("gnuplot could not show " + figure.image.string());
}

}  // namespace

namespace detail {

PlotResult render(const Figure& figure, const PlotOptions& options) {
  PlotResult result;
  result.image = figure.image;
  result.data = fs::path(figure.image).replace_extension(".dat");
  result.script = fs::path(figure.image).replace_extension(".gp");
  if (options.svg) result.svg = fs::path(figure.image).replace_extension(".svg");
  const fs::path folder = figure.image.parent_path().empty() ? "." : figure.image.parent_path();

  const fs::path gnuplot = options.draw ? find_on_path("gnuplot") : fs::path();
  if (options.draw && gnuplot.empty()) {
    note_once(said_no_gnuplot,
              "minflow: gnuplot is not on PATH, so no images are drawn; the .dat and .gp files "
              "are written (draw them later with `gnuplot FILE.gp` in their folder)");
  }
  const std::string terminals = gnuplot.empty() ? "" : gnuplot_terminals();

  // The outputs, each with its terminal; the SVG of an animation is its last frame.
  std::vector<Output> outputs;
  if (figure.animation()) {
    const std::string gif = "gif animate delay " + std::to_string(options.delay) + " loop 0";
    outputs.push_back(
        {"gif", terminal_line(gif, figure.width, figure.height), figure.image, &figure.body});
  } else {
    const std::string png = png_terminal(terminals);
    outputs.push_back(
        {png, terminal_line(png, figure.width, figure.height), figure.image, &figure.body});
  }
  if (options.svg) {
    outputs.push_back({"svg", terminal_line("svg", figure.width, figure.height), result.svg,
                       figure.still.empty() ? &figure.body : &figure.still});
  }
  std::vector<fs::path> finals, temps;
  static std::atomic<unsigned> counter{0};
  for (const Output& o : outputs) {
    finals.push_back(o.file);
    temps.push_back(o.file.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                    std::to_string(counter++));
  }
  write_atomically(result.data, figure.data);
  write_atomically(result.script, script_text(figure, outputs, finals));
  if (gnuplot.empty()) return result;

  for (const Output& o : outputs) {
    if (!has_word(terminals, o.kind)) {
      note_once(said_no_terminal, "minflow: this gnuplot has no " + o.kind + " terminal, so " +
                                      o.file.filename().string() +
                                      " and others like it are not drawn");
      return result;
    }
  }
  const GnuplotRun run = run_gnuplot(gnuplot, folder, script_text(figure, outputs, temps), false);
  bool complete = run.ok;
  std::error_code ec;
  for (const fs::path& temp : temps)
    complete = complete && fs::file_size(temp, ec) > 0 && !ec;
  if (!complete) {
    for (const fs::path& temp : temps)
      fs::remove(temp, ec);
    throw std::runtime_error("gnuplot could not draw " + figure.image.string() +
                             (run.messages.empty() ? std::string() : ": " + run.messages));
  }
  if (figure.animation()) hold_last_frame(temps[0], std::max(options.hold, options.delay));
  for (std::size_t i = 0; i < temps.size(); ++i)
    fs::rename(temps[i], finals[i]);
  result.drawn = true;
  if (options.show) show(figure, gnuplot, terminals);
  return result;
}

std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "''";
    else if (c != '\n')
      out += c;
  }
  return out + "'";
}

std::string text(const std::string& label) {
  std::string out;
  for (std::size_t i = 0; i < label.size(); ++i) {
    const char c = label[i];
    const bool markup = (c == '_' || c == '^') && i + 1 < label.size() && label[i + 1] == '{';
    if (markup) {  // x_{t}: the braces go through as they are, up to the closing one
      const std::size_t close = label.find('}', i);
      if (close != std::string::npos) {
        out += label.substr(i, close - i + 1);
        i = close;
        continue;
      }
    }
    if (std::string("_^@&~{}\\").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return quote(out);
}

std::string number(double value) {
  if (!std::isfinite(value)) return "NaN";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string palette_color(std::size_t i) {
  static const char* kTab10[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  return kTab10[i % 10];
}

void append_points(std::string& out, const Array<float>& points, std::size_t limit) {
  const std::size_t n = std::min(points.shape()[0], limit);
  char buffer[64];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buffer, sizeof buffer, "%.6g %.6g\n", static_cast<double>(points(i, 0)),
                  static_cast<double>(points(i, 1)));
    out += buffer;
  }
}

void end_block(std::string& out) {
  out += "\n\n";
}

std::string window_settings(const std::string& half) {
  return "set xrange [-" + half + ":" + half + "]\nset yrange [-" + half + ":" + half +
         "]\nset size ratio -1\nset xtics 1\nset ytics 1\n";
}

void check_points(const Array<float>& points, const std::string& what) {
  if (points.dimension() != 2 || points.shape()[1] != 2) {
    throw std::invalid_argument(what + ": expected points of shape [n, 2]");
  }
}

}  // namespace detail
}  // namespace minflow::plot
