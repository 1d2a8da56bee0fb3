// What every chapter program shares: its two flags (SPEC.md §11).
//
//   --quick     small settings, seconds instead of minutes (CTest runs every chapter so)
//   --out DIR   where the chapter writes (default out/chNN); created if missing
#pragma once

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace minflow::tutorial {

struct ChapterArgs {
  bool quick = false;
  std::filesystem::path out;
};

inline ChapterArgs parse_chapter_args(int argc, char** argv, const std::string& chapter) {
  ChapterArgs args;
  args.out = std::filesystem::path("out") / chapter;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      args.quick = true;
    } else if (arg == "--out" && i + 1 < argc) {
      args.out = argv[++i];
    } else {
      std::cerr << argv[0] << ": unknown argument '" << arg << "' (use --quick, --out DIR)\n";
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
