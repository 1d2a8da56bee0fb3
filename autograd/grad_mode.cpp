#include "autograd/grad_mode.hpp"

#include <atomic>

namespace minflow {
namespace {
thread_local bool g_grad_enabled = true;
std::atomic<bool> g_anomaly{false};
std::atomic<bool> g_reference_kernels{false};
}  // namespace

bool grad_enabled() {
  return g_grad_enabled;
}
bool anomaly_detection_enabled() {
  return g_anomaly.load(std::memory_order_relaxed);
}

bool reference_kernels_enabled() {
  return g_reference_kernels.load(std::memory_order_relaxed);
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

ReferenceKernelsGuard::ReferenceKernelsGuard() : previous_(g_reference_kernels.exchange(true)) {}
ReferenceKernelsGuard::~ReferenceKernelsGuard() {
  g_reference_kernels.store(previous_);
}

}  // namespace minflow
