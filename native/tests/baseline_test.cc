// The C baseline filters end to end, including the shared bucket across workers.
#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "test_support.h"

using namespace envoyext;

namespace {

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
  auto h = test::host_with_filter("cbaseline", "rate_limit", R"({"requests":25,"unit":"Hour"})", 2);
  auto spec = std::make_shared<host::RequestSpec>(test::get_request());
  std::vector<std::promise<host::RequestResult>> done(60);
  for (size_t i = 0; i < done.size(); ++i) {
    h->start(spec, static_cast<int>(i % 2), [&done, i](host::RequestResult&& r) { done[i].set_value(std::move(r)); });
  }
  int allowed = 0, limited = 0;
  for (auto& d : done) {
    auto r = d.get_future().get();
    ASSERT_TRUE(r.downstream_response);
    EXPECT_NE(test::header(r.downstream_response->headers, "x-ratelimit-remaining"), "<absent>");
    if (r.downstream_response->status == 200) ++allowed;
    if (r.downstream_response->status == 429) {
      ++limited;
      EXPECT_EQ(test::header(r.downstream_response->headers, "x-envoy-ratelimited"), "true");
      EXPECT_FALSE(r.upstream_request);
    }
  }
  EXPECT_EQ(allowed, 25);
  EXPECT_EQ(limited, 35);
  EXPECT_EQ(h->metrics().find(host::MetricKind::Counter, "rate_limit_allowed")->value({"default", "default"}), 25u);
  EXPECT_EQ(h->metrics().find(host::MetricKind::Counter, "rate_limit_limited")->value({"default", "default"}), 35u);
}

TEST(Baseline, RateLimitHeaderSelectorCountsOnlyMatchingRequests) {
  auto h = test::host_with_filter("cbaseline", "rate_limit",
                                  R"({"requests":1,"unit":"Day","header":"x-user","value":"alice"})");
  auto alice = test::get_request();
  alice.headers.push_back({"x-user", "alice"});
  auto bob = test::get_request();
  bob.headers.push_back({"x-user", "bob"});
  auto first = h->run(alice);
  EXPECT_EQ(first.downstream_response->status, 200u);
  EXPECT_EQ(test::header(first.downstream_response->headers, "x-ratelimit-limit"), "1");
  EXPECT_EQ(test::header(first.downstream_response->headers, "x-ratelimit-remaining"), "0");
  EXPECT_NE(test::header(first.downstream_response->headers, "x-ratelimit-reset"), "<absent>");
  EXPECT_EQ(h->run(alice).downstream_response->status, 429u);
  auto other = h->run(bob);
  EXPECT_EQ(other.downstream_response->status, 200u);
  EXPECT_EQ(test::header(other.downstream_response->headers, "x-ratelimit-remaining"), "<absent>");
}

TEST(Baseline, RateLimitRejectsBadConfigNamingTheField) {
  test::use_test_module_dir();
  host::Host h(host::HostOptions{});
  ASSERT_TRUE(h.load_module("cbaseline", host::LoadOptions{}));
  std::string error;
  EXPECT_FALSE(h.create_filter_config("cbaseline", "rate_limit", R"({"requests":10,"unit":"Fortnight"})", error));
  bool named = false;
  for (const auto& l : h.logs().snapshot()) named |= l.message.find("'unit'") != std::string::npos;
  EXPECT_TRUE(named);
}

}  // namespace
