// State_dict folders and float64 checkpoints (nn/state_dict.hpp).
#include "nn/state_dict.hpp"

#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <system_error>
#include <type_traits>
#include <vector>

#include <xtensor/xmath.hpp>

#include "nn/npy.hpp"

namespace minflow::nn {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw std::runtime_error("state_dict " + name + ": " + what);
}

// "l3.bias" → "6.bias": minflow's MLP layer l{k} is torch.nn.Sequential index 2k. Empty
// when the name is not of that form.
std::string sequential_name(const std::string& name) {
  if (name.size() < 2 || name[0] != 'l') return {};
  const std::size_t dot = name.find('.');
  if (dot == std::string::npos || dot == 1) return {};
  std::size_t k = 0;
  for (std::size_t i = 1; i < dot; ++i) {
    if (name[i] < '0' || name[i] > '9') return {};
    k = 10 * k + static_cast<std::size_t>(name[i] - '0');
  }
  return std::to_string(2 * k) + name.substr(dot);
}

std::set<std::string> npy_stems(const fs::path& folder) {
  std::set<std::string> stems;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string file = entry.path().filename().string();
    if (entry.is_regular_file() && file.size() > 4 && file.compare(file.size() - 4, 4, ".npy") == 0)
      stems.insert(file.substr(0, file.size() - 4));
  }
  return stems;
}

// The file stem of each parameter: the model's own names when the folder has the first
// one, else torch.nn.Sequential's (for an MLP).
template <class T>
std::vector<std::string> file_stems(const std::string& name, const fs::path& folder,
                                    const std::vector<BasicNamedParameter<T>>& params,
                                    const BasicModule<T>& model) {
  std::set<std::string> files = npy_stems(folder);
  const Config arch = model.architecture();
  const bool mlp = arch.has("arch") && arch.get_string("arch") == "mlp";
  const bool torch_names = mlp && !params.empty() && !files.count(params[0].name) &&
                           files.count(sequential_name(params[0].name));
  std::vector<std::string> stems;
  std::string missing, extra;
  for (const auto& p : params) {
    stems.push_back(torch_names ? sequential_name(p.name) : p.name);
    if (!files.erase(stems.back()))
      missing += (missing.empty() ? "" : ", ") + stems.back() + ".npy";
  }
  for (const auto& f : files)
    extra += (extra.empty() ? "" : ", ") + f + ".npy";
  if (!missing.empty()) {
    fail(name, "missing parameter file " + missing +
                   (mlp ? " (an MLP's files are named l0.weight.npy, … or torch.nn.Sequential's "
                          "0.weight.npy, …)"
                        : ""));
  }
  if (!extra.empty()) {
    fail(name, "unexpected file " + extra + " (the model has no such parameter)");
  }
  return stems;
}

template <class T>
Array<T> read_parameter(const std::string& name, const fs::path& file, const std::string& label,
                        const Shape& expected) {
  std::string bytes;
  try {
    bytes = read_binary_file(file);
  } catch (const std::runtime_error&) {
    fail(name, label + " cannot be read");
  }
  const std::string source = "state_dict " + name + ": " + label;
  const NpyHeader header = parse_npy_header(bytes, source);
  if (header.shape != expected) {
    fail(name, label + " has shape " + shape_to_string(header.shape) + ", the model expects " +
                   shape_to_string(expected));
  }
  if constexpr (std::is_same_v<T, float>) {
    return parse_npy_float32(bytes, source, DtypePolicy::convert);
  } else {
    return parse_npy_float64(bytes, source, DtypePolicy::convert);
  }
}

// A float32 stand-in for a float64 module: the same tree of names, type names and
// architecture, with float copies of the parameters, so that the float32 checkpoint code
// (its checks and its format) serves float64 modules unchanged.
class Float32Copy : public Module {
 public:
  explicit Float32Copy(const DModule& source)
      : type_(source.type_name()), extra_(source.extra_repr()), arch_(source.architecture()) {
    // Own parameters are the source's named_parameters() without a '.' in the name.
    for (const auto& p : source.named_parameters()) {
      if (p.name.find('.') != std::string::npos) continue;
      register_parameter(p.name, Tensor(Array<float>(xt::cast<float>(p.tensor.value()))));
    }
    for (const auto& c : source.children())
      register_module(c.name, std::make_shared<Float32Copy>(*c.module));
  }
  Tensor forward(const Tensor&) override {
    throw std::logic_error("Float32Copy holds parameters only");
  }
  std::string type_name() const override { return type_; }
  std::string extra_repr() const override { return extra_; }
  Config architecture() const override { return arch_; }

 private:
  std::string type_, extra_;
  Config arch_;
};

}  // namespace

bool is_state_dict_folder(const fs::path& folder) {
  std::error_code ec;
  return fs::is_directory(folder, ec) && !fs::exists(folder / "config.txt", ec) &&
         !fs::exists(folder / "loss.npy", ec) && !fs::exists(folder / "state", ec);
}

template <class T>
void load_state_dict(const fs::path& folder, BasicModule<T>& model) {
  const std::string name = checkpoint_display_name(folder);
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) fail(name, "no such folder");
  const auto params = model.named_parameters();
  const std::vector<std::string> stems = file_stems(name, folder, params, model);
  std::vector<Array<T>> values;
  for (std::size_t i = 0; i < params.size(); ++i) {
    values.push_back(read_parameter<T>(name, folder / (stems[i] + ".npy"), stems[i] + ".npy",
                                       params[i].tensor.shape()));
  }
  // Everything checked: only now touch the model.
  for (std::size_t i = 0; i < params.size(); ++i) {
    BasicTensor<T> t = params[i].tensor;
    t.mutable_value() = std::move(values[i]);
  }
}

template <class T>
void save_state_dict(const fs::path& folder, const BasicModule<T>& model) {
  fs::create_directories(folder);
  for (const auto& p : model.named_parameters()) {
    const Array<float> values = xt::cast<float>(p.tensor.value());
    write_npy(folder / (p.name + ".npy"), values);
  }
}

void save_checkpoint(const fs::path& folder, const DModule& model, const Checkpoint& checkpoint) {
  const Float32Copy copy(model);
  save_checkpoint(folder, static_cast<const Module&>(copy), checkpoint);
}

Checkpoint load_checkpoint(const fs::path& folder, DModule& model) {
  if (is_state_dict_folder(folder)) {  // read in double: float64 files stay exact
    load_state_dict(folder, model);
    return {};
  }
  Float32Copy copy(model);
  Checkpoint ckpt = load_checkpoint(folder, static_cast<Module&>(copy));
  copy_parameter_values(copy, model);  // widened exactly
  return ckpt;
}

template void load_state_dict(const fs::path&, BasicModule<float>&);
template void load_state_dict(const fs::path&, BasicModule<double>&);
template void save_state_dict(const fs::path&, const BasicModule<float>&);
template void save_state_dict(const fs::path&, const BasicModule<double>&);

}  // namespace minflow::nn
