// Internal to the plot_*.cpp files: a figure as the text of its data file and the body of its
// gnuplot script, and the one function that writes FILE.dat and FILE.gp and runs gnuplot.
//
// A body is everything after `set terminal` and `set output`; it reads the data through the
// gnuplot variable `data` (set to 'FILE.dat' at the top of the script), so the same body
// draws the PNG or GIF, the SVG and the on-screen copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "autograd/tensor.hpp"
#include "plot/plot.hpp"

namespace minflow::plot::detail {

struct Figure {
  std::filesystem::path image;  // FILE.png or FILE.gif (an animation)
  int width = 800, height = 800;
  std::string description;  // one line for the top of FILE.gp
  std::string data;         // the whole FILE.dat
  std::string body;         // gnuplot commands that draw it
  std::string still;        // an animation's last frame alone (for SVG and --show)

  bool animation() const { return image.extension() == ".gif"; }
};

// Writes FILE.dat and FILE.gp atomically, then (unless options.draw is off or gnuplot is
// missing) draws the image atomically, the SVG if asked for, and shows it if asked for.
PlotResult render(const Figure& figure, const PlotOptions& options);

// Sets the delay of a GIF's last frame to `centiseconds` in place (gif_hold.cpp): gnuplot
// gives every frame the same one. Throws std::runtime_error when the file is not a GIF89a
// with frame delays.
void hold_last_frame(const std::filesystem::path& gif, int centiseconds);

// ---- gnuplot (plot_gnuplot.cpp) ------------------------------------------------------------

struct GnuplotRun {
  bool ok = false;       // gnuplot exited with status 0
  std::string messages;  // what it said on stderr, minus its frame counts, " | "-joined
};

// Runs `script` in `gnuplot` with `folder` as its working directory (gnuplot's `cd`), through
// gnuplot-iostream and with SIGPIPE ignored meanwhile. gnuplot's stderr goes to a temporary
// file, kept from the user and returned; its stdout is minflow's (the dumb terminal draws
// there). Returns once gnuplot has exited, so every file it wrote is complete.
GnuplotRun run_gnuplot(const std::filesystem::path& gnuplot, const std::filesystem::path& folder,
                       const std::string& script, bool persist);
// Whether `word` is one of the space-separated words (a terminal in GPVAL_TERMINALS).
bool has_word(const std::string& words, const std::string& word);

// ---- pieces for bodies and data --------------------------------------------------------------

// A gnuplot single-quoted string literal ('it''s').
std::string quote(const std::string& text);
// A title, label or key entry for gnuplot's enhanced text mode, quoted: every character
// that mode would read as markup (_ ^ @ & ~ { } \\) is escaped, so "loss_0" prints as
// written, except a subscript or superscript written in braces: "x_{t}" draws x with a
// subscript t, "e^{-1}" e to the −1.
std::string text(const std::string& label);
// A number for a data file or script: %.6g; "NaN" (a gap for gnuplot) when not finite.
std::string number(double value);
// The i-th colour of the palette (matplotlib's tab10, as "#rrggbb").
std::string palette_color(std::size_t i);
// Appends rows "x y" of points [n, 2] (at most `limit` rows).
void append_points(std::string& out, const Array<float>& points, std::size_t limit = SIZE_MAX);
// Ends a data block: two blank lines, so the next block is the next `index`.
void end_block(std::string& out);
// The window the point sets are drawn in: [−4, 4]² with equal aspect and a tic at every
// integer (the spiral's outer arm reaches x ≈ 3.3 with its noise, past π); `half` gives
// another half-width, as a gnuplot expression ("pi").
std::string window_settings(const std::string& half = "4");
// Checks that an array is [n, 2]; throws std::invalid_argument naming `what` otherwise.
void check_points(const Array<float>& points, const std::string& what);

}  // namespace minflow::plot::detail
