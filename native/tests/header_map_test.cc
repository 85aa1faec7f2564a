// Header map semantics, directly and through a module's callbacks.
#include <gtest/gtest.h>

#include "header_map.h"
#include "test_support.h"

using namespace envoyext;

namespace {

TEST(HeaderMap, KeysAreLowerCaseAndRepeatInOrder) {
  host::HeaderMap m;
  m.add("X-A", "1");
  m.add("x-b", "2");
  m.add("x-a", "3");
  EXPECT_EQ(m.count("x-a"), 2u);
  EXPECT_EQ(*m.get("X-A", 0), "1");
  EXPECT_EQ(*m.get("x-a", 1), "3");
  EXPECT_EQ(m.get("x-a", 2), nullptr);
  EXPECT_EQ(m.entries()[0].first, "x-a");
}

TEST(HeaderMap, SetReplacesAllValuesKeepingFirstPosition) {
  host::HeaderMap m;
  m.add("x-a", "1");
  m.add("x-b", "2");
  m.add("x-a", "3");
  m.set("X-A", "new");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.entries()[0], (host::HeaderMap::Entry{"x-a", "new"}));
  EXPECT_EQ(m.entries()[1], (host::HeaderMap::Entry{"x-b", "2"}));
  m.remove("x-a");
  EXPECT_EQ(m.count("x-a"), 0u);
  m.set("x-c", "appended");
  EXPECT_EQ(m.entries().back().first, "x-c");
}

TEST(HeaderCallbacks, ModuleSeesAndEditsRequestHeaders) {
  auto h = test::host_with_filter("testfilters", "header_ops", "");
  auto req = test::get_request("/api/items?x=1");
  req.headers.push_back({"x-multi", "one"});
  req.headers.push_back({"x-multi", "two"});
  req.headers.push_back({"x-multi", "three"});
  req.headers.push_back({"x-replace", "old1"});
  req.headers.push_back({"x-replace", "old2"});
  req.headers.push_back({"x-remove", "bye"});
  req.source_address = "10.1.2.3:5555";
  req.trailers = host::HeaderList{{"x-t1", "1"}};
  auto r = h->run(req);
  ASSERT_TRUE(r.upstream_request);
  const auto& up = r.upstream_request->headers;
  EXPECT_EQ(test::header(up, "x-count"), "3");
  EXPECT_EQ(test::header(up, "x-second"), "two");
  EXPECT_EQ(test::header(up, "x-joined"), "one,two,three");
  EXPECT_EQ(test::header(up, "x-path-seen"), "/api/items?x=1");
  EXPECT_EQ(test::header(up, "x-absent-null"), "yes");
  EXPECT_EQ(test::header_count(up, "x-replace"), 1u);
  EXPECT_EQ(test::header(up, "x-replace"), "new");
  EXPECT_EQ(test::header_count(up, "x-remove"), 0u);
  EXPECT_EQ(test::header_count(up, "x-added"), 2u);
  EXPECT_EQ(test::header(up, "x-source"), "10.1.2.3:5555");
  EXPECT_EQ(test::header(up, "x-source-port"), "5555");
  EXPECT_EQ(test::header(up, "x-route-config"), "none");
  EXPECT_EQ(test::header(up, "x-md"), "alice/2.5");
  EXPECT_EQ(test::header(up, "x-md-route"), "absent");
  EXPECT_EQ(test::header(up, "x-fs"), "fs-value");
  EXPECT_EQ(test::header(up, "x-debug-enabled"), "0");
  EXPECT_EQ(test::header(up, "x-log-level"), "2");
  EXPECT_EQ(test::header(up, "x-concurrency"), "1");
  bool logged = false;
  for (const auto& l : h->logs().snapshot()) logged |= l.message == "[test_filters.c:7] header_ops ran" && l.level == 2;
  EXPECT_TRUE(logged);
  ASSERT_TRUE(r.upstream_request->trailers);
  EXPECT_EQ(test::header(*r.upstream_request->trailers, "x-t1"), "1");
  EXPECT_EQ(test::header(*r.upstream_request->trailers, "x-t2"), "added");
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(test::header(r.downstream_response->headers, "x-encoded-status"), "200");
  EXPECT_EQ(r.downstream_response->body, "upstream-body");
}

TEST(HeaderCallbacks, PerRouteConfigIsFoundByPrefix) {
  auto h = test::host_with_filter("testfilters", "header_ops", "");
  size_t api = h->add_route("api-route", "/api");
  h->add_route("other", "/");
  std::string error;
  ASSERT_TRUE(h->set_route_filter_config(api, "testfilters", "header_ops", "route-cfg-A", error)) << error;
  auto r = h->run(test::get_request("/api/x"));
  ASSERT_TRUE(r.upstream_request);
  EXPECT_EQ(test::header(r.upstream_request->headers, "x-route-config"), "route-cfg-A");
  EXPECT_EQ(test::header(r.upstream_request->headers, "x-route-name"), "api-route");
  auto r2 = h->run(test::get_request("/static/x"));
  ASSERT_TRUE(r2.upstream_request);
  EXPECT_EQ(test::header(r2.upstream_request->headers, "x-route-config"), "none");
  EXPECT_EQ(test::header(r2.upstream_request->headers, "x-route-name"), "other");
}

}  // namespace
