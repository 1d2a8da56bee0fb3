#include "flow/conditional.hpp"

#include <algorithm>
#include <stdexcept>

#include "autograd/grad_mode.hpp"
#include "base/thread_pool.hpp"
#include "flow/datasets.hpp"
#include "flow/labels.hpp"

namespace minflow::flow {

nn::MlpSpec conditional_net_spec(std::size_t classes, std::size_t hidden, std::size_t depth,
                                 nn::Activation activation) {
  return nn::MlpSpec{3 + classes + 1, hidden, depth, 2, activation};
}

Array<float> one_hot(const std::vector<std::size_t>& labels, std::size_t classes) {
  Array<float> out = Array<float>::from_shape({labels.size(), classes + 1});
  std::fill(out.begin(), out.end(), 0.0f);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] > classes) {
      throw std::invalid_argument("one_hot: label " + std::to_string(labels[i]) + " outside 0.." +
                                  std::to_string(classes));
    }
    out(i, labels[i]) = 1.0f;
  }
  return out;
}

// Label dropout (Ho & Salimans 2022, classifier-free guidance): the net sees "no label" on a
// share p of the rows, so the same weights learn the unconditional field v_u beside each
// class's v_c. For each row i in order, one uniform u_i ~ U[0, 1) from gen:
//   label_i ← classes ("no label", the last one-hot slot)   if u_i < p,
//   label_i unchanged                                        otherwise.
// One draw per row whatever its outcome, so the stream (and a resumed run) stays in step.
void drop_labels(std::vector<std::size_t>& labels, std::size_t classes, double p, Generator& gen) {
  // EXERCISE 13.2 BEGIN: label dropout in a batch
  for (auto& label : labels)
    if (gen.uniform_double() < p) label = classes;
  // EXERCISE END
}

BatchSource conditional_batches(const std::string& data, double dropout, const TimeSampler& time) {
  const std::size_t classes = dataset_classes(data);
  if (classes == 0)
    throw std::invalid_argument("conditional_batches: data set '" + data + "' has no classes");
  if (!(dropout >= 0.0 && dropout <= 1.0))
    throw std::invalid_argument("conditional_batches: dropout must be in [0, 1]");
  return [data, dropout, time, classes](std::size_t n, TrainState& state) {
    Generator& gen = state.generators.at("pairs");
    const Array<float> x0 = gaussian(gen, n);
    LabelledPoints x1 = sample_labelled(data, gen, n);
    drop_labels(x1.labels, classes, dropout, gen);
    FlowBatch b = make_flow_batch(x0, x1.x, time, state.generators.at("time"));
    b.cond = one_hot(x1.labels, classes);
    return b;
  };
}

namespace {
// The net on rows [x, y, t, onehot(label)], no graph, rows split across the thread pool.
Array<float> run(nn::Module& net, const Array<float>& x, double t, std::size_t classes,
                 std::size_t label) {
  const std::size_t n = x.shape()[0], in = 3 + classes + 1;
  Array<float> out = Array<float>::from_shape({n, 2});
  parallel_for(n, 256, [&](std::size_t begin, std::size_t end) {
    NoGradGuard no_grad;
    Array<float> rows = Array<float>::from_shape({end - begin, in});
    std::fill(rows.begin(), rows.end(), 0.0f);
    for (std::size_t i = begin; i < end; ++i) {
      rows(i - begin, 0) = x(i, 0);
      rows(i - begin, 1) = x(i, 1);
      rows(i - begin, 2) = static_cast<float>(t);
      rows(i - begin, 3 + label) = 1.0f;
    }
    const Tensor v = net.forward(Tensor(std::move(rows)));
    std::copy(v.data(), v.data() + v.size(), out.data() + 2 * begin);
  });
  return out;
}

void check_label(std::size_t classes, std::size_t label) {
  if (label > classes) {
    throw std::invalid_argument("guided_field: label " + std::to_string(label) + " outside 0.." +
                                std::to_string(classes - 1));
  }
}
}  // namespace

// Classifier-free guidance: from the unconditional velocity v_u and the class's v_c at the
// same points, elementwise
//   v = v_u + w·(v_c − v_u)
// (w = 0: v_u; w = 1: v_c; w > 1: past v_c, away from v_u: the class's features
// exaggerated). The other spelling, (1 + w')·v_c − w'·v_u, is this one with w = 1 + w'.
Array<float> guide(const Array<float>& vu, const Array<float>& vc, double w) {
  // EXERCISE 13.1 BEGIN: the guided velocity
  Array<float> v = Array<float>::from_shape(vu.shape());
  for (std::size_t i = 0; i < v.size(); ++i)
    v.data()[i] = static_cast<float>(vu.data()[i] + w * (vc.data()[i] - vu.data()[i]));
  return v;
  // EXERCISE END
}

VelocityField<float> guided_field(nn::Module& net, std::size_t classes, std::size_t label,
                                  double w) {
  check_label(classes, label);
  return [&net, classes, label, w](const Array<float>& x, double t) {
    return guide(run(net, x, t, classes, classes), run(net, x, t, classes, label), w);
  };
}

VelocityField<float> guided_field_prime(nn::Module& net, std::size_t classes, std::size_t label,
                                        double w_prime) {
  check_label(classes, label);
  return [&net, classes, label, w_prime](const Array<float>& x, double t) {
    const Array<float> vu = run(net, x, t, classes, classes);
    const Array<float> vc = run(net, x, t, classes, label);
    Array<float> v = Array<float>::from_shape(x.shape());
    for (std::size_t i = 0; i < v.size(); ++i)
      v.data()[i] = static_cast<float>((1.0 + w_prime) * vc.data()[i] - w_prime * vu.data()[i]);
    return v;
  };
}

std::vector<Array<float>> sample_classes(nn::Module& net, std::size_t classes, double w,
                                         std::size_t n, const IntegrateOptions& options,
                                         Generator& gen) {
  std::vector<Array<float>> out;
  for (std::size_t c = 0; c < classes; ++c) {
    const Array<float> x0 = gaussian(gen, n);
    out.push_back(integrate(guided_field(net, classes, c, w), x0, options).x);
  }
  return out;
}

}  // namespace minflow::flow
