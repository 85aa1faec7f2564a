// Request-direction flow control: while a filter that stopped with a watermark status holds more
// than the buffer limit, the client's remaining frames wait (Envoy read-disables the downstream);
// they flow again, in a later loop event, once the held bytes are down to half the limit.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

using namespace envoyext;

namespace {

// What libtestflow.so's filter recorded (see modules/test_flow.c).
std::string flow_record(bool clear = false) {
  std::string path = std::string(ENVOYEXT_TEST_LIB_DIR) + "/libtestflow.so";
  void* handle = ::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY);
  if (handle == nullptr) return "<not loaded>";
  std::string out;
  if (clear) {
    if (auto fn = reinterpret_cast<void (*)()>(::dlsym(handle, "test_flow_clear"))) fn();
  } else if (auto fn = reinterpret_cast<const char* (*)()>(::dlsym(handle, "test_flow_record"))) {
    out = fn();
  }
  ::dlclose(handle);
  return out;
}

// `count` frames of `size` bytes, each made of its own letter, so reordering changes the body.
std::vector<std::string> frames(size_t count, size_t size) {
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) out.emplace_back(size, static_cast<char>('a' + i % 26));
  return out;
}

std::string concat(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += p;
  return out;
}

// Bodies are kilobytes long: on a mismatch report sizes, not both bodies.
void expect_body(const std::string& actual, const std::string& expected) {
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_TRUE(actual == expected) << "body differs from the expected bytes";
}

struct HoldRun {
  host::RequestResult result;
  std::string record;
};

HoldRun run_hold(const std::string& config, std::vector<std::string> body, bool trailers) {
  auto h = test::host_with_filter("testflow", "req_hold", config);
  flow_record(true);
  auto req = test::get_request("/upload");
  req.headers[0].second = "POST";
  req.body = std::move(body);
  if (trailers) req.trailers = host::HeaderList{{"x-checksum", "42"}};
  HoldRun r{h->run(req), ""};
  r.record = flow_record();
  return r;
}

TEST(RequestFlowControl, FramesWaitWhileTheHeldBodyIsAboveTheLimitAndTrailersFollowTheLastFrame) {
  // Limit 2500, frames of 1000: the third frame takes the held body above the limit, so each hold
  // sees three frames and the client's seven others wait for the next one.
  const auto body = frames(10, 1000);
  HoldRun r = run_hold("2500 body", body, true);
  EXPECT_EQ(r.record, "event:3:3000;event:6:3000;event:9:3000;trailers:held;event:10:1000;");
  ASSERT_TRUE(r.result.upstream_request);
  expect_body(r.result.upstream_request->body, concat(body));
  ASSERT_TRUE(r.result.upstream_request->trailers);
  EXPECT_EQ(test::header(*r.result.upstream_request->trailers, "x-checksum"), "42");
  EXPECT_EQ(r.result.max_request_buffered, 3000u);
  ASSERT_TRUE(r.result.downstream_response);
  EXPECT_EQ(r.result.downstream_response->status, 200u);
}

TEST(RequestFlowControl, StopAllWithWatermarkOnHeadersBuffersFramesOnlyUpToTheLimit) {
  const auto body = frames(8, 1000);
  HoldRun r = run_hold("2500 headers", body, false);
  // The filter's body hook never ran while it held everything; after the continue all frames pass.
  EXPECT_EQ(r.record, "event:0:3000;");
  ASSERT_TRUE(r.result.upstream_request);
  expect_body(r.result.upstream_request->body, concat(body));
  EXPECT_EQ(r.result.max_request_buffered, 3000u);
}

TEST(RequestFlowControl, ReadingResumesOnlyOnceTheFilterDrainsToHalfTheLimit) {
  // Limit 1000, frames of 300: paused at 1200 held. Drained to 501 the client stays read-disabled
  // (no frame arrives before the next event); drained to 500 it is read again and two more frames
  // arrive before the filter's third event, which continues.
  const auto body = frames(8, 300);
  HoldRun r = run_hold("1000 drain", body, false);
  EXPECT_EQ(r.record, "event:4:1200;drained:501;event:4:501;drained:500;event:6:1100;event:8:600;");
  ASSERT_TRUE(r.result.upstream_request);
  expect_body(r.result.upstream_request->body, concat(body).substr(700));
  EXPECT_EQ(r.result.max_request_buffered, 1200u);
}

TEST(RequestFlowControl, ABodyThatIsNeverHeldFlowsUnbufferedPastTheLimit) {
  auto h = test::host_with_filter("testfilters", "header_ops", "");
  auto req = test::get_request("/upload");
  req.headers[0].second = "POST";
  const auto body = frames(4, 512 * 1024);  // 2 MiB, twice the default limit
  req.body = body;
  auto r = h->run(req);
  ASSERT_TRUE(r.upstream_request);
  expect_body(r.upstream_request->body, concat(body));
  EXPECT_EQ(r.max_request_buffered, 0u);
}

}  // namespace
