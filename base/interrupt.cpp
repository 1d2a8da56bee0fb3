#include "base/interrupt.hpp"

#include <csignal>

namespace minflow {

namespace {
volatile std::sig_atomic_t g_signal = 0;

extern "C" void record_signal(int signal) {
  g_signal = signal;
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = record_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int interrupt_signal() {
  return g_signal;
}
void clear_interrupt() {
  g_signal = 0;
}
int exit_status_for_signal(int signal) {
  return 128 + signal;
}

}  // namespace minflow
