// Switches that change how ops behave, as RAII guards (PyTorch's names).
//
//   { NoGradGuard no_grad; x = x + h * v(x, t); }  // no graph (optimizers, ODE sampling)
//   { AnomalyGuard anomaly; loss.backward(); }      // throw at the first NaN/Inf, naming the op
//   { ReferenceKernelsGuard plain; y = gelu(x); }   // the plain reference loops, not the kernels
#pragma once

namespace minflow {

// True unless a NoGradGuard is alive on this thread.
bool grad_enabled();
// True while an AnomalyGuard is alive (on any thread).
bool anomaly_detection_enabled();
// True while a ReferenceKernelsGuard is alive (on any thread).
bool reference_kernels_enabled();

class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// While alive, every op checks its forward result and every backward checks the gradients
// it produces for NaN or Inf, and throws std::runtime_error naming the op and the tensor.
class AnomalyGuard {
 public:
  AnomalyGuard();
  ~AnomalyGuard();
  AnomalyGuard(const AnomalyGuard&) = delete;
  AnomalyGuard& operator=(const AnomalyGuard&) = delete;

 private:
  bool previous_;
};

// While alive, ops whose forward or backward has a fast kernel (SIMD, fused, split over the
// thread pool) run their plain reference loop instead: the obviously-right definition that
// the tests compare each fast path against (tests/autograd/test_fast_paths.cpp). Slow; for
// tests and for curious readers, never needed for correct results.
class ReferenceKernelsGuard {
 public:
  ReferenceKernelsGuard();
  ~ReferenceKernelsGuard();
  ReferenceKernelsGuard(const ReferenceKernelsGuard&) = delete;
  ReferenceKernelsGuard& operator=(const ReferenceKernelsGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace minflow
