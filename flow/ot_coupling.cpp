#include "flow/ot_coupling.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "flow/assignment.hpp"
#include "flow/sinkhorn.hpp"

namespace minflow::flow {

std::string Coupling::to_string() const {
  if (kind == Kind::independent) return "independent";
  if (kind == Kind::ot) return "ot";
  std::ostringstream out;
  out.precision(17);
  out << "sinkhorn:" << epsilon;
  return out.str();
}

Coupling parse_coupling(const std::string& text) {
  Coupling c;
  if (text == "independent") return c;
  if (text == "ot") {
    c.kind = Coupling::Kind::ot;
    return c;
  }
  if (text.rfind("sinkhorn:", 0) == 0) {
    const std::string value = text.substr(9);
    std::size_t used = 0;
    double eps = NAN;
    try {
      eps = std::stod(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value.size() || !std::isfinite(eps) || eps <= 0.0) {
      throw std::invalid_argument("sinkhorn:EPS needs a finite EPS > 0, got \"" + value + "\"");
    }
    c.kind = Coupling::Kind::sinkhorn;
    c.epsilon = eps;
    return c;
  }
  throw std::invalid_argument("unknown coupling \"" + text +
                              "\" (choose independent, ot or sinkhorn:EPS)");
}

CouplingPlan plan_coupling(const Coupling& coupling, const Array<float>& x0,
                           const Array<float>& x1) {
  CouplingPlan plan;
  plan.kind = coupling.kind;
  if (coupling.kind == Coupling::Kind::independent) return plan;
  if (coupling.kind == Coupling::Kind::ot) {
    plan.col_for_row = solve_assignment(x0, x1).col_for_row;
  } else {
    plan.entropic = sinkhorn(squared_distances(x0, x1), {coupling.epsilon, 1e-6, 1000});
  }
  return plan;
}

void finish_coupling(const CouplingPlan& plan, Array<float>& x0, Array<float>& x1, Generator& gen) {
  if (plan.kind == Coupling::Kind::independent) return;
  const std::size_t n = x0.shape()[0];
  if (plan.kind == Coupling::Kind::ot) {
    const Array<float> old = x1;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t d = 0; d < 2; ++d)
        x1(i, d) = old(plan.col_for_row[i], d);
    return;
  }
  const Array<float> old0 = x0, old1 = x1;
  const auto pairs = sample_plan(plan.entropic, n, gen);
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t d = 0; d < 2; ++d) {
      x0(k, d) = old0(pairs[k].first, d);
      x1(k, d) = old1(pairs[k].second, d);
    }
}

void apply_coupling(const Coupling& coupling, Array<float>& x0, Array<float>& x1, Generator& gen) {
  finish_coupling(plan_coupling(coupling, x0, x1), x0, x1, gen);
}

}  // namespace minflow::flow
