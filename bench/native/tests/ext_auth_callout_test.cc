// The bare callout ext_auth is measured against (ext_auth_callout in libcbaseline.so) and the
// benchmark's authorization service it calls: the check request must have ext_auth's shape, a 2xx
// answer must let the request through and anything else must stop it, or the benchmark would
// compare different work.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "auth_server.h"
#include "loopback_server.h"
#include "test_support.h"

using namespace envoyext;

namespace {

std::unique_ptr<host::Host> callout_host(const std::string& address, const std::string& config) {
  auto h = test::host_with_filter("cbaseline", "ext_auth_callout", config);
  std::string error;
  EXPECT_TRUE(h->add_cluster("auth", address, error)) << error;
  return h;
}

host::RequestSpec request_with_authorization() {
  auto r = test::get_request("/api/items?page=2");
  r.headers.push_back({"authorization", "Bearer token-1"});
  r.headers.push_back({"x-tenant", "acme"});
  r.headers.push_back({"x-other", "not sent"});
  return r;
}

TEST(ExtAuthCallout, SendsExtAuthsCheckRequestAndContinuesOnA2xx) {
  test::LoopbackServer server("HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n");
  auto h = callout_host(server.address(), R"({"cluster":"auth","timeoutMs":2000,"headersToExtAuth":["x-tenant"]})");
  const auto req = request_with_authorization();
  auto r = h->run(req);
  ASSERT_TRUE(r.upstream_request);
  EXPECT_EQ(r.upstream_request->headers, req.headers);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 200u);
  const std::string check = server.last_request();
  EXPECT_EQ(check.rfind("GET /api/items?page=2 HTTP/1.1\r\n", 0), 0u) << check;
  EXPECT_NE(check.find("host: " + test::header(req.headers, ":authority") + "\r\n"), std::string::npos) << check;
  EXPECT_NE(check.find("authorization: Bearer token-1\r\n"), std::string::npos) << check;
  EXPECT_NE(check.find("x-tenant: acme\r\n"), std::string::npos) << check;
  EXPECT_EQ(check.find("x-other"), std::string::npos) << check;
}

TEST(ExtAuthCallout, ADenialEndsTheStreamWith403) {
  test::LoopbackServer server("HTTP/1.1 401 Unauthorized\r\ncontent-length: 4\r\n\r\nnope");
  auto h = callout_host(server.address(), R"({"cluster":"auth","timeoutMs":2000})");
  auto r = h->run(request_with_authorization());
  EXPECT_FALSE(r.upstream_request);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 403u);
  ASSERT_TRUE(r.local_reply);
  EXPECT_EQ(r.local_reply->details, "ext_auth_error");
}

TEST(ExtAuthCallout, AnUnknownClusterEndsTheStreamWith403) {
  auto h = test::host_with_filter("cbaseline", "ext_auth_callout", R"({"cluster":"missing"})");
  auto r = h->run(request_with_authorization());
  EXPECT_FALSE(r.upstream_request);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 403u);
}

TEST(ExtAuthCallout, ConfigFieldsBeyondTheBareCalloutAreRejected) {
  host::Host h(host::HostOptions{});
  test::use_test_module_dir();
  ASSERT_TRUE(h.load_module("cbaseline", host::LoadOptions{}));
  std::string error;
  EXPECT_FALSE(h.create_filter_config("cbaseline", "ext_auth_callout", R"({"cluster":"a","failOpen":true})", error));
  EXPECT_FALSE(h.create_filter_config("cbaseline", "ext_auth_callout", R"({"timeoutMs":5})", error));
  EXPECT_FALSE(h.create_filter_config("cbaseline", "ext_auth_callout", R"({"cluster":"a","timeoutMs":0})", error));
  EXPECT_TRUE(h.create_filter_config("cbaseline", "ext_auth_callout", R"({"cluster":"a"})", error)) << error;
}

TEST(BenchAuthServer, AnswersEveryCheckOfTheBareCalloutWith200) {
  bench::AuthServer server;
  auto h = callout_host(server.address(), R"({"cluster":"auth","timeoutMs":2000})");
  for (int i = 0; i < 3; ++i) {
    auto r = h->run(request_with_authorization());
    ASSERT_TRUE(r.downstream_response);
    EXPECT_EQ(r.downstream_response->status, 200u);
    EXPECT_TRUE(r.upstream_request);
  }
  EXPECT_EQ(server.answered(), 3u);
}

TEST(BenchAuthServer, KeepsTheConnectionOpenAndAnswersPipelinedRequestsInOrder) {
  bench::AuthServer server;
  const std::string address = server.address();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1))));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string two =
      "GET /a HTTP/1.1\r\nhost: x\r\n\r\nPOST /b HTTP/1.1\r\nhost: x\r\ncontent-length: 3\r\n\r\nabc";
  ASSERT_EQ(::write(fd, two.data(), two.size()), static_cast<ssize_t>(two.size()));
  const std::string one = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
  std::string got;
  char buf[256];
  while (got.size() < 2 * one.size()) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    ASSERT_GT(n, 0);
    got.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(got, one + one);
  // Still open: a third request on the same connection is answered too.
  const std::string third = "GET /c HTTP/1.1\r\nhost: x\r\n\r\n";
  ASSERT_EQ(::write(fd, third.data(), third.size()), static_cast<ssize_t>(third.size()));
  got.clear();
  while (got.size() < one.size()) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    ASSERT_GT(n, 0);
    got.append(buf, static_cast<size_t>(n));
  }
  EXPECT_EQ(got, one);
  ::close(fd);
  EXPECT_EQ(server.answered(), 3u);
}

TEST(BenchAuthServer, ClosesAConnectionWhoseRequestItCannotFrame) {
  bench::AuthServer server;
  const std::string address = server.address();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1))));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string chunked = "POST /a HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  ASSERT_EQ(::write(fd, chunked.data(), chunked.size()), static_cast<ssize_t>(chunked.size()));
  char buf[64];
  EXPECT_EQ(::read(fd, buf, sizeof buf), 0);  // closed without an answer
  ::close(fd);
  EXPECT_EQ(server.answered(), 0u);
}

}  // namespace
