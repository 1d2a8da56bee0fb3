// The fuzz targets' bodies (see fuzz_entries.hpp): run a parser on arbitrary bytes, accept
// its expected errors, and check what it promises about the inputs it accepts.
#include "fuzz/fuzz_entries.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "apps/commands.hpp"
#include "apps/common.hpp"
#include "base/random.hpp"
#include "flow/integrators.hpp"
#include "flow/time_sampler.hpp"
#include "flow/trainer.hpp"
#include "nn/activation.hpp"
#include "nn/config.hpp"
#include "nn/mlp.hpp"
#include "nn/npy.hpp"

namespace minflow::fuzz {

namespace {

// Runs `body`; an expected refusal ends it quietly, anything else propagates.
template <class Body>
void refusals_allowed(Body&& body) {
  try {
    body();
  } catch (const std::runtime_error&) {  // includes cli::UsageError
  } catch (const std::invalid_argument&) {
  }
}

void require(bool ok, const std::string& what) {
  if (!ok) throw Finding(what);
}

// ---- .npy -----------------------------------------------------------------------------

template <class T>
bool same_bits(const Array<T>& a, const Array<T>& b) {
  return a.shape() == b.shape() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

// What a valid header promises: the array reads in both types, has the header's shape, and
// the same data behind minflow's own header reads back to the same bits.
void check_accepted_npy(std::string_view bytes, const nn::NpyHeader& header) {
  const auto f32 = nn::parse_npy_float32(bytes, "fuzz.npy", nn::DtypePolicy::convert);
  const auto f64 = nn::parse_npy_float64(bytes, "fuzz.npy", nn::DtypePolicy::convert);
  require(Shape(f32.shape().begin(), f32.shape().end()) == header.shape &&
              Shape(f64.shape().begin(), f64.shape().end()) == header.shape,
          "npy: the array's shape differs from the header's");
  std::string rewritten = nn::npy_header_bytes(header.dtype, header.shape);
  rewritten.append(bytes.substr(header.data_offset));
  const nn::NpyHeader again = nn::parse_npy_header(rewritten, "rewritten.npy");
  require(again.dtype == header.dtype && again.shape == header.shape,
          "npy: npy_header_bytes does not read back as the same header");
  require(
      same_bits(f32, nn::parse_npy_float32(rewritten, "rewritten.npy", nn::DtypePolicy::convert)),
      "npy: the rewritten file holds other float32 values");
}

// ---- config.txt -----------------------------------------------------------------------

void check_values(const nn::Config& config) {
  for (const auto& entry : config.entries()) {
    const std::string &key = entry.first, &value = entry.second;
    require(config.has(key) && config.get_string(key) == value, "config: get_string(" + key + ")");
    refusals_allowed([&] { (void)config.get_int(key); });
    refusals_allowed([&] { (void)config.get_size(key); });
    refusals_allowed([&] { (void)config.get_double(key); });
    // The parsers that read config.txt and state.txt values.
    refusals_allowed([&] { (void)nn::parse_activation(value); });
    refusals_allowed([&] { (void)flow::parse_time_sampler(value); });
    refusals_allowed([&] {
      const std::string text = Generator::from_string(value).to_string();
      require(Generator::from_string(text).to_string() == text,
              "config: a generator state does not survive to_string and from_string");
    });
  }
}

// from_config of what write_to wrote gives the same run (the settings --resume compares).
void check_settings_round_trip(const flow::TrainSettings& s) {
  nn::Config written("written config.txt");
  s.write_to(written);
  const flow::TrainSettings back = flow::TrainSettings::from_config(written);
  require(back.resume_mismatch(s).empty() && back.steps == s.steps &&
              back.save_every == s.save_every && back.net == s.net,
          "config: TrainSettings do not survive write_to and from_config");
}

// ---- the command line -----------------------------------------------------------------

// Arguments end at NUL or newline; an unterminated last piece is an argument too.
std::vector<std::string> split_arguments(std::string_view bytes) {
  std::vector<std::string> args;
  std::string current;
  for (char c : bytes) {
    if (c == '\0' || c == '\n') {
      args.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) args.push_back(current);
  return args;
}

// Parses `args` with a subcommand's table, then runs `checks` (what the subcommand does
// with the values before any work) unless --help was asked for.
template <class Checks>
void parse_with(cli::Flags flags, const std::vector<std::string>& args, Checks&& checks) {
  refusals_allowed([&] {
    if (!flags.parse(args)) {
      require(!flags.help("[flags]").empty(), "flags: empty help");
      return;
    }
    (void)cli::resolve_threads(flags);
    checks(flags);
  });
}

}  // namespace

void npy(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  bool accepted = false;
  nn::NpyHeader header;
  refusals_allowed([&] {
    header = nn::parse_npy_header(bytes, "fuzz.npy");
    accepted = true;
  });
  // Each reader on its own: the exact policy refuses the other dtype.
  refusals_allowed([&] { (void)nn::parse_npy_float32(bytes, "fuzz.npy"); });
  refusals_allowed([&] { (void)nn::parse_npy_float64(bytes, "fuzz.npy"); });
  if (accepted) check_accepted_npy(bytes, header);
}

void config(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nn::Config parsed;
  try {
    parsed = nn::Config::parse(text, "fuzz config.txt");
  } catch (const std::runtime_error&) {
    return;
  }
  // What parse accepts, to_text writes back as the same settings.
  require(nn::Config::parse(parsed.to_text(), "written config.txt") == parsed,
          "config: to_text() does not read back as the same settings");
  check_values(parsed);
  refusals_allowed([&] { (void)nn::MlpSpec::from_config(parsed); });
  refusals_allowed([&] { check_settings_round_trip(flow::TrainSettings::from_config(parsed)); });
}

void flags(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> args =
      split_arguments(std::string_view(reinterpret_cast<const char*>(data), size));
  parse_with(cli::train_flags(), args,
             [](const cli::Flags& f) { (void)cli::training_settings(f, "flow"); });
  parse_with(cli::reflow_flags(), args, [](const cli::Flags& f) {
    (void)flow::parse_solver(f.text("teacher-solver"));
    (void)flow::parse_time_sampler(f.text("time"));
  });
  parse_with(cli::sample_flags(), args,
             [](const cli::Flags& f) { (void)cli::integrator_options(f); });
  parse_with(cli::eval_flags(), args,
             [](const cli::Flags& f) { (void)cli::integrator_options(f); });
  parse_with(cli::plot_flags(), args,
             [](const cli::Flags& f) { (void)cli::integrator_options(f); });
  parse_with(cli::demo_flags(), args, [](const cli::Flags& f) { (void)f.count("pool"); });
}

}  // namespace minflow::fuzz
