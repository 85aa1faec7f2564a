// 1.40 lifecycle: stream_complete first, destroy deferred until the current loop event finished.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include "test_support.h"

using namespace envoyext;

namespace {

TEST(Lifecycle, DestroyIsDeferredAfterStreamComplete) {
  auto h = test::host_with_filter("testfilters", "lifecycle", "");
  std::string path = std::string(ENVOYEXT_TEST_LIB_DIR) + "/libtestfilters.so";
  void* handle = ::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY);
  ASSERT_NE(handle, nullptr);
  auto events = reinterpret_cast<const char* (*)()>(::dlsym(handle, "test_events"));
  auto clear = reinterpret_cast<void (*)()>(::dlsym(handle, "test_events_clear"));
  ASSERT_TRUE(events && clear);
  clear();
  auto r = h->run(test::get_request());
  EXPECT_EQ(std::string(events()),
            "new;request_headers;local_reply:200:lifecycle;response_headers;stream_complete;"
            "alive_after_send_response;destroy;");
  EXPECT_EQ(r.events, (std::vector<std::string>{"stream_complete:0", "destroy:0"}));
  ::dlclose(handle);
}

}  // namespace
