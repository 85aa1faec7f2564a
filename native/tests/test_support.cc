#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace envoyext::test {

void use_test_module_dir() { ::setenv("ENVOY_DYNAMIC_MODULES_SEARCH_PATH", ENVOYEXT_TEST_LIB_DIR, 1); }

host::RequestSpec get_request(const std::string& path) {
  host::RequestSpec r;
  r.headers = {{":method", "GET"}, {":path", path}, {":authority", "example.com"}, {":scheme", "http"}};
  r.upstream.body = {"upstream-body"};
  return r;
}

std::string header(const host::HeaderList& headers, const std::string& name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "<absent>";
}

size_t header_count(const host::HeaderList& headers, const std::string& name) {
  size_t n = 0;
  for (const auto& [k, v] : headers) n += k == name ? 1 : 0;
  return n;
}

std::unique_ptr<host::Host> host_with_filter(const std::string& module, const std::string& filter,
                                             const std::string& config, uint32_t workers) {
  use_test_module_dir();
  host::HostOptions options;
  options.workers = workers;
  auto h = std::make_unique<host::Host>(options);
  host::ModuleInfo info;
  EXPECT_TRUE(h->load_module(module, host::LoadOptions{}, &info)) << info.error;
  std::string error;
  auto cfg = h->create_filter_config(module, filter, config, error);
  EXPECT_TRUE(cfg) << error;
  if (cfg) h->add_filter(cfg);
  return h;
}

}  // namespace envoyext::test
