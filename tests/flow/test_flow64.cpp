// The flow-matching loss in float64: gradcheck with respect to every parameter of the
// velocity net, through a double twin of flow_matching_loss that is checked to compute the
// same thing in float.
#include <catch2/catch.hpp>

#include "autograd/ops.hpp"
#include "flow/coupling.hpp"
#include "flow/velocity_net.hpp"
#include "module_gradcheck.hpp"
#include "nn/mlp.hpp"

using namespace minflow;
using minflow::testing::module_gradcheck;

namespace {

// flow_matching_loss, line for line (flow/coupling.cpp, flow/velocity_net.cpp), for any
// scalar type: v = net([x_t, t]), loss = mean((v − u)²).
template <class T>
BasicTensor<T> flow_matching_loss_twin(nn::BasicModule<T>& net, const flow::FlowBatch& b) {
  const BasicTensor<T> x_t(Array<T>(xt::cast<T>(b.xt))), t(Array<T>(xt::cast<T>(b.t)));
  const BasicTensor<T> v = net.forward(concat<T>({x_t, t}, 1));
  return mse_loss(v, BasicTensor<T>(Array<T>(xt::cast<T>(b.u))));
}

flow::FlowBatch small_batch() {
  Generator g(4, "data");
  Array<float> x0 = Array<float>::from_shape({6, 2}), x1 = Array<float>::from_shape({6, 2});
  for (float& v : x0)
    v = static_cast<float>(g.normal());
  for (float& v : x1)
    v = static_cast<float>(2.0 * g.normal() + 1.0);
  Generator time(5, "time");
  return flow::make_flow_batch(x0, x1, flow::TimeSampler{}, time);
}

}  // namespace

TEST_CASE("the twin computes flow_matching_loss exactly, in float", "[float64][flow]") {
  Generator init(0, "init");
  nn::MLP net(flow::velocity_net_spec(8, 2, nn::Activation::gelu), init);
  const flow::FlowBatch batch = small_batch();
  CHECK(flow_matching_loss_twin(net, batch).item() == flow::flow_matching_loss(net, batch).item());
}

TEST_CASE("the flow-matching loss passes gradcheck w.r.t. every parameter in float64",
          "[float64][flow]") {
  Generator init(0, "init");
  nn::DMLP net(flow::velocity_net_spec(8, 2, nn::Activation::gelu), init);
  const flow::FlowBatch batch = small_batch();
  const GradcheckReport report =
      module_gradcheck(net, [&] { return flow_matching_loss_twin(net, batch); });
  INFO(report);
  CHECK(report.ok);
  CHECK(report.checked == net.num_parameters());  // 3·8+8 + 8·8+8 + 8·2+2 = 122
  CHECK(report.checked == 122);
}
