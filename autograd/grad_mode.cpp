#include "autograd/grad_mode.hpp"

#include <atomic>

namespace minflow {
namespace {
thread_local bool g_grad_enabled = true;
std::atomic<bool> g_anomaly{false};
}  // namespace

bool grad_enabled() {
  return g_grad_enabled;
}
bool anomaly_detection_enabled() {
  return g_anomaly.load(std::memory_order_relaxed);
}

NoGradGuard::NoGradGuard() : previous_(g_grad_enabled) {
  g_grad_enabled = false;
}
NoGradGuard::~NoGradGuard() {
  g_grad_enabled = previous_;
}

AnomalyGuard::AnomalyGuard() : previous_(g_anomaly.exchange(true)) {}
AnomalyGuard::~AnomalyGuard() {
  g_anomaly.store(previous_);
}

}  // namespace minflow
