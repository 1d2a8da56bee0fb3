#include "apps/flags.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <thread>

namespace minflow::cli {

namespace {

// Digits only (no sign, no spaces, no exponent); false on overflow.
bool parse_unsigned(const std::string& s, std::uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const std::uint64_t digit = std::uint64_t(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  out = v;
  return true;
}

bool parse_finite(const std::string& s, double& out) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s[0]))) return false;
  errno = 0;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && errno == 0 && std::isfinite(out);
}

}  // namespace

Flags::Flag& Flags::add(const std::string& name, Kind kind, const std::string& help) {
  order_.push_back(name);
  Flag& f = flags_[name];
  f.kind = kind;
  f.help = help;
  return f;
}

void Flags::add_count(const std::string& name, std::size_t fallback, const std::string& help,
                      std::size_t max, bool zero_ok) {
  Flag& f = add(name, Kind::count, help);
  f.count = fallback;
  f.max = max;
  f.zero_ok = zero_ok;
  f.fallback_text = std::to_string(fallback);
}

void Flags::add_real(const std::string& name, double fallback, const std::string& help,
                     bool positive_only) {
  Flag& f = add(name, Kind::real, help);
  f.real = fallback;
  f.positive_only = positive_only;
  std::ostringstream os;
  os << fallback;
  f.fallback_text = os.str();
}

void Flags::add_seed(const std::string& name, std::uint64_t fallback, const std::string& help) {
  Flag& f = add(name, Kind::seed, help);
  f.seed = fallback;
  f.fallback_text = std::to_string(fallback);
}

void Flags::add_text(const std::string& name, const std::string& fallback,
                     const std::string& help) {
  Flag& f = add(name, Kind::text, help);
  f.text = fallback;
  f.fallback_text = fallback.empty() ? "none" : fallback;
}

void Flags::add_switch(const std::string& name, const std::string& help) {
  Flag& f = add(name, Kind::toggle, help);
  f.fallback_text = "off";
}

void Flags::fail(const std::string& message) const {
  throw UsageError(command_ + ": " + message);
}

void Flags::set_value(const std::string& name, Flag& f, const std::string& value) {
  const std::string quoted = "\"" + value + "\"";
  switch (f.kind) {
    case Kind::count: {
      std::uint64_t v = 0;
      if (!parse_unsigned(value, v) || (v == 0 && !f.zero_ok)) {
        fail("--" + name + " must be a " + (f.zero_ok ? "non-negative" : "positive") +
             " integer, got " + quoted);
      }
      if (v > f.max)
        fail("--" + name + " must be at most " + std::to_string(f.max) + ", got " + quoted);
      f.count = static_cast<std::size_t>(v);
      break;
    }
    case Kind::real:
      if (!parse_finite(value, f.real))
        fail("--" + name + " must be a finite number, got " + quoted);
      if (f.positive_only && !(f.real > 0))
        fail("--" + name + " must be greater than 0, got " + quoted);
      break;
    case Kind::seed:
      if (!parse_unsigned(value, f.seed)) {
        fail("--" + name + " must be an integer from 0 to 18446744073709551615, got " + quoted);
      }
      break;
    case Kind::text:
      if (value.empty()) fail("--" + name + " needs a value, got an empty string");
      f.text = value;
      break;
    case Kind::toggle:
      break;
  }
  f.given = true;
}

bool Flags::parse(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return false;
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      fail("unexpected argument \"" + arg + "\" (flags start with --; see --help)");
    }
    std::string name = arg.substr(2), value;
    const auto eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) fail("unknown flag --" + name + " (see --help)");
    Flag& f = it->second;
    if (f.given) fail("--" + name + " is given twice");
    if (f.kind == Kind::toggle) {
      if (inline_value) fail("--" + name + " takes no value");
      f.on = true;
      f.given = true;
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) fail("--" + name + " needs a value");
      value = args[++i];
    }
    set_value(name, f, value);
  }
  return true;
}

const Flags::Flag& Flags::get(const std::string& name, Kind kind) const {
  auto it = flags_.find(name);
  if (it == flags_.end() || it->second.kind != kind) {
    throw std::logic_error(command_ + ": flag --" + name + " is not defined with that type");
  }
  return it->second;
}

std::size_t Flags::count(const std::string& name) const {
  return get(name, Kind::count).count;
}
double Flags::real(const std::string& name) const {
  return get(name, Kind::real).real;
}
std::uint64_t Flags::seed(const std::string& name) const {
  return get(name, Kind::seed).seed;
}
const std::string& Flags::text(const std::string& name) const {
  return get(name, Kind::text).text;
}
bool Flags::on(const std::string& name) const {
  return get(name, Kind::toggle).on;
}
bool Flags::given(const std::string& name) const {
  auto it = flags_.find(name);
  return it != flags_.end() && it->second.given;
}

std::string Flags::help(const std::string& synopsis) const {
  std::ostringstream os;
  os << "usage: " << command_ << " " << synopsis << "\n\nflags:\n";
  for (const std::string& name : order_) {
    const Flag& f = flags_.at(name);
    std::string left = "  --" + name + (f.kind == Kind::toggle ? "" : " VALUE");
    left.resize(std::max<std::size_t>(left.size() + 2, 26), ' ');
    os << left << f.help;
    if (f.kind != Kind::toggle) os << " (default: " << f.fallback_text << ")";
    os << "\n";
  }
  os << "  --help                  show this help\n";
  return os.str();
}

int resolve_threads(const Flags& flags) {
  if (flags.given("threads")) return static_cast<int>(flags.count("threads"));
  if (const char* env = std::getenv("MINFLOW_THREADS")) {
    std::uint64_t v = 0;
    if (!parse_unsigned(env, v) || v == 0 || v > kMaxThreads) {
      flags.fail("MINFLOW_THREADS must be a positive integer up to " + std::to_string(kMaxThreads) +
                 ", got \"" + env + "\"");
    }
    return static_cast<int>(v);
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace minflow::cli
