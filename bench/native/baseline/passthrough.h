// passthrough: does nothing on every hook; measures the pure cost of crossing the ABI.
#pragma once

#include "filter.h"

namespace cbaseline {

class PassthroughConfig final : public FilterConfig, private StreamFilter {
 public:
  // No per-stream state: every stream shares the config object itself.
  StreamFilter* new_filter() noexcept override { return this; }

 private:
  envoy_dynamic_module_type_on_http_filter_request_headers_status on_request_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr) noexcept override {
    return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  }
  envoy_dynamic_module_type_on_http_filter_response_headers_status on_response_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr) noexcept override {
    return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;
  }
  void release() noexcept override {}
};

}  // namespace cbaseline
