// The scenario contract of docs/abi-host.md, as `envoyext-host run` and the C API use it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envoyext/host.h"
#include "test_support.h"

using namespace envoyext;
using nlohmann::json;

namespace {

json run(const json& scenario) {
  std::string text = scenario.dump();
  char* out = envoyext_run_scenario_json(text.data(), text.size());
  json result = json::parse(out);
  envoyext_string_free(out);
  return result;
}

TEST(Scenario, ReportsProgramInitResultsInOrderMetricsAndConfigErrors) {
  test::use_test_module_dir();
  json s = json::parse(R"({
    "module": {"name": "cbaseline", "do_not_close": true},
    "workers": 2,
    "filters": [
      {"filter_name": "rate_limit", "config": "{\"requests\":2,\"unit\":\"Hour\"}"},
      {"filter_name": "rate_limit", "config": "{\"requests\":0}"}
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
  EXPECT_EQ(r["config_errors"][0]["filter_name"], "rate_limit");
  EXPECT_TRUE(r["config_errors"][0]["route"].is_null());
  ASSERT_EQ(r["results"].size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(r["results"][i]["index"], i);
  // Same worker, FIFO: the first two pass, the third is limited.
  EXPECT_EQ(r["results"][0]["downstream_response"]["status"], 201);
  EXPECT_EQ(r["results"][1]["downstream_response"]["status"], 201);
  EXPECT_EQ(r["results"][2]["downstream_response"]["status"], 429);
  EXPECT_EQ(r["results"][2]["local_reply"]["status"], 429);
  EXPECT_TRUE(r["results"][2]["upstream_request"].is_null());
  EXPECT_EQ(r["results"][0]["upstream_request"]["headers"][1][1], "/a");
  bool counted = false;
  for (const auto& m : r["metrics"]) counted |= m["name"] == "rate_limit_limited" && m["value"] == 1;
  EXPECT_TRUE(counted);
}

TEST(Scenario, MalformedInputNamesTheField) {
  json s = json::parse(R"({"module": {"name": "cbaseline"}, "requests": [{"headers": [[":method"]]}]})");
  json r = run(s);
  ASSERT_TRUE(r.contains("error"));
  EXPECT_NE(r["error"].get<std::string>().find("requests[0].headers[0]"), std::string::npos) << r.dump();
  json bad_workers = {{"module", {{"name", "cbaseline"}}}, {"workers", 0}};
  EXPECT_NE(run(bad_workers)["error"].get<std::string>().find("workers"), std::string::npos);
  char text[] = "{not json";
  char* out = envoyext_run_scenario_json(text, sizeof text - 1);
  EXPECT_NE(std::string(out).find("invalid JSON"), std::string::npos);
  envoyext_string_free(out);
}

TEST(CApi, RunsARequestAndReadsMetrics) {
  test::use_test_module_dir();
  envoyext_host_options o{2, 0, 0};
  envoyext_host* h = envoyext_host_create(&o);
  ASSERT_EQ(envoyext_host_load_module(h, "cbaseline", 1), 0) << envoyext_host_last_error(h);
  EXPECT_STREQ(envoyext_host_module_abi_version(h, "cbaseline"), "v0.2.0");
  const char cfg[] = R"({"requests":1,"unit":"Day"})";
  ASSERT_EQ(envoyext_host_add_filter(h, "cbaseline", "rate_limit", cfg, sizeof cfg - 1), 0);
  EXPECT_EQ(envoyext_host_add_filter(h, "cbaseline", "nope", "{}", 2), -1);
  EXPECT_NE(std::string(envoyext_host_last_error(h)).find("nope"), std::string::npos);
  envoyext_request* req = envoyext_request_create();
  envoyext_request_add_header(req, ":method", "GET");
  envoyext_request_add_header(req, ":path", "/x");
  envoyext_request_add_header(req, ":authority", "h");
  envoyext_request_add_upstream_body(req, "hi", 2);
  envoyext_result* first = envoyext_host_run(h, req, -1);
  envoyext_result* second = envoyext_host_run(h, req, -1);
  EXPECT_EQ(envoyext_result_downstream_status(first), 200u);
  EXPECT_STREQ(envoyext_result_downstream_body(first), "hi");
  EXPECT_EQ(envoyext_result_local_reply_status(first), 0u);
  EXPECT_EQ(envoyext_result_downstream_status(second), 429u);
  EXPECT_STREQ(envoyext_result_downstream_header(second, "x-envoy-ratelimited"), "true");
  EXPECT_EQ(envoyext_result_sent_upstream(second), 0);
  const char* labels[] = {"default", "default"};
  EXPECT_EQ(envoyext_host_metric_value(h, "counter", "rate_limit_limited", labels, 2), 1u);
  EXPECT_EQ(envoyext_host_metric_value(h, "counter", "rate_limit_limited", nullptr, 0), 0u);
  char* js = envoyext_result_json(second);
  EXPECT_NE(std::string(js).find("\"status\":429"), std::string::npos);
  envoyext_string_free(js);
  envoyext_result_destroy(first);
  envoyext_result_destroy(second);
  envoyext_request_destroy(req);
  envoyext_host_destroy(h);
}

}  // namespace
