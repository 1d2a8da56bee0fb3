// minflow: flow matching and rectified flow from the command line (docs/cli.md).
//
//   minflow SUBCOMMAND [flags]     (minflow --help lists the subcommands: train, sample,
//                                   eval, reflow, distill, plot, demo, benchmark,
//                                   velocity, data; minflow SUBCOMMAND --help)
//
// Exit status: 0 success, 1 a failure while running, 2 a usage or input error (one line
// on stderr, nothing written), 130/143 after SIGINT/SIGTERM.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <new>
#include <string>
#include <vector>

#include "apps/commands.hpp"
#include "apps/flags.hpp"
#include "base/allocator.hpp"

#ifndef MINFLOW_VERSION
#define MINFLOW_VERSION "unknown"
#endif

namespace {

using Command = int (*)(const std::vector<std::string>&);

const std::map<std::string, std::pair<Command, const char*>>& commands() {
  static const std::map<std::string, std::pair<Command, const char*>> table = {
      {"train", {minflow::cli::run_train, "train a velocity net by flow matching"}},
      {"sample", {minflow::cli::run_sample, "integrate a trained net from noise"}},
      {"eval", {minflow::cli::run_eval, "compare samples with the target (metrics)"}},
      {"plot", {minflow::cli::run_plot, "draw the tutorial's figures with gnuplot"}},
      {"reflow", {minflow::cli::run_reflow, "straighten a trained flow (rectified flow)"}},
      {"demo", {minflow::cli::run_demo, "the whole tutorial: training, reflow, every figure"}},
      {"benchmark", {minflow::cli::run_benchmark, "the 2-D table: I-CFM, OT-CFM, 2-RF by W2, NPE"}},
      {"velocity", {minflow::cli::run_velocity, "the model's v(x, t) at given points"}},
      {"data", {minflow::cli::run_data, "write a data set's points (eval's target)"}},
      {"distill", {minflow::cli::run_distill, "a k-step (one-step) student of a teacher's map"}},
  };
  return table;
}

void print_usage() {
  std::cout << "usage: minflow SUBCOMMAND [flags]    (minflow SUBCOMMAND --help for its flags)\n\n"
               "Flow matching and rectified flow on 2-D toy data, on minflow's own autodiff "
               "engine.\n\nsubcommands:\n";
  for (const auto& [name, entry] : commands())
    std::printf("  %-8s %s\n", name.c_str(), entry.second);
  std::cout << "\n  --help       show this help\n  --version    show the version\n";
}

// Output that never reached its file (a full disk, a closed pipe) is a failure, as in
// coreutils: flush stdout and report a write error with exit status 1.
int check_stdout(const std::string& name) {
  errno = 0;  // set by the first write that failed (here, or while printing)
  std::cout.flush();
  if (std::fflush(stdout) == 0 && !std::ferror(stdout) && std::cout.good()) return 0;
  std::cerr << "minflow " << name << ": write error on standard output"
            << (errno ? std::string(": ") + std::strerror(errno) : std::string()) << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  minflow::keep_large_blocks_in_heap();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "minflow " << MINFLOW_VERSION << "\n";
    return 0;
  }
  auto it = commands().find(args[0]);
  if (it == commands().end()) {
    std::cerr << "minflow: unknown subcommand \"" << args[0] << "\" (see minflow --help)\n";
    return 2;
  }
  const std::string name = args[0];
  args.erase(args.begin());
  try {
    const int status = it->second.first(args);
    return status == 0 ? check_stdout(name) : status;
  } catch (const minflow::cli::UsageError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "minflow " << name << ": out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "minflow " << name << ": " << e.what() << "\n";
    return 1;
  }
}
