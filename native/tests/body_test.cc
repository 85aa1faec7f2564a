// Body semantics: slices, drain/append, received vs buffered, buffer limits.
#include <gtest/gtest.h>

#include "body_buffer.h"
#include "test_support.h"

using namespace envoyext;

namespace {

TEST(BodyBuffer, DrainCrossesSlices) {
  host::BodyBuffer b;
  b.append("abc");
  b.append("defg");
  EXPECT_EQ(b.slices().size(), 2u);
  b.drain(4);
  EXPECT_EQ(b.to_string(), "efg");
  EXPECT_EQ(b.size(), 3u);
  host::BodyBuffer other;
  other.append("xy");
  b.move_from(other);
  EXPECT_EQ(b.to_string(), "efgxy");
  EXPECT_TRUE(other.empty());
}

TEST(BodyCallbacks, BufferedFramesAndLastReceivedFrameFormTheWholeBody) {
  auto h = test::host_with_filter("testfilters", "body_upper", "");
  auto req = test::get_request();
  req.headers[0].second = "POST";
  req.body = {"hello ", "dynamic ", "modules"};
  auto r = h->run(req);
  ASSERT_TRUE(r.upstream_request);
  EXPECT_EQ(r.upstream_request->body, "HELLO DYNAMIC MODULES");
  // The two earlier frames were buffered when the last one arrived.
  EXPECT_EQ(test::header(r.upstream_request->headers, "x-buffered-size"), "14");
  EXPECT_EQ(r.downstream_response->status, 200u);
}

TEST(BodyCallbacks, BufferOverLimitAnswers413) {
  auto h = test::host_with_filter("testfilters", "body_upper", "");
  auto req = test::get_request();
  req.headers[0].second = "POST";
  std::string big(700 * 1024, 'x');
  req.body = {big, big, "end"};  // 1.4 MiB buffered > 1 MiB default limit
  auto r = h->run(req);
  ASSERT_TRUE(r.downstream_response);
  EXPECT_EQ(r.downstream_response->status, 413u);
  EXPECT_FALSE(r.upstream_request);  // headers were held by the filter, nothing went upstream
}

}  // namespace
