// bench/host-bench.json is data the benchmark trusts: each entry must parse, and a mistake must be
// reported naming the field rather than measured.
#include "configurations.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

using envoyext::bench::Baseline;
using envoyext::bench::ConfigurationError;
using envoyext::bench::load_configurations;

namespace {

std::string write_temp(const std::string& text) {
  char path[] = "/tmp/host-bench-configurations-XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  std::ofstream(path) << text;
  close(fd);
  return path;
}

std::string error_of(const std::string& text) {
  const std::string path = write_temp(text);
  try {
    load_configurations(path);
  } catch (const ConfigurationError& e) {
    std::remove(path.c_str());
    return e.what();
  }
  std::remove(path.c_str());
  return "";
}

}  // namespace

TEST(HostBenchConfigurations, TheRepositoryFileLoadsAndEveryFilterWithoutACBaselineSaysSo) {
  const auto all = load_configurations(ENVOYEXT_HOST_BENCH_JSON);
  ASSERT_FALSE(all.empty());
  for (const auto& c : all) {
    // The C baseline module knows passthrough and rate_limit only; anything else needs the C# passthrough.
    if (c.filter != "passthrough" && c.filter != "rate_limit") {
      EXPECT_EQ(c.baseline, Baseline::Passthrough) << c.name;
    }
  }
}

TEST(HostBenchConfigurations, BaselineDefaultsToCAndAcceptsPassthrough) {
  const std::string path = write_temp(R"({"configurations": [
      {"name": "a", "filter": "rate_limit"},
      {"name": "b", "filter": "concurrency_limit", "baseline": "passthrough", "config": {"x": 1}}]})");
  const auto all = load_configurations(path);
  std::remove(path.c_str());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].baseline, Baseline::C);
  EXPECT_EQ(all[1].baseline, Baseline::Passthrough);
  EXPECT_EQ(all[1].config, R"({"x":1})");
}

TEST(HostBenchConfigurations, ABadBaselineIsReportedByField) {
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "baseline": "go"}]})"),
            "configurations[0].baseline: expected \"c\" or \"passthrough\"");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "baseline": "passthrough",
                                              "route_config": {}}]})"),
            "configurations[0].route_config: not supported with baseline \"passthrough\"");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "baselines": "c"}]})"),
            "configurations[0].baselines: unknown field");
}
