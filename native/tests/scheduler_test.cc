// Scheduler commits from threads the host does not own land on the stream's own worker.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

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

TEST(Scheduler, ConfigSchedulerRunsOnTheMainThread) {
  test::use_test_module_dir();
  std::string path = std::string(ENVOYEXT_TEST_LIB_DIR) + "/libtestfilters.so";
  host::Host h(host::HostOptions{});
  ASSERT_TRUE(h.load_module("testfilters", host::LoadOptions{}));
  void* handle = ::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY);
  ASSERT_NE(handle, nullptr);
  auto events = reinterpret_cast<const char* (*)()>(::dlsym(handle, "test_events"));
  auto clear = reinterpret_cast<void (*)()>(::dlsym(handle, "test_events_clear"));
  clear();
  std::string error;
  auto cfg = h.create_filter_config("testfilters", "config_sched", "", error);
  ASSERT_TRUE(cfg) << error;
  // The commit comes from a thread of the module's own; wait (bounded) for the main loop to run it.
  std::string seen;
  for (int i = 0; i < 500 && seen.find("config_scheduled") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    h.main_loop().run_sync([&] { seen = events(); });
  }
  EXPECT_EQ(seen, "config_scheduled:42:main;");
  ::dlclose(handle);
}

}  // namespace
