// The demo's metrics table and report.md.
#include <cstdio>
#include <sstream>

#include "apps/demo.hpp"
#include "base/atomic_file.hpp"
#include "flow/evaluate.hpp"

namespace minflow::cli {

namespace {
std::string format(const char* pattern, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, pattern, value);
  return buf;
}
}  // namespace

std::string metrics_table(const DemoReport& report) {
  std::ostringstream os;
  char line[256];
  std::snprintf(line, sizeof line, "%-8s %-11s %16s %10s %13s %6s\n", "model", "sampling",
                "energy distance", "sliced W2", "straightness", "NFE");
  os << line;
  for (const DemoMetric& m : report.metrics) {
    std::snprintf(line, sizeof line, "%-8s %-11s %16.5f %10.4f %13.5f %6zu\n", m.model.c_str(),
                  m.method.c_str(), m.quality.energy_distance, m.quality.sliced_w2, m.straightness,
                  m.quality.nfe);
    os << line;
  }
  std::snprintf(line, sizeof line, "%-8s %-11s %16.5f %10.4f %13s %6s\n", "floor", "(data)",
                report.floor.energy_distance, report.floor.sliced_w2, "-", "-");
  os << line;
  return os.str();
}

void write_report(const DemoReport& report) {
  std::ostringstream md;
  md << "# minflow demo report\n\n"
     << "Flow matching from a 2-D Gaussian to a noisy spiral, then rectified flow (reflow), "
        "computed by minflow's own autodiff engine. Mode: "
     << (report.settings.quick ? "quick (small settings)" : "full (the tutorial's recipe)")
     << "; seed " << report.settings.seed << "; " << report.settings.threads << " thread"
     << (report.settings.threads == 1 ? "" : "s") << ".\n\n## Settings\n\n";
  for (const std::string& s : report.settings_lines)
    md << "- " << s << "\n";
  md << "\n## Time of each stage\n\n| stage | seconds |\n|---|---:|\n";
  double total = 0;
  for (const auto& [stage, seconds] : report.stage_seconds) {
    md << "| " << stage << " | " << format("%.1f", seconds) << " |\n";
    total += seconds;
  }
  md << "| **total** | **" << format("%.1f", total) << "** |\n\n";
  md << "## Metrics\n\n"
     << report.eval_n << " generated points against as many fresh spiral points (evaluation seed "
     << flow::kEvalSeed
     << "). "
        "The noise floor compares two spiral samples: a model at the floor is as good as the "
        "metric can tell. Straightness is measured on each model's 100-step Euler path.\n\n"
     << "| model | sampling | energy distance | sliced W2 | straightness | NFE |\n"
     << "|---|---|---:|---:|---:|---:|\n";
  for (const DemoMetric& m : report.metrics) {
    md << "| " << m.model << " | " << m.method << " | " << format("%.5f", m.quality.energy_distance)
       << " | " << format("%.4f", m.quality.sliced_w2) << " | " << format("%.5f", m.straightness)
       << " | " << m.quality.nfe << " |\n";
  }
  md << "| noise floor | two data samples | " << format("%.5f", report.floor.energy_distance)
     << " | " << format("%.4f", report.floor.sliced_w2) << " | – | – |\n\n## Figures\n\n";
  for (const auto& [file, caption] : report.figures) {
    md << "**" << caption << "** (`" << file << "`)\n\n![" << caption << "](" << file << ")\n\n";
  }
  const std::string text = md.str();
  AtomicFile file(report.settings.out / "report.md");
  file.write(text.data(), text.size());
  file.commit();
}

}  // namespace minflow::cli
