// Downstream write-buffer watermarks (scenario key `downstream_backpressure`): reported to
// terminal filters only, high inside the write that crossed it, low one loop event later.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scenario.h"
#include "test_support.h"

using nlohmann::json;

namespace {

json run(const json& scenario) {
  try {
    return envoyext::host::run_scenario(scenario);
  } catch (const envoyext::host::ScenarioError& e) {
    return json{{"error", e.what()}};
  }
}

json scenario(bool backpressure, bool terminal) {
  envoyext::test::use_test_module_dir();
  return json{
      {"module", {{"name", "testwatermark"}}},
      {"stream_timeout_ms", 300},
      {"filters",
       json::array({{{"filter_name", "observer"}}, {{"filter_name", "terminal"}, {"terminal_filter", terminal}}})},
      {"requests", json::array({{{"headers", json::array({json::array({":method", "GET"}), json::array({":path", "/w"}),
                                                          json::array({":authority", "x"})})},
                                 {"downstream_backpressure", backpressure}}})}};
}

int observer_calls() {
  std::string path = std::string(ENVOYEXT_TEST_LIB_DIR) + "/libtestwatermark.so";
  void* handle = ::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY);
  if (handle == nullptr) return -1;
  auto fn = reinterpret_cast<int (*)()>(::dlsym(handle, "test_watermark_observer_calls"));
  int calls = fn ? fn() : -1;
  ::dlclose(handle);
  return calls;
}

TEST(Watermark, BackpressureReportsHighDuringTheWriteThenLowToTheTerminalFilterOnly) {
  json r = run(scenario(true, true));
  ASSERT_EQ(r["results"].size(), 1u) << r.dump();
  const json& res = r["results"][0];
  EXPECT_EQ(res["downstream_response"]["status"], 200) << res.dump();
  EXPECT_EQ(res["downstream_response"]["body"], "part1;high;after_first_write;low;") << res.dump();
  EXPECT_EQ(res["reset"], false);
  EXPECT_EQ(observer_calls(), 0);
}

TEST(Watermark, NoBackpressureNoHooks) {
  json r = run(scenario(false, true));
  const json& res = r["results"][0];
  // The terminal filter waits for the low watermark to finish, so its response stays at part1.
  EXPECT_EQ(res["downstream_response"]["body"], "part1;") << res.dump();
}

TEST(Watermark, NonTerminalFilterIsNotRegistered) {
  json r = run(scenario(true, false));
  const json& res = r["results"][0];
  EXPECT_EQ(res["downstream_response"]["body"], "part1;") << res.dump();
  EXPECT_EQ(observer_calls(), 0);
}

TEST(Watermark, MalformedKeyNamesTheField) {
  json s = scenario(true, true);
  s["requests"][0]["downstream_backpressure"] = "yes";
  json r = run(s);
  EXPECT_NE(r.dump().find("requests[0].downstream_backpressure"), std::string::npos) << r.dump();
}

}  // namespace
