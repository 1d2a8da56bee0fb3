// What every chapter program shares: its two flags (docs/design.md#tutorial-conventions).
//
//   --quick     small settings, seconds instead of minutes (CTest runs every chapter so)
//   --out DIR   where the chapter writes (default out/chNN); created if missing
#pragma once

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "base/allocator.hpp"

namespace minflow::tutorial {

struct ChapterArgs {
  bool quick = false;
  std::filesystem::path out;
};

inline ChapterArgs parse_chapter_args(int argc, char** argv, const std::string& chapter) {
  keep_large_blocks_in_heap();  // as the minflow command does (base/allocator.hpp)
  ChapterArgs args;
  args.out = std::filesystem::path("out") / chapter;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: " << argv[0] << " [--quick] [--out DIR]\n"
                << "  --quick     small settings: seconds instead of minutes\n"
                << "  --out DIR   where the chapter writes (default out/" << chapter << ")\n";
      std::exit(0);
    } else if (arg == "--quick") {
      args.quick = true;
    } else if (arg == "--out" && i + 1 < argc) {
      args.out = argv[++i];
    } else {
      std::cerr << argv[0] << ": unknown argument '" << arg
                << "' (use --quick, --out DIR, --help)\n";
      std::exit(2);
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(args.out, ec);
  if (ec) {
    std::cerr << argv[0] << ": cannot create " << args.out << ": " << ec.message() << "\n";
    std::exit(2);
  }
  return args;
}

}  // namespace minflow::tutorial
