// Scheduler commits from threads the host does not own land on the stream's own worker.
#include <gtest/gtest.h>

#include <future>
#include <vector>

#include "test_support.h"

using namespace envoyext;

namespace {

TEST(Scheduler, ForeignThreadCommitRunsOnTheStreamsWorker) {
  auto h = test::host_with_filter("testfilters", "stop_resume", "", 2);
  for (int worker = 0; worker < 2; ++worker) {
    auto r = h->run(test::get_request(), worker);
    ASSERT_TRUE(r.upstream_request) << "worker " << worker;
    EXPECT_EQ(r.worker, static_cast<uint32_t>(worker));
    EXPECT_EQ(test::header(r.upstream_request->headers, "x-scheduled"), "7");
    EXPECT_EQ(test::header(r.upstream_request->headers, "x-worker"), std::to_string(worker));
  }
}

TEST(Scheduler, ManyConcurrentStreamsAllResume) {
  auto h = test::host_with_filter("testfilters", "stop_resume", "", 2);
  std::vector<std::promise<host::RequestResult>> done(20);
  auto spec = std::make_shared<host::RequestSpec>(test::get_request());
  for (size_t i = 0; i < done.size(); ++i) {
    h->start(spec, -1, [&done, i](host::RequestResult&& r) { done[i].set_value(std::move(r)); });
  }
  for (auto& d : done) {
    auto r = d.get_future().get();
    ASSERT_TRUE(r.upstream_request);
    EXPECT_EQ(test::header(r.upstream_request->headers, "x-worker"), std::to_string(r.worker));
  }
}

}  // namespace
