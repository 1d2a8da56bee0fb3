// Config: the key = value format of config.txt and state.txt.
#include <catch2/catch.hpp>

#include "nn/config.hpp"
#include "temp_dir.hpp"

using namespace minflow::nn;
using minflow::testing::TempDir;

TEST_CASE("config text parses, keeps its order and typed values", "[config]") {
  const Config c = Config::parse(
      "# written by minflow\n"
      "kind = flow\n"
      "\n"
      "hidden=64\n"
      "  lr   =   0.001  \n"
      "teacher = out/flow.ckpt\n"
      "note = a = b\n",
      "config.txt");
  REQUIRE(c.entries().size() == 5);
  CHECK(c.entries()[0].first == "kind");
  CHECK(c.entries()[1].first == "hidden");
  CHECK(c.get_string("kind") == "flow");
  CHECK(c.get_int("hidden") == 64);
  CHECK(c.get_size("hidden") == 64);
  CHECK(c.get_double("lr") == 0.001);
  CHECK(c.get_string("note") == "a = b");  // the value is everything after the first '='
  CHECK(c.has("teacher"));
  CHECK_FALSE(c.has("seed"));
}

TEST_CASE("config errors name the source, the key and the problem", "[config]") {
  const Config c =
      Config::parse("hidden = 64x\nlr = fast\ndepth = -3\n", "checkpoint a.ckpt: config.txt");
  CHECK_THROWS_WITH(c.get_int("hidden"),
                    "checkpoint a.ckpt: config.txt: hidden must be an integer, got \"64x\"");
  CHECK_THROWS_WITH(c.get_double("lr"), Catch::Contains("lr must be a finite number"));
  CHECK_THROWS_WITH(c.get_size("depth"), Catch::Contains("depth must not be negative"));
  CHECK_THROWS_WITH(c.get_string("seed"), "checkpoint a.ckpt: config.txt: seed is missing");
  CHECK_THROWS_WITH(Config::parse("a = 1\njust words\n", "f"),
                    Catch::Contains("f: line 2") && Catch::Contains("key = value"));
  CHECK_THROWS_WITH(Config::parse("a = 1\na = 2\n", "f"), Catch::Contains("a is set twice"));
  CHECK_THROWS_WITH(Config::parse("= 2\n", "f"), Catch::Contains("invalid key"));
}

TEST_CASE("set replaces in place, numbers read back exactly, files round-trip", "[config]") {
  Config c("config.txt");
  c.set("kind", "flow");
  c.set("steps_done", std::int64_t{10});
  c.set("lr", 1e-3);
  c.set("odd", 0.1 + 0.2);
  c.set("steps_done", std::size_t{20});
  CHECK(c.entries().size() == 4);
  CHECK(c.entries()[1].second == "20");
  CHECK(c.get_string("lr") == "0.001");
  CHECK(c.get_double("odd") == 0.1 + 0.2);
  CHECK_THROWS_AS(c.set("bad key", "x"), std::invalid_argument);
  CHECK_THROWS_AS(c.set("k", "two\nlines"), std::invalid_argument);

  TempDir dir;
  c.write_file(dir / "config.txt");
  const Config back = Config::read_file(dir / "config.txt", "config.txt");
  CHECK(back == c);
  CHECK(back.to_text() == "kind = flow\nsteps_done = 20\nlr = 0.001\nodd = 0.30000000000000004\n");
  CHECK_THROWS_WITH(Config::read_file(dir / "none.txt", "x"), Catch::Contains("cannot open"));
}
