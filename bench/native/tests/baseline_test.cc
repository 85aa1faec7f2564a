// The C baseline filters end to end through the ABI host: rate_limit must follow the contract of
// docs/filters/rate-limit.md for everything the benchmark configurations use.
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "test_support.h"

using namespace envoyext;

namespace {

uint64_t counter(host::Host& h, const std::string& name, const std::vector<std::string>& labels) {
  host::Metric* m = h.metrics().find(host::MetricKind::Counter, name);
  return m == nullptr ? 0 : m->value(labels);
}

host::RequestSpec request_with(const std::string& header, const std::string& value,
                               const std::string& path = "/api/items") {
  auto r = test::get_request(path);
  r.headers.push_back({header, value});
  return r;
}

TEST(Baseline, PassthroughChangesNothing) {
  auto h = test::host_with_filter("cbaseline", "passthrough", "{}");
  auto req = test::get_request();
  req.body = {"b1", "b2"};
  auto r = h->run(req);
  ASSERT_TRUE(r.upstream_request);
  EXPECT_EQ(r.upstream_request->headers, req.headers);
  EXPECT_EQ(r.upstream_request->body, "b1b2");
  EXPECT_EQ(r.downstream_response->status, 200u);
  EXPECT_EQ(r.downstream_response->body, "upstream-body");
}

TEST(Baseline, RateLimitAllowsExactlyTheLimitAcrossWorkers) {
  auto h = test::host_with_filter("cbaseline", "rate_limit",
                                  R"({"name":"p","rules":[{"limit":{"requests":25,"unit":"Hour"}}]})", 2);
  auto spec = std::make_shared<host::RequestSpec>(test::get_request());
  std::vector<std::promise<host::RequestResult>> done(60);
  for (size_t i = 0; i < done.size(); ++i) {
    h->start(spec, static_cast<int>(i % 2), [&done, i](host::RequestResult&& r) { done[i].set_value(std::move(r)); });
  }
  int allowed = 0, limited = 0;
  for (auto& d : done) {
    auto r = d.get_future().get();
    ASSERT_TRUE(r.downstream_response);
    EXPECT_EQ(test::header(r.downstream_response->headers, "x-ratelimit-limit"), "25");
    if (r.downstream_response->status == 200) ++allowed;
    if (r.downstream_response->status == 429) {
      ++limited;
      EXPECT_EQ(test::header(r.downstream_response->headers, "x-envoy-ratelimited"), "true");
      EXPECT_EQ(test::header(r.downstream_response->headers, "x-ratelimit-remaining"), "0");
      EXPECT_NE(test::header(r.downstream_response->headers, "retry-after"), "<absent>");
      ASSERT_TRUE(r.local_reply);
      EXPECT_EQ(r.local_reply->details, "rate_limited");
      EXPECT_FALSE(r.upstream_request);
    }
  }
  EXPECT_EQ(allowed, 25);
  EXPECT_EQ(limited, 35);
  EXPECT_EQ(counter(*h, "rate_limit_allowed", {"p", "rule-0"}), 25u);
  EXPECT_EQ(counter(*h, "rate_limit_limited", {"p", "rule-0"}), 35u);
}

TEST(Baseline, HeaderExactSelectorCountsOnlyMatchingRequests) {
  auto h = test::host_with_filter("cbaseline", "rate_limit", R"({"rules":[{"name":"alice-only",
      "clientSelectors":[{"headers":[{"name":"X-User","type":"Exact","value":"alice"}]}],
      "limit":{"requests":1,"unit":"Day"}}]})");
  auto first = h->run(request_with("x-user", "alice"));
  EXPECT_EQ(first.downstream_response->status, 200u);
  EXPECT_EQ(test::header(first.downstream_response->headers, "x-ratelimit-limit"), "1");
  EXPECT_EQ(test::header(first.downstream_response->headers, "x-ratelimit-remaining"), "0");
  EXPECT_NE(test::header(first.downstream_response->headers, "x-ratelimit-reset"), "<absent>");
  EXPECT_EQ(h->run(request_with("x-user", "alice")).downstream_response->status, 429u);
  auto other = h->run(request_with("x-user", "bob"));
  EXPECT_EQ(other.downstream_response->status, 200u);
  EXPECT_EQ(test::header(other.downstream_response->headers, "x-ratelimit-remaining"), "<absent>");
  EXPECT_EQ(counter(*h, "rate_limit_allowed", {"default", "alice-only"}), 1u);
}

TEST(Baseline, StrictestRuleLimitsFirstAndLaterRulesAreNotCharged) {
  auto h = test::host_with_filter("cbaseline", "rate_limit", R"({"rules":[
      {"name":"loose","limit":{"requests":100,"unit":"Second"}},
      {"name":"strict","limit":{"requests":2,"unit":"Hour"}}]})");
  for (int i = 0; i < 3; ++i) h->run(test::get_request());
  EXPECT_EQ(counter(*h, "rate_limit_allowed", {"default", "strict"}), 2u);
  EXPECT_EQ(counter(*h, "rate_limit_limited", {"default", "strict"}), 1u);
  EXPECT_EQ(counter(*h, "rate_limit_allowed", {"default", "loose"}), 2u);
}

TEST(Baseline, DistinctGivesEachValueItsBucketAndCountsEvictions) {
  auto h = test::host_with_filter("cbaseline", "rate_limit", R"({"maxDistinctBuckets":2,"rules":[{"name":"u",
      "clientSelectors":[{"headers":[{"name":"x-user","type":"Distinct"}]}],"limit":{"requests":1,"unit":"Day"}}]})");
  EXPECT_EQ(h->run(request_with("x-user", "a")).downstream_response->status, 200u);
  EXPECT_EQ(h->run(request_with("x-user", "b")).downstream_response->status, 200u);
  EXPECT_EQ(h->run(request_with("x-user", "a")).downstream_response->status, 429u);
  EXPECT_EQ(counter(*h, "rate_limit_distinct_evictions", {"default", "u"}), 0u);
  EXPECT_EQ(h->run(request_with("x-user", "c")).downstream_response->status, 200u);  // evicts one
  EXPECT_EQ(counter(*h, "rate_limit_distinct_evictions", {"default", "u"}), 1u);
  // No header: the Distinct selector does not match, the request is not counted.
  EXPECT_EQ(h->run(test::get_request()).downstream_response->status, 200u);
}

TEST(Baseline, RegularExpressionIsAFullMatch) {
  auto h = test::host_with_filter("cbaseline", "rate_limit", R"({"rules":[{"clientSelectors":[{"headers":[
      {"name":"x-client","type":"RegularExpression","value":"mobile-[a-z]+"}]}],"limit":{"requests":1,"unit":"Day"}}]})");
  EXPECT_EQ(h->run(request_with("x-client", "mobile-ios")).downstream_response->status, 200u);
  EXPECT_EQ(h->run(request_with("x-client", "mobile-android")).downstream_response->status, 429u);
  auto partial = h->run(request_with("x-client", "mobile-ios-9"));
  EXPECT_EQ(partial.downstream_response->status, 200u);
  EXPECT_EQ(test::header(partial.downstream_response->headers, "x-ratelimit-limit"), "<absent>");
}

TEST(Baseline, PathPrefixMatchesWholeSegments) {
  auto h = test::host_with_filter("cbaseline", "rate_limit", R"({"rules":[{"clientSelectors":[
      {"path":{"type":"PathPrefix","value":"/api/"},"methods":[{"value":"GET"}]}],"limit":{"requests":5,"unit":"Day"}}]})");
  auto in = h->run(test::get_request("/api/items?x=1"));
  EXPECT_EQ(test::header(in.downstream_response->headers, "x-ratelimit-remaining"), "4");
  auto out = h->run(test::get_request("/apix"));
  EXPECT_EQ(test::header(out.downstream_response->headers, "x-ratelimit-remaining"), "<absent>");
}

TEST(Baseline, PerRouteConfigReplacesOrDisablesTheListenerPolicy) {
  auto h = test::host_with_filter("cbaseline", "rate_limit",
                                  R"({"rules":[{"name":"listener","limit":{"requests":1,"unit":"Day"}}]})");
  std::string error;
  const size_t own = h->add_route("own", "/own/");
  ASSERT_TRUE(h->set_route_filter_config(own, "cbaseline", "rate_limit",
                                         R"({"name":"route","rules":[{"limit":{"requests":3,"unit":"Day"}}]})", error))
      << error;
  const size_t off = h->add_route("off", "/off/");
  ASSERT_TRUE(h->set_route_filter_config(off, "cbaseline", "rate_limit", R"({"disabled":true})", error)) << error;
  EXPECT_FALSE(h->set_route_filter_config(off, "cbaseline", "rate_limit", R"({"disabled":false})", error));

  auto routed = h->run(test::get_request("/own/x"));
  EXPECT_EQ(test::header(routed.downstream_response->headers, "x-ratelimit-limit"), "3");
  EXPECT_EQ(counter(*h, "rate_limit_allowed", {"route", "rule-0"}), 1u);
  auto disabled = h->run(test::get_request("/off/x"));
  EXPECT_EQ(test::header(disabled.downstream_response->headers, "x-ratelimit-limit"), "<absent>");
  EXPECT_EQ(h->run(test::get_request("/other")).downstream_response->status, 200u);
  EXPECT_EQ(h->run(test::get_request("/other")).downstream_response->status, 429u);
}

TEST(Baseline, LimitedResponseCarriesTheConfiguredStatusHeadersAndBody) {
  auto h = test::host_with_filter("cbaseline", "rate_limit", R"({"rules":[{"limit":{"requests":1,"unit":"Day"}}],
      "response":{"statusCode":503,"body":"slow down","headers":[{"name":"X-Why","value":"quota"}],
                  "rateLimitHeaders":false,"retryAfter":false}})");
  h->run(test::get_request());
  auto r = h->run(test::get_request());
  EXPECT_EQ(r.downstream_response->status, 503u);
  EXPECT_EQ(r.downstream_response->body, "slow down");
  EXPECT_EQ(test::header(r.downstream_response->headers, "x-why"), "quota");
  EXPECT_EQ(test::header(r.downstream_response->headers, "retry-after"), "<absent>");
  EXPECT_EQ(test::header(r.downstream_response->headers, "x-ratelimit-limit"), "<absent>");
}

TEST(Baseline, RateLimitRejectsBadConfigNamingTheField) {
  test::use_test_module_dir();
  host::Host h(host::HostOptions{});
  ASSERT_TRUE(h.load_module("cbaseline", host::LoadOptions{}));
  std::string error;
  EXPECT_FALSE(h.create_filter_config("cbaseline", "rate_limit",
                                      R"({"rules":[{"limit":{"requests":10,"unit":"Fortnight"}}]})", error));
  EXPECT_FALSE(h.create_filter_config("cbaseline", "rate_limit", R"({"rules":[{"colour":1}]})", error));
  bool unit = false, unknown = false;
  for (const auto& l : h.logs().snapshot()) {
    unit |= l.message.find("rules[0].limit.unit") != std::string::npos;
    unknown |= l.message.find("rules[0].colour: unknown field") != std::string::npos;
  }
  EXPECT_TRUE(unit);
  EXPECT_TRUE(unknown);
}

}  // namespace
