// The scenario contract of docs/abi-host.md, as `envoyext-host run` uses it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scenario.h"
#include "test_support.h"

using namespace envoyext;
using nlohmann::json;

namespace {

json run(const json& scenario) {
  try {
    return host::run_scenario(scenario);
  } catch (const host::ScenarioError& e) {
    return json{{"error", e.what()}};
  }
}

TEST(Scenario, ReportsProgramInitResultsInOrderMetricsAndConfigErrors) {
  test::use_test_module_dir();
  json s = json::parse(R"({
    "module": {"name": "testfilters", "do_not_close": true},
    "workers": 2,
    "filters": [
      {"filter_name": "metrics"},
      {"filter_name": "no_such_filter"}
    ],
    "requests": [
      {"headers": [[":method", "GET"], [":path", "/a"], [":authority", "x"], [":scheme", "http"]],
       "repeat": 3, "worker": 0, "upstream": {"status": 201, "body": ["ok"]}}
    ]
  })");
  json r = run(s);
  ASSERT_FALSE(r.contains("error")) << r.dump();
  EXPECT_EQ(r["program_init"]["loaded"], true);
  EXPECT_EQ(r["program_init"]["abi_version"], "v0.2.0");
  ASSERT_EQ(r["config_errors"].size(), 1u);
  EXPECT_EQ(r["config_errors"][0]["filter_name"], "no_such_filter");
  EXPECT_TRUE(r["config_errors"][0]["route"].is_null());
  ASSERT_EQ(r["results"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(r["results"][i]["index"], i);
    EXPECT_EQ(r["results"][i]["downstream_response"]["status"], 201);
  }
  EXPECT_EQ(r["results"][0]["upstream_request"]["headers"][1][1], "/a");
  bool counted = false;
  for (const auto& m : r["metrics"]) counted |= m["name"] == "test_hits" && m["value"] == 3;
  EXPECT_TRUE(counted) << r["metrics"].dump();
}

TEST(Scenario, LocalReplyIsReportedAndNothingGoesUpstream) {
  test::use_test_module_dir();
  json s = json::parse(R"({
    "module": {"name": "testfilters"},
    "filters": [{"filter_name": "deny"}],
    "requests": [{"headers": [[":method", "GET"], [":path", "/a"], [":authority", "x"], [":scheme", "http"]]}]
  })");
  json r = run(s);
  ASSERT_FALSE(r.contains("error")) << r.dump();
  ASSERT_EQ(r["results"].size(), 1u);
  EXPECT_EQ(r["results"][0]["local_reply"]["status"], 403);
  EXPECT_EQ(r["results"][0]["downstream_response"]["status"], 403);
  EXPECT_TRUE(r["results"][0]["upstream_request"].is_null());
}

TEST(Scenario, GenericSecretsAreServedToConfigsThatSubscribeInConfigNew) {
  test::use_test_module_dir();
  json s = json::parse(R"({
    "module": {"name": "testfilters"},
    "secrets": {"api-key": "s3cr3t"},
    "filters": [{"filter_name": "secret", "config": "api-key"}, {"filter_name": "secret", "config": "no-such-secret"}],
    "requests": [{"headers": [[":method", "GET"], [":path", "/a"], [":authority", "x"], [":scheme", "http"]]}]
  })");
  json r = run(s);
  ASSERT_FALSE(r.contains("error")) << r.dump();
  ASSERT_EQ(r["config_errors"].size(), 1u);  // the unknown secret: subscription failed, config rejected
  const json& up = r["results"][0]["upstream_request"]["headers"];
  std::string secret, late;
  for (const auto& h : up) {
    if (h[0] == "x-secret") secret = h[1];
    if (h[0] == "x-late-subscribe") late = h[1];
  }
  EXPECT_EQ(secret, "s3cr3t");
  EXPECT_EQ(late, "0");  // subscriptions only work inside config_new
  EXPECT_NE(run(json{{"module", {{"name", "testfilters"}}}, {"secrets", {{"k", 1}}}})["error"].get<std::string>().find(
                "secrets.k"),
            std::string::npos);
}

TEST(Scenario, AdsSecretsAreServedOnlyToSubscriptionsNamingAds) {
  test::use_test_module_dir();
  json s = json::parse(R"({
    "module": {"name": "testfilters"},
    "secrets": {"static-only": "s"},
    "ads_secrets": {"api-keys/default/clients": "from-ads"},
    "filters": [{"filter_name": "secret", "config": "ads:api-keys/default/clients"},
                {"filter_name": "secret", "config": "ads:static-only"},
                {"filter_name": "secret", "config": "api-keys/default/clients"},
                {"filter_name": "secret", "config": "path:api-keys/default/clients"}],
    "requests": [{"headers": [[":method", "GET"], [":path", "/a"], [":authority", "x"], [":scheme", "http"]]}]
  })");
  json r = run(s);
  ASSERT_FALSE(r.contains("error")) << r.dump();
  // A static secret is not reachable through ADS, an ADS one not as static, and a file source fails.
  ASSERT_EQ(r["config_errors"].size(), 3u) << r.dump();
  std::string secret;
  for (const auto& h : r["results"][0]["upstream_request"]["headers"])
    if (h[0] == "x-secret") secret = h[1];
  EXPECT_EQ(secret, "from-ads");
}

TEST(Scenario, MalformedInputNamesTheField) {
  json s = json::parse(R"({"module": {"name": "testfilters"}, "requests": [{"headers": [[":method"]]}]})");
  json r = run(s);
  ASSERT_TRUE(r.contains("error"));
  EXPECT_NE(r["error"].get<std::string>().find("requests[0].headers[0]"), std::string::npos) << r.dump();
  json bad_workers = {{"module", {{"name", "testfilters"}}}, {"workers", 0}};
  EXPECT_NE(run(bad_workers)["error"].get<std::string>().find("workers"), std::string::npos);
}

}  // namespace
