#include "base/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace minflow {

namespace {
using Clock = std::chrono::steady_clock;

std::string clock_text(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}
}  // namespace

Progress::Progress(std::string stage, std::size_t total, std::size_t start, bool quiet)
    : stage_(std::move(stage)),
      total_(total),
      start_(start),
      quiet_(quiet),
      terminal_(isatty(STDERR_FILENO) == 1),
      begin_(Clock::now()),
      last_draw_(begin_),
      last_done_(start) {}

Progress::~Progress() {
  if (bar_drawn_ && !finished_) std::fputs("\n", stderr);
}

void Progress::update(std::size_t done, double loss) {
  last_done_ = done;
  last_loss_ = loss;
  if (quiet_) return;
  const auto now = Clock::now();
  // A terminal is redrawn ten times a second; a log gets a line every five seconds.
  const auto period = terminal_ ? std::chrono::milliseconds(100) : std::chrono::seconds(5);
  if (now - last_draw_ < period || done == total_) return;  // finish() draws the end
  last_draw_ = now;
  draw(done, loss, false);
}

void Progress::draw(std::size_t done, double loss, bool final_line) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - begin_).count();
  const double rate = elapsed > 0 ? double(done - start_) / elapsed : 0.0;
  const double left = rate > 0 ? double(total_ - done) / rate : 0.0;
  char loss_text[32] = "";
  if (std::isfinite(loss)) std::snprintf(loss_text, sizeof loss_text, "  loss %.4f", loss);
  char line[256];
  if (terminal_ && !final_line) {
    constexpr int width = 24;
    const int filled = total_ ? int(width * double(done) / double(total_)) : width;
    std::string bar(std::size_t(filled), '#');
    bar.resize(width, '.');
    std::snprintf(line, sizeof line, "\r%-8s [%s] %zu/%zu%s  %.0f steps/s  %s left  ",
                  stage_.c_str(), bar.c_str(), done, total_, loss_text, rate,
                  clock_text(left).c_str());
  } else {
    std::snprintf(line, sizeof line, "%s%s: %zu/%zu steps%s  %.0f steps/s  %s %s\n",
                  terminal_ ? "\r" : "", stage_.c_str(), done, total_, loss_text, rate,
                  clock_text(final_line ? elapsed : left).c_str(), final_line ? "elapsed" : "left");
  }
  std::fputs(line, stderr);
  std::fflush(stderr);
  bar_drawn_ = terminal_ && !final_line;
}

void Progress::finish() {
  if (quiet_ || finished_) return;
  finished_ = true;
  draw(last_done_, last_loss_, true);
}

}  // namespace minflow
