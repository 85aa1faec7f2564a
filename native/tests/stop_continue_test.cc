// Stop/continue state machine: StopAll buffers later frames; StopIteration still delivers bodies.
#include <gtest/gtest.h>

#include "test_support.h"

using namespace envoyext;

namespace {

TEST(StopContinue, StopAllBuffersBodyUntilContinueDecoding) {
  auto h = test::host_with_filter("testfilters", "stop_resume", "");
  auto req = test::get_request();
  req.headers[0].second = "POST";
  req.body = {"part1-", "part2"};
  req.trailers = host::HeaderList{{"x-trailer", "t"}};
  auto r = h->run(req);
  ASSERT_TRUE(r.upstream_request);
  // Headers were edited in the scheduled hook, i.e. before they went upstream.
  EXPECT_EQ(test::header(r.upstream_request->headers, "x-scheduled"), "7");
  EXPECT_EQ(r.upstream_request->body, "part1-part2");
  ASSERT_TRUE(r.upstream_request->trailers);
  EXPECT_EQ(test::header(*r.upstream_request->trailers, "x-trailer"), "t");
  EXPECT_EQ(r.downstream_response->status, 200u);
}

TEST(StopContinue, StopIterationStillDeliversBodyAndBodyContinueResumes) {
  auto h = test::host_with_filter("testfilters", "watch_body", "");
  auto req = test::get_request();
  req.headers[0].second = "POST";
  req.body = {"abc"};
  auto r = h->run(req);
  ASSERT_TRUE(r.upstream_request);
  EXPECT_EQ(test::header(r.upstream_request->headers, "x-seen-body-before-headers-passed"), "yes");
  EXPECT_EQ(r.upstream_request->body, "abc");
}

TEST(StopContinue, StreamThatNeverContinuesGetsIdleTimeout408) {
  test::use_test_module_dir();
  host::HostOptions options;
  options.stream_timeout_ms = 100;
  host::Host h(options);
  ASSERT_TRUE(h.load_module("testfilters", host::LoadOptions{}));
  std::string error;
  auto cfg = h.create_filter_config("testfilters", "watch_body", "", error);
  ASSERT_TRUE(cfg) << error;
  h.add_filter(cfg);
  auto req = test::get_request();  // headers only: StopIteration with nothing to resume it
  auto r = h.run(req);
  EXPECT_FALSE(r.upstream_request);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 408u);
}

TEST(StopContinue, ResponseHeldWithStopAllResumesWithContinueEncoding) {
  auto h = test::host_with_filter("testfilters", "resp_hold", "");
  auto req = test::get_request();
  req.upstream.body = {"resp-1 ", "resp-2"};
  req.upstream.trailers = host::HeaderList{{"x-up-trailer", "u"}};
  auto r = h->run(req);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 200u);
  EXPECT_EQ(test::header(r.downstream_response->headers, "x-resp-scheduled"), "9");
  EXPECT_EQ(r.downstream_response->body, "resp-1 resp-2");
  ASSERT_TRUE(r.downstream_response->trailers);
  EXPECT_EQ(test::header(*r.downstream_response->trailers, "x-up-trailer"), "u");
}

TEST(LocalReply, GoesThroughEncodePathAndLocalReplyHook) {
  auto h = test::host_with_filter("testfilters", "deny", "");
  auto r = h->run(test::get_request());
  ASSERT_TRUE(r.local_reply);
  EXPECT_EQ(r.local_reply->status, 403u);
  EXPECT_EQ(r.local_reply->body, "go away");
  EXPECT_EQ(r.local_reply->details, "denied_by_test");
  EXPECT_EQ(test::header(r.local_reply->headers, "x-denied-by"), "deny");
  EXPECT_FALSE(r.upstream_request);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 403u);
  EXPECT_EQ(r.downstream_response->body, "go away");
  EXPECT_EQ(test::header(r.downstream_response->headers, "x-encoded-status"), "403");
  EXPECT_EQ(test::header(r.downstream_response->headers, "content-length"), "7");
}

}  // namespace
