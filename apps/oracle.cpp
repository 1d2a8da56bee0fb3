#include "apps/oracle.hpp"

#include <filesystem>

#include "apps/common.hpp"
#include "flow/datasets.hpp"

namespace minflow::cli {

Oracle load_oracle(const Flags& flags, const std::string& flag) {
  const std::string& value = flags.text(flag);
  Oracle oracle;
  std::error_code ec;
  if (flow::is_dataset(value) || !std::filesystem::exists(value, ec)) {
    try {
      oracle.mixture = flow::target_mixture(value);
      oracle.target = flow::dataset_sampler(value);
    } catch (const std::exception& e) {
      flags.fail("--" + flag + " " + value + ": " + e.what() +
                 (flow::is_dataset(value) ? "" : " (nor an existing .npy file)"));
    }
    oracle.data = value;
    return oracle;
  }
  const Array<float> points = read_points(flags, flag, value);
  oracle.mixture = flow::points_mixture(points, value);
  oracle.target = flow::points_sampler(points);
  return oracle;
}

bool has_known_density(const std::string& data) {
  return flow::has_exact_field(data);
}

}  // namespace minflow::cli
