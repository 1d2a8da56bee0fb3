// Particles in motion: the paths of a recorded trajectory (trajectories.png), animated GIFs
// of the particles with one frame per integrator step (flowmatch.gif, reflow.gif,
// combined.gif), and the sweep of the time warp (timewarp.gif).
#include <algorithm>
#include <stdexcept>

#include "flow/time_warp.hpp"
#include "plot/figure.hpp"
#include "plot/plot.hpp"

namespace minflow::plot {

namespace fs = std::filesystem;
using namespace detail;

namespace {

const char* const kSourceColor = "#1f77b4";
const char* const kTargetColor = "#ff7f0e";

// "0 0.01 0.02 …": a gnuplot word list, read with real(word(list, k + 1)).
std::string word_list(const std::vector<double>& values) {
  std::string list;
  for (double v : values)
    list += (list.empty() ? "" : " ") + number(v);
  return list;
}

}  // namespace

PlotResult plot_trajectories(const fs::path& image, const std::vector<Array<float>>& trajectory,
                             const std::string& title, std::size_t max_paths,
                             const PlotOptions& options) {
  if (trajectory.size() < 2) throw std::invalid_argument("plot_trajectories: needs 2 rows or more");
  for (const Array<float>& row : trajectory) {
    check_points(row, "plot_trajectories");
    if (row.shape()[0] != trajectory[0].shape()[0]) {
      throw std::invalid_argument("plot_trajectories: rows of different sizes");
    }
  }
  const std::size_t n = std::min(trajectory[0].shape()[0], max_paths);
  if (n == 0) throw std::invalid_argument("plot_trajectories: no particles");
  Figure figure;
  figure.image = image;
  figure.description = title;
  std::string& data = figure.data;
  data = "# index 0: one path per particle (x y at each recorded time), one blank line apart\n";
  for (std::size_t i = 0; i < n; ++i) {
    for (const Array<float>& row : trajectory)
      data += number(row(i, 0)) + " " + number(row(i, 1)) + "\n";
    data += "\n";
  }
  data += "\n# index 1: start points (x y)\n";
  append_points(data, trajectory.front(), n);
  end_block(data);
  data += "# index 2: end points (x y)\n";
  append_points(data, trajectory.back(), n);
  end_block(data);
  figure.body = window_settings() + "set key top right box opaque\nset title " + text(title) +
                "\nplot data index 0 with lines lw 1 lc rgb '#a0808080' title 'paths', \\\n"
                "     data index 1 with points pt 7 ps 0.6 lc rgb " +
                quote(kSourceColor) + " title 'start', \\\n" +
                "     data index 2 with points pt 7 ps 0.6 lc rgb " + quote(kTargetColor) +
                " title 'end'\n";
  return render(figure, options);
}

PlotResult animate_particles(const fs::path& image, const std::vector<AnimatedPanel>& panels,
                             const PlotOptions& options) {
  if (panels.empty()) throw std::invalid_argument("animate_particles: no panels");
  std::size_t frames = 0;
  for (const AnimatedPanel& panel : panels) {
    if (panel.frames.empty() || panel.frames.size() != panel.times.size()) {
      throw std::invalid_argument("animate_particles: each panel needs frames and one time each");
    }
    for (const Array<float>& f : panel.frames)
      check_points(f, "animate_particles");
    frames = std::max(frames, panel.frames.size());
  }
  const std::size_t count = panels.size();
  Figure figure;
  figure.image = image;
  figure.width = 600 * static_cast<int>(count);
  figure.height = 600;
  figure.description =
      std::to_string(frames) + " frames of " + panels[0].title +
      (count > 1 ? " and " + std::to_string(count - 1) + " more, side by side" : "");
  // Block p * frames + k holds panel p at frame k (a shorter panel repeats its last frame).
  std::string header = window_settings() + "unset key\nframes = " + std::to_string(frames) + "\n";
  for (std::size_t p = 0; p < count; ++p) {
    const AnimatedPanel& panel = panels[p];
    std::vector<double> times = panel.times;
    times.resize(frames, panel.times.back());
    header += "times" + std::to_string(p) + " = " + quote(word_list(times)) + "\n";
    for (std::size_t k = 0; k < frames; ++k) {
      const std::size_t row = std::min(k, panel.frames.size() - 1);
      figure.data += "# index " + std::to_string(p * frames + k) + ": " + panel.title +
                     ", t = " + number(times[k]) + " (x y)\n";
      append_points(figure.data, panel.frames[row]);
      end_block(figure.data);
    }
  }
  // One frame's commands for frame number `k` (a gnuplot expression).
  auto frame = [&](const std::string& k) {
    std::string text = count > 1 ? "  set multiplot layout 1," + std::to_string(count) + "\n" : "";
    for (std::size_t p = 0; p < count; ++p) {
      const std::string ps = std::to_string(p);
      text += "  set title " + detail::text(panels[p].title) +
              "\n  set label 1 sprintf('t = %.2f', real(word(times" + ps + ", " + k +
              " + 1))) at graph 0.04, 0.95 front\n  plot data index " + ps + " * frames + " + k +
              " with points pt 7 ps 0.4 lc rgb " + quote(kSourceColor) + "\n";
    }
    if (count > 1) text += "  unset multiplot\n";
    return text;
  };
  figure.body = header + "do for [k = 0:frames - 1] {\n" + frame("k") + "}\n";
  figure.still = header + frame("frames - 1");
  return render(figure, options);
}

PlotResult animate_time_warp(const fs::path& image, const PlotOptions& options) {
  Figure figure;
  figure.image = image;
  figure.width = figure.height = 800;
  figure.description = "warp(t; s) for s = 0, 0.05, ..., 1.5 (31 frames)";
  std::vector<double> s_values;
  for (int k = 0; k <= 30; ++k)
    s_values.push_back(0.05 * k);
  for (std::size_t k = 0; k < s_values.size(); ++k) {
    figure.data +=
        "# index " + std::to_string(k) + ": s = " + number(s_values[k]) + " (t warp(t; s))\n";
    for (int i = 0; i <= 100; ++i) {
      figure.data +=
          number(i / 100.0) + " " + number(flow::warp_time(i / 100.0, s_values[k])) + "\n";
    }
    end_block(figure.data);
  }
  const std::string header =
      "set xrange [0:1]\nset yrange [0:1]\nset size ratio -1\nset grid lc rgb '#e0e0e0'\n"
      "set xlabel 't'\nset ylabel 'warp(t; s)'\nset key top left box opaque\n"
      "set title 'time warp: warp(t; s) = 4(1 − s)t³ + 6(s − 1)t² + (3 − 2s)t'\n"
      "svalues = " +
      quote(word_list(s_values)) + "\nframes = " + std::to_string(s_values.size()) + "\n";
  auto frame = [](const std::string& k) {
    return "  set label 1 sprintf('s = %.2f', real(word(svalues, " + k +
           " + 1))) at graph 0.7, 0.1 front font ',16'\n"
           "  plot x with lines dt 2 lc rgb '#7f7f7f' title 'identity (s = 1)', \\\n"
           "       data index " +
           k + " with lines lw 3 lc rgb '#1f77b4' title 'warp(t; s)', \\\n" + "       data index " +
           k + " every 10 with points pt 7 ps 1.5 lc rgb '#d62728' title 'the grid k/10, warped'\n";
  };
  figure.body = header + "do for [k = 0:frames - 1] {\n" + frame("k") + "}\n";
  figure.still = header + frame("frames - 1");
  return render(figure, options);
}

}  // namespace minflow::plot
