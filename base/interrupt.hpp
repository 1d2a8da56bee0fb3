// Ctrl-C and `kill`: stop at the next step boundary, save, and exit 130 or 143.
//
// The handler only records the signal; the training loop polls `interrupt_signal()` after
// each completed step, saves a checkpoint of that step and returns. Handlers are installed
// unconditionally with sigaction: a program started in the background by a script inherits
// SIGINT as *ignored*, and keeping that would make Ctrl-C-style tests hang
// (docs/building.md#known-pitfalls).
#pragma once

namespace minflow {

void install_interrupt_handlers();       // SIGINT and SIGTERM
int interrupt_signal();                  // 0, or the signal number received
void clear_interrupt();                  // for tests
int exit_status_for_signal(int signal);  // 128 + signal: 130 for SIGINT, 143 for SIGTERM

}  // namespace minflow
