// Progress of a long loop on stderr: a redrawn bar on a terminal, a plain line every few
// seconds otherwise (logs, CI, pipes).
//
//   train  [#########.........]  4500/10000  loss 1.8921  812 steps/s  0:06 left
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace minflow {

class Progress {
 public:
  Progress(std::string stage, std::size_t total, std::size_t start = 0, bool quiet = false);
  // Ends a bar left half-drawn (an error or a signal stopped the loop), so that the next
  // message starts on a line of its own.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Reports `done` steps; `loss` is shown when finite. Cheap to call every step.
  void update(std::size_t done, double loss);
  // Ends the bar's line (and prints a last plain line).
  void finish();

 private:
  void draw(std::size_t done, double loss, bool final_line);

  std::string stage_;
  std::size_t total_, start_;
  bool quiet_, terminal_;
  std::chrono::steady_clock::time_point begin_, last_draw_;
  std::size_t last_done_ = 0;
  double last_loss_ = 0.0;
  bool finished_ = false;
  bool bar_drawn_ = false;  // a terminal line without its newline yet
};

}  // namespace minflow
