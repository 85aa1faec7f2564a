// Streaming HTTP callouts (start_http_stream) against real loopback HTTP/1.1 endpoints, driven by
// the C module tests/modules/test_streaming.c, which writes what its hooks saw into the request
// header x-stream-events (see that file for the record format).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include "callout_runner.h"
#include "loopback_server.h"
#include "test_support.h"

using namespace envoyext;

namespace {

std::unique_ptr<host::Host> stream_host(const std::string& config, const std::string& address) {
  test::use_test_module_dir();
  auto h = std::make_unique<host::Host>(host::HostOptions{});
  std::string error;
  EXPECT_TRUE(h->add_cluster("side", address, error)) << error;
  EXPECT_TRUE(h->load_module("teststreaming", host::LoadOptions{}));
  auto cfg = h->create_filter_config("teststreaming", "stream", config, error);
  EXPECT_TRUE(cfg) << error;
  if (cfg) h->add_filter(cfg);
  return h;
}

std::string events_of(const host::RequestResult& r) {
  return r.upstream_request ? test::header(r.upstream_request->headers, "x-stream-events") : "<no upstream request>";
}

TEST(HttpStream, ChunkedRequestAndResponseWithTrailersArriveFrameByFrameOnTheWorker) {
  test::LoopbackServer server(
      "HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\nx-out: yes\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\nx-resp-trailer: done\r\n\r\n");
  auto h = stream_host("side 5000 chunked", server.address());
  auto r = h->run(test::get_request());
  EXPECT_EQ(events_of(r),
            "start:0:1;sent:1:1;headers:1:201:0;x-out=yes;data:abc:0;data:de:0;trailer:x-resp-trailer=done;"
            "complete:1;");
  EXPECT_EQ(test::header(r.upstream_request->headers, "x-stream-thread"), "worker");
  std::string seen = server.last_request();
  EXPECT_EQ(seen.rfind("POST /stream HTTP/1.1\r\n", 0), 0u) << seen;
  EXPECT_NE(seen.find("host: side.local\r\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("x-s: 1\r\n"), std::string::npos) << seen;
  EXPECT_NE(seen.find("transfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n6\r\nsecond\r\n0\r\nx-rt: t\r\n\r\n"),
            std::string::npos)
      << seen;
}

TEST(HttpStream, WholeRequestThenContentLengthResponseEndsWithDataEndStream) {
  test::LoopbackServer server("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello");
  auto h = stream_host("side 5000 whole", server.address());
  auto r = h->run(test::get_request());
  EXPECT_EQ(events_of(r), "start:0:1;late_send:0;headers:1:200:0;data:hello:1;complete:1;");
  std::string seen = server.last_request();
  EXPECT_NE(seen.find("content-length: 5\r\n\r\nwhole"), std::string::npos) << seen;
}

TEST(HttpStream, HeadersOnlyResponseEndsTheStreamOnTheHeaders) {
  test::LoopbackServer server("HTTP/1.1 204 No Content\r\n\r\n");
  auto h = stream_host("side 5000 whole", server.address());
  auto r = h->run(test::get_request());
  EXPECT_EQ(events_of(r), "start:0:1;late_send:0;headers:1:204:1;complete:1;");
}

TEST(HttpStream, ModuleResetReportsLocalResetInsideTheCallAndClosesTheId) {
  test::LoopbackServer silent("");
  auto h = stream_host("side 5000 reset", silent.address());
  auto r = h->run(test::get_request());
  // reset hook before reset_http_stream returned; second reset and later send_data find no stream.
  EXPECT_EQ(events_of(r), "start:0:1;reset:1:2;after_reset;send_after_reset:0;");
}

TEST(HttpStream, TimeoutReportsLocalReset) {
  test::LoopbackServer silent("");
  auto h = stream_host("side 150 whole", silent.address());
  auto r = h->run(test::get_request());
  EXPECT_EQ(events_of(r), "start:0:1;late_send:0;reset:1:2;");
}

TEST(HttpStream, ConnectionFailureReportsLocalReset) {
  int port = 0;
  {
    test::LoopbackServer closed("");  // bind a port, then free it: nothing listens there afterwards
    port = std::stoi(closed.address().substr(10));
  }
  auto h = stream_host("side 5000 whole", "127.0.0.1:" + std::to_string(port));
  auto r = h->run(test::get_request());
  EXPECT_EQ(events_of(r), "start:0:1;late_send:0;reset:1:2;");
}

TEST(HttpStream, TruncatedResponseReportsResetAfterTheFramesThatArrived) {
  test::LoopbackServer server("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");  // closes early
  auto h = stream_host("side 5000 whole", server.address());
  auto r = h->run(test::get_request());
  EXPECT_EQ(events_of(r), "start:0:1;late_send:0;headers:1:200:0;data:abc:0;reset:1:2;");
}

TEST(HttpStream, UnknownClusterIsRejectedAtInit) {
  auto h = stream_host("nope 1000 whole", "127.0.0.1:1");
  auto r = h->run(test::get_request());
  EXPECT_EQ(events_of(r), "start:2:0;");  // ClusterNotFound, no id handed out
}

TEST(HttpStream, MissingPathIsRejectedAtInit) {
  auto h = stream_host("side 1000 bare", "127.0.0.1:1");
  auto r = h->run(test::get_request());
  EXPECT_EQ(events_of(r), "start:1:0;");  // MissingRequiredHeaders
}

TEST(HttpStream, NothingIsDeliveredAfterTheFilterIsDestroyed) {
  test::LoopbackServer server("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
  auto h = stream_host("side 5000 deny", server.address());
  auto r = h->run(test::get_request());
  ASSERT_TRUE(r.local_reply);
  EXPECT_EQ(r.local_reply->details, "stream_test_deny");
  // Let every exchange thread finish, then run one more stream on the same worker: frames the
  // threads posted are queued ahead of it, so they have all been handled when it returns.
  h->callouts().wait_all();
  h->run(test::get_request());
  std::string path = std::string(ENVOYEXT_TEST_LIB_DIR) + "/libteststreaming.so";
  void* handle = ::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY);
  ASSERT_NE(handle, nullptr);
  auto after_destroy = reinterpret_cast<int (*)()>(::dlsym(handle, "test_stream_hooks_after_destroy"));
  ASSERT_NE(after_destroy, nullptr);
  EXPECT_EQ(after_destroy(), 0);
  ::dlclose(handle);
}

}  // namespace
