// ext_auth_callout's gRPC mode and the benchmark's gRPC authorization service: the bare callout must
// send ext_auth's CheckRequest over HTTP/2 and let the request through only on an OK answer, and the
// service must allow every well-formed check, or the gRPC row would compare different work.
#include <gtest/gtest.h>

#include <string>

#include "auth_server.h"
#include "check_request.h"
#include "loopback_server.h"
#include "test_support.h"

using namespace envoyext;

namespace {

std::unique_ptr<host::Host> grpc_callout_host(const std::string& cluster, const std::string& config) {
  auto h = test::host_with_filter("cbaseline", "ext_auth_callout", config);
  std::string error;
  EXPECT_TRUE(h->add_cluster("auth", cluster, error)) << error;
  return h;
}

host::RequestSpec request() {
  auto r = test::get_request("/api/items?page=2");
  r.headers.push_back({"authorization", "Bearer token-1"});
  return r;
}

std::string frame(const std::string& message, char compressed = 0) {
  std::string out(5, '\0');
  out[0] = compressed;
  out[4] = static_cast<char>(message.size());
  return out + message;
}

TEST(ExtAuthGrpcCallout, AnOkAnswerFromTheBenchServiceLetsEveryRequestThrough) {
  bench::AuthServer server(bench::AuthServer::Protocol::Grpc);
  auto h = grpc_callout_host("h2c://" + server.address(), R"({"protocol":"grpc","cluster":"auth","timeoutMs":2000})");
  const auto req = request();
  for (int i = 0; i < 3; ++i) {
    auto r = h->run(req);
    ASSERT_TRUE(r.downstream_response);
    EXPECT_EQ(r.downstream_response->status, 200u);
    ASSERT_TRUE(r.upstream_request);
    EXPECT_EQ(r.upstream_request->headers, req.headers);
  }
  // Each check was a Check call with one well-formed message (the service answers others with an error).
  EXPECT_EQ(server.answered(), 3u);
}

TEST(ExtAuthGrpcCallout, AServiceThatDoesNotSpeakHttp2EndsTheStreamWith403) {
  test::LoopbackServer http1("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
  auto h = grpc_callout_host("h2c://" + http1.address(), R"({"protocol":"grpc","cluster":"auth","timeoutMs":2000})");
  auto r = h->run(request());
  EXPECT_FALSE(r.upstream_request);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 403u);
  ASSERT_TRUE(r.local_reply);
  EXPECT_EQ(r.local_reply->details, "ext_auth_error");
}

TEST(BenchGrpcAuthServer, AllowsNoHttp1Request) {
  bench::AuthServer grpc(bench::AuthServer::Protocol::Grpc);
  auto h = grpc_callout_host(grpc.address(), R"({"cluster":"auth","timeoutMs":2000})");  // HTTP mode
  auto r = h->run(request());
  EXPECT_FALSE(r.upstream_request);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 403u);
  EXPECT_EQ(grpc.answered(), 0u);
}

TEST(ExtAuthGrpcCallout, OnlyAnOkCheckResponseAllows) {
  using cbaseline::check_response_allows;
  EXPECT_TRUE(check_response_allows(frame(std::string("\x0a\x00\x1a\x00", 4))));           // status {}, ok_response {}
  EXPECT_TRUE(check_response_allows(frame(std::string("\x0a\x02\x08\x00", 4))));           // status { code: 0 }
  EXPECT_TRUE(check_response_allows(frame("")));                                           // no status: OK
  EXPECT_FALSE(check_response_allows(frame(std::string("\x0a\x02\x08\x07\x12\x00", 6))));  // PERMISSION_DENIED
  EXPECT_FALSE(check_response_allows(frame(std::string("\x0a\x00", 2), 1)));               // compressed
  EXPECT_FALSE(check_response_allows(frame(std::string("\x0a\x05\x08", 3))));              // truncated field
  EXPECT_FALSE(check_response_allows(std::string("\0\0\0\0\x09\x0a\x00", 7)));             // length past the end
  EXPECT_FALSE(check_response_allows(""));
}

TEST(ExtAuthGrpcCallout, TheProtocolMustBeOneOfExtAuths) {
  host::Host h(host::HostOptions{});
  test::use_test_module_dir();
  ASSERT_TRUE(h.load_module("cbaseline", host::LoadOptions{}));
  std::string error;
  EXPECT_FALSE(h.create_filter_config("cbaseline", "ext_auth_callout", R"({"cluster":"a","protocol":"tcp"})", error));
  EXPECT_FALSE(h.create_filter_config("cbaseline", "ext_auth_callout", R"({"cluster":"a","protocol":1})", error));
  EXPECT_TRUE(h.create_filter_config("cbaseline", "ext_auth_callout", R"({"cluster":"a","protocol":"grpc"})", error))
      << error;
  EXPECT_TRUE(h.create_filter_config("cbaseline", "ext_auth_callout", R"({"cluster":"a","protocol":"http"})", error))
      << error;
}

}  // namespace
