// The demo's metrics table and report.md.
#include <algorithm>
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
// The one-step map errors as aligned text (--extras).
std::string map_error_table(const DemoReport& report) {
  std::ostringstream os;
  char line[256];
  if (!report.map_errors.empty()) {
    std::snprintf(line, sizeof line, "\n%-16s %-11s %16s\n", "model", "sampling",
                  "map error (MSE)");
    os << line;
    for (const auto& [model, error] : report.map_errors) {
      std::snprintf(line, sizeof line, "%-16s %-11s %16.5f\n", model.c_str(), "euler 1", error);
      os << line;
    }
  }
  return os.str();
}

// The conditional flow's rows as aligned text (--extras).
std::string conditional_table(const DemoReport& report) {
  std::ostringstream os;
  char line[256];
  if (!report.conditional.empty()) {
    std::snprintf(line, sizeof line, "\n%-13s %11s %9s %7s %16s %10s\n", "conditional",
                  "right class", "precision", "recall", "energy distance", "sliced W2");
    os << line;
    for (const ConditionalRow& r : report.conditional) {
      const std::string w = "w = " + format("%g", r.w);
      std::snprintf(line, sizeof line, "%-13s %11.4f %9.4f %7.4f %16.5f %10.4f\n", w.c_str(),
                    r.mean.right_class, r.mean.precision, r.mean.recall, r.mean.energy_distance,
                    r.mean.sliced_w2);
      os << line;
    }
  }
  return os.str();
}

// The map errors for report.md (--extras).
std::string map_error_markdown(const DemoReport& report) {
  std::ostringstream md;
  if (!report.map_errors.empty()) {
    md << "\n**Map error** (docs/design.md#distillation): the mean squared distance between a "
          "model's one Euler step and the reflowed net's RK4-20 solution from the same "
       << report.eval_n
       << " noise points (the teacher's map, which the student was trained to reproduce).\n\n"
          "| model | sampling | map error |\n|---|---|---:|\n";
    for (const auto& [model, error] : report.map_errors)
      md << "| " << model << " | euler 1 | " << format("%.5f", error) << " |\n";
  }
  return md.str();
}

// report.md's "## Conditional" (--extras).
std::string conditional_markdown(const DemoReport& report) {
  std::ostringstream md;
  if (!report.conditional.empty()) {
    md << "\n## Conditional\n\n"
       << "A label-conditional flow of the spiral, its three turns as classes "
          "(docs/design.md#labelled-data-sets), sampled class by class with classifier-free "
          "guidance v = v_u + w·(v_c − v_u) (docs/design.md#guidance): w = 0 unconditional, "
          "1 conditional, above 1 guided. Each class: "
       << report.conditional_n
       << " samples (Euler 100) against as many points of that class alone; right class is the "
          "share of samples whose nearest turn is the class asked for, and every column is the "
          "mean over the classes. Precision and recall are by 3-nearest-neighbour balls.\n\n"
          "| w | right class | precision | recall | energy distance | sliced W2 |\n"
          "|---:|---:|---:|---:|---:|---:|\n";
    for (const ConditionalRow& r : report.conditional) {
      md << "| " << format("%g", r.w) << " | " << format("%.4f", r.mean.right_class) << " | "
         << format("%.4f", r.mean.precision) << " | " << format("%.4f", r.mean.recall) << " | "
         << format("%.5f", r.mean.energy_distance) << " | " << format("%.4f", r.mean.sliced_w2)
         << " |\n";
    }
  }
  return md.str();
}
}  // namespace

std::string metrics_table(const DemoReport& report) {
  std::ostringstream os;
  char line[256];
  int width = 8;  // the model column: wider only for --extras' "distilled 2-RF"
  for (const DemoMetric& m : report.metrics)
    width = std::max(width, int(m.model.size()));
  std::snprintf(line, sizeof line, "%-*s %-11s %16s %10s %13s %6s %9s %7s %11s %10s\n", width,
                "model", "sampling", "energy distance", "sliced W2", "straightness", "NFE",
                "precision", "recall", "off-support", "NLL (nats)");
  os << line;
  auto support = [](const DemoMetric& m) {
    char s[64];
    std::snprintf(s, sizeof s, " %9.4f %7.4f %11.4f %10.4f\n", m.support.precision,
                  m.support.recall, m.density.off_support_fraction, m.density.nll_true_density);
    return std::string(s);
  };
  for (const DemoMetric& m : report.metrics) {
    std::snprintf(line, sizeof line, "%-*s %-11s %16.5f %10.4f %13.5f %6zu", width, m.model.c_str(),
                  m.method.c_str(), m.quality.energy_distance, m.quality.sliced_w2, m.straightness,
                  m.quality.nfe);
    os << line << support(m);
  }
  std::snprintf(line, sizeof line, "%-*s %-11s %16.5f %10.4f %13s %6s", width, "floor", "(data)",
                report.floor.energy_distance, report.floor.sliced_w2, "-", "-");
  os << line << support(report.data);
  os << map_error_table(report);
  if (report.nll.empty()) return os.str() + conditional_table(report);
  // The density each model defines: its NLL of the target points beside their true entropy.
  std::snprintf(line, sizeof line, "\n%-8s %-11s %16s %10s\n", "model", "density", "NLL (nats)",
                "excess");
  os << line;
  for (const ModelNll& m : report.nll) {
    const std::string method = "rk4 " + std::to_string(m.steps);
    std::snprintf(line, sizeof line, "%-8s %-11s %16.4f %10.4f\n", m.model.c_str(), method.c_str(),
                  m.nll, m.nll - report.data.density.entropy);
    os << line;
  }
  std::snprintf(line, sizeof line, "%-8s %-11s %16.4f %10s\n", "entropy", "(target)",
                report.data.density.entropy, "-");
  os << line << conditional_table(report);
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
        "metric can tell. Straightness is measured on each model's 100-step Euler path. "
        "Precision and recall are by 3-nearest-neighbour balls; off-support is the share of "
        "samples whose true density is below the data's 1st percentile (about 0.01 for the data "
        "itself); NLL is the mean −log p of the samples under the spiral's true density, beside "
        "the data's own (the entropy, "
     << format("%.4f", report.data.density.entropy)
     << " nats) (docs/design.md#support-metrics).\n\n"
     << "| model | sampling | energy distance | sliced W2 | straightness | NFE | precision | "
        "recall "
        "| off-support | NLL |\n"
     << "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  auto support = [](const DemoMetric& m) {
    return format("%.4f", m.support.precision) + " | " + format("%.4f", m.support.recall) + " | " +
           format("%.4f", m.density.off_support_fraction) + " | " +
           format("%.4f", m.density.nll_true_density) + " |\n";
  };
  for (const DemoMetric& m : report.metrics) {
    md << "| " << m.model << " | " << m.method << " | " << format("%.5f", m.quality.energy_distance)
       << " | " << format("%.4f", m.quality.sliced_w2) << " | " << format("%.5f", m.straightness)
       << " | " << m.quality.nfe << " | " << support(m);
  }
  md << "| noise floor | two data samples | " << format("%.5f", report.floor.energy_distance)
     << " | " << format("%.4f", report.floor.sliced_w2) << " | – | – | " << support(report.data);
  md << map_error_markdown(report);
  if (!report.nll.empty()) {
    md << "\n## Density\n\n"
       << "The density each model defines, as `minflow eval --nll` measures it: the mean −log p₁ "
          "of the same "
       << report.eval_n
       << " fresh spiral points, each integrated back to t = 0 with its divergence "
          "(docs/design.md#negative-log-likelihood), beside their mean −log p under the true "
          "density (the entropy). The excess estimates KL(target ‖ model) in nats; the density "
          "maps below show where it comes from.\n\n"
       << "| model | NLL (nats) | integrator | NFE | entropy | excess (nats) |\n"
       << "|---|---:|---|---:|---:|---:|\n";
    for (const ModelNll& m : report.nll) {
      md << "| " << m.model << " | " << format("%.4f", m.nll) << " | rk4 " << m.steps << " | "
         << m.nfe << " | " << format("%.4f", report.data.density.entropy) << " | "
         << format("%.4f", m.nll - report.data.density.entropy) << " |\n";
    }
  }
  md << conditional_markdown(report);
  md << "\n## Figures\n\n";
  for (const auto& [file, caption] : report.figures) {
    md << "**" << caption << "** (`" << file << "`)\n\n![" << caption << "](" << file << ")\n\n";
  }
  const std::string text = md.str();
  AtomicFile file(report.settings.out / "report.md");
  file.write(text.data(), text.size());
  file.commit();
}

}  // namespace minflow::cli
