// HTTP callouts to named clusters mapped to real loopback HTTP/1.1 endpoints.
#include <gtest/gtest.h>

#include "loopback_server.h"
#include "test_support.h"

using namespace envoyext;

namespace {

std::unique_ptr<host::Host> callout_host(const std::string& config, const std::string& address) {
  test::use_test_module_dir();
  auto h = std::make_unique<host::Host>(host::HostOptions{});
  std::string error;
  EXPECT_TRUE(h->add_cluster("authz", address, error)) << error;
  EXPECT_TRUE(h->load_module("testfilters", host::LoadOptions{}));
  auto cfg = h->create_filter_config("testfilters", "callout", config, error);
  EXPECT_TRUE(cfg) << error;
  if (cfg) h->add_filter(cfg);
  return h;
}

TEST(Callout, SuccessDeliversStatusHeadersAndBodyOnTheWorker) {
  test::LoopbackServer server("HTTP/1.1 200 OK\r\ncontent-length: 7\r\nx-authz: yes\r\n\r\nallowed");
  auto h = callout_host("authz 2000", server.address());
  auto r = h->run(test::get_request());
  ASSERT_TRUE(r.upstream_request);
  const auto& up = r.upstream_request->headers;
  EXPECT_EQ(test::header(up, "x-callout-result"), "0");
  EXPECT_EQ(test::header(up, "x-callout-status"), "200");
  EXPECT_EQ(test::header(up, "x-callout-body"), "allowed");
  EXPECT_EQ(test::header(up, "x-callout-id"), "1");
  std::string seen = server.last_request();
  EXPECT_EQ(seen.rfind("POST /check HTTP/1.1\r\n", 0), 0u) << seen;
  EXPECT_NE(seen.find("payload"), std::string::npos);
  EXPECT_NE(seen.find("x-q: 1"), std::string::npos);
}

TEST(Callout, TimeoutReportsReset) {
  test::LoopbackServer silent("");
  auto h = callout_host("authz 150", silent.address());
  auto r = h->run(test::get_request());
  ASSERT_TRUE(r.upstream_request);
  EXPECT_EQ(test::header(r.upstream_request->headers, "x-callout-result"), "1");  // Reset
  EXPECT_EQ(test::header(r.upstream_request->headers, "x-callout-status"), "<absent>");
}

TEST(Callout, UnknownClusterIsRejectedAtInit) {
  auto h = callout_host("nope 1000", "127.0.0.1:1");
  auto r = h->run(test::get_request());
  ASSERT_TRUE(r.local_reply);
  EXPECT_EQ(r.local_reply->details, "callout_init_2");  // ClusterNotFound
}

TEST(Callout, MissingRequiredHeadersIsRejectedAtInit) {
  auto h = callout_host("authz 1000 bare", "127.0.0.1:1");
  auto r = h->run(test::get_request());
  ASSERT_TRUE(r.local_reply);
  EXPECT_EQ(r.local_reply->details, "callout_init_1");  // MissingRequiredHeaders
}

TEST(Callout, MalformedClusterAddressIsRejected) {
  host::Host h(host::HostOptions{});
  std::string error;
  EXPECT_FALSE(h.add_cluster("authz", "no-port", error));
  EXPECT_NE(error.find("clusters.authz"), std::string::npos) << error;
}

}  // namespace
