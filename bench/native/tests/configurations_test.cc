// bench/host-bench.json is data the benchmark trusts: each entry must parse, and a mistake must be
// reported naming the field rather than measured.
#include "configurations.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <utility>

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
    // The C baseline module knows passthrough and rate_limit only; anything else needs a C# baseline.
    if (c.filter != "passthrough" && c.filter != "rate_limit") {
      EXPECT_NE(c.baseline, Baseline::C) << c.name;
    }
    // The C baseline has no Global rules: a configuration that needs Redis is compared with a C# twin.
    if (c.needs_redis) {
      EXPECT_EQ(c.baseline, Baseline::CSharp) << c.name;
    }
  }
}

TEST(HostBenchConfigurations, TheRepositoryFileHasGlobalRowsAgainstLocalAndAgainstARoundTripPerRequest) {
  const auto all = load_configurations(ENVOYEXT_HOST_BENCH_JSON, std::string("127.0.0.1:6399"));
  int local_twins = 0, round_trips = 0;
  for (const auto& c : all) {
    if (!c.needs_redis) continue;
    EXPECT_EQ(c.config.find("{{redis}}"), std::string::npos) << c.name;
    EXPECT_NE(c.config.find("\"127.0.0.1:6399\""), std::string::npos) << c.name;
    if (c.baseline_config.find("\"Global\"") == std::string::npos) ++local_twins;
    if (c.config.find("\"batch\":1,") != std::string::npos && c.workers == 2) ++round_trips;
  }
  EXPECT_GE(local_twins, 1);
  EXPECT_EQ(round_trips, 1);
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
            "configurations[0].baseline: expected \"c\", \"passthrough\" or {\"filter\": ..., \"config\": {...}}");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "baseline": "passthrough",
                                              "route_config": {}}]})"),
            "configurations[0].route_config: supported with the C baseline only");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "baseline": {"filter": "f"}}]})"),
            "configurations[0].baseline.config: expected an object (the twin's filter config)");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "baseline": {"config": {}}}]})"),
            "configurations[0].baseline.filter: expected a non-empty string");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f",
                                              "baseline": {"filter": "f", "config": {}, "modules": "c"}}]})"),
            "configurations[0].baseline.modules: unknown field");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f",
                                              "baseline": {"filter": "f", "config": {}, "module": "x"}}]})"),
            "configurations[0].baseline.module: expected \"c\" (the C baseline module) or \"cs\" (the default)");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "baselines": "c"}]})"),
            "configurations[0].baselines: unknown field");
}

TEST(HostBenchConfigurations, ABaselineObjectIsACSharpTwinConfiguration) {
  const std::string path = write_temp(R"({"configurations": [
      {"name": "a", "filter": "rate_limit", "config": {"g": 1},
       "baseline": {"name": "same rule Local", "filter": "rate_limit", "config": {"l": 2}}},
      {"name": "b", "filter": "rate_limit", "baseline": {"filter": "passthrough", "config": {}}}]})");
  const auto all = load_configurations(path);
  std::remove(path.c_str());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].baseline, Baseline::CSharp);
  EXPECT_EQ(all[0].baseline_filter, "rate_limit");
  EXPECT_EQ(all[0].baseline_config, R"({"l":2})");
  EXPECT_EQ(all[0].baseline_name, "same rule Local");
  EXPECT_EQ(all[0].config, R"({"g":1})");
  EXPECT_EQ(all[1].baseline_name, "passthrough");  // the twin's filter when it has no name
}

TEST(HostBenchConfigurations, RequestsPerRoundIsOptionalAndBounded) {
  const std::string path = write_temp(R"({"configurations": [
      {"name": "a", "filter": "f"}, {"name": "b", "filter": "f", "requests": 5000}]})");
  const auto all = load_configurations(path);
  std::remove(path.c_str());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].requests, 0u);
  EXPECT_EQ(all[1].requests, 5000u);
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "requests": 0}]})"),
            "configurations[0].requests: expected an integer between 1 and 10000000");
}

TEST(HostBenchConfigurations, TheRedisPlaceholderIsReplacedOrMarksTheConfigurationAsNeedingRedis) {
  const std::string text = R"({"configurations": [
      {"name": "global", "filter": "rate_limit",
       "config": {"global": {"redis": {"addresses": ["{{redis}}"]}}},
       "baseline": {"filter": "rate_limit", "config": {"global": {"redis": {"addresses": ["{{redis}}", "{{redis}}"]}}}}},
      {"name": "local", "filter": "rate_limit", "config": {"x": "{{redis"}}]})";
  const std::string path = write_temp(text);
  const auto without = load_configurations(path);
  const auto with = load_configurations(path, std::string("127.0.0.1:7001"));
  std::remove(path.c_str());
  ASSERT_EQ(without.size(), 2u);
  ASSERT_EQ(with.size(), 2u);
  EXPECT_TRUE(without[0].needs_redis);
  EXPECT_FALSE(without[1].needs_redis);
  EXPECT_EQ(without[0].config, R"({"global":{"redis":{"addresses":["{{redis}}"]}}})");
  EXPECT_TRUE(with[0].needs_redis);
  EXPECT_FALSE(with[1].needs_redis);
  EXPECT_EQ(with[0].config, R"({"global":{"redis":{"addresses":["127.0.0.1:7001"]}}})");
  EXPECT_EQ(with[0].baseline_config, R"({"global":{"redis":{"addresses":["127.0.0.1:7001","127.0.0.1:7001"]}}})");
  EXPECT_EQ(with[1].config, R"({"x":"{{redis"})");
}

TEST(HostBenchConfigurations, ABaselineObjectWithModuleCIsATwinFilterOfTheCBaseline) {
  const std::string path = write_temp(R"({"configurations": [
      {"name": "a", "filter": "ext_auth", "config": {"cluster": "auth"},
       "baseline": {"module": "c", "name": "bare callout", "filter": "ext_auth_callout", "config": {"cluster": "auth"}}},
      {"name": "b", "filter": "rate_limit", "baseline": {"module": "cs", "filter": "rate_limit", "config": {}}}]})");
  const auto all = load_configurations(path);
  std::remove(path.c_str());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].baseline, Baseline::CTwin);
  EXPECT_EQ(all[0].baseline_filter, "ext_auth_callout");
  EXPECT_EQ(all[0].baseline_config, R"({"cluster":"auth"})");
  EXPECT_EQ(all[0].baseline_name, "bare callout");
  EXPECT_EQ(all[1].baseline, Baseline::CSharp);
}

TEST(HostBenchConfigurations, ClustersTakeTheAuthServicePlaceholdersAndBadOnesAreReportedByField) {
  const std::string path = write_temp(R"({"configurations": [
      {"name": "a", "filter": "ext_auth", "clusters": {"auth": "{{auth_http}}", "other": "127.0.0.1:9"}},
      {"name": "b", "filter": "ext_auth", "clusters": {"auth": "127.0.0.1:9"}},
      {"name": "c", "filter": "ext_auth", "clusters": {"auth": "h2c://{{auth_grpc}}"}}]})");
  const auto without = load_configurations(path);
  const auto with =
      load_configurations(path, std::nullopt, std::string("127.0.0.1:7002"), std::string("127.0.0.1:7003"));
  std::remove(path.c_str());
  ASSERT_EQ(without.size(), 3u);
  ASSERT_EQ(with.size(), 3u);
  EXPECT_TRUE(without[0].needs_auth_http);
  EXPECT_FALSE(without[0].needs_auth_grpc);
  EXPECT_FALSE(without[1].needs_auth_http);
  EXPECT_FALSE(without[1].needs_auth_grpc);
  EXPECT_FALSE(without[2].needs_auth_http);
  EXPECT_TRUE(without[2].needs_auth_grpc);
  EXPECT_EQ(without[2].clusters[0].second, "h2c://{{auth_grpc}}");
  EXPECT_TRUE(with[2].needs_auth_grpc);
  EXPECT_EQ(with[2].clusters[0].second, "h2c://127.0.0.1:7003");
  EXPECT_EQ(without[0].clusters[0].second, "{{auth_http}}");
  EXPECT_TRUE(with[0].needs_auth_http);
  ASSERT_EQ(with[0].clusters.size(), 2u);
  EXPECT_EQ(with[0].clusters[0], (std::pair<std::string, std::string>("auth", "127.0.0.1:7002")));
  EXPECT_EQ(with[0].clusters[1], (std::pair<std::string, std::string>("other", "127.0.0.1:9")));
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "clusters": ["auth"]}]})"),
            "configurations[0].clusters: expected an object {name: \"host:port\"}");
  EXPECT_EQ(error_of(R"({"configurations": [{"name": "a", "filter": "f", "clusters": {"auth": ""}}]})"),
            "configurations[0].clusters.auth: expected a non-empty string (\"host:port\")");
}

TEST(HostBenchConfigurations, TheRepositoryFileMeasuresExtAuthAgainstTheBareCalloutInBothModes) {
  const auto all = load_configurations(ENVOYEXT_HOST_BENCH_JSON, std::nullopt, std::string("127.0.0.1:7002"),
                                       std::string("127.0.0.1:7003"));
  int http_rows = 0, grpc_rows = 0;
  for (const auto& c : all) {
    if (c.filter != "ext_auth") continue;
    const bool grpc = c.config.find(R"("protocol":"grpc")") != std::string::npos;
    (grpc ? grpc_rows : http_rows)++;
    EXPECT_EQ(c.baseline, Baseline::CTwin) << c.name;
    EXPECT_EQ(c.baseline_filter, "ext_auth_callout") << c.name;
    // The bare callout speaks the C# filter's protocol to the service of that protocol.
    EXPECT_EQ(c.baseline_config.find(R"("protocol":"grpc")") != std::string::npos, grpc) << c.name;
    EXPECT_EQ(c.needs_auth_http, !grpc) << c.name;
    EXPECT_EQ(c.needs_auth_grpc, grpc) << c.name;
    // Both chains call the same cluster, so they wait on the same service.
    ASSERT_EQ(c.clusters.size(), 1u) << c.name;
    const std::string cluster = "\"cluster\":\"" + c.clusters[0].first + "\"";
    EXPECT_NE(c.config.find(cluster), std::string::npos) << c.name;
    EXPECT_NE(c.baseline_config.find(cluster), std::string::npos) << c.name;
  }
  EXPECT_GE(http_rows, 1);
  EXPECT_GE(grpc_rows, 1);
}
