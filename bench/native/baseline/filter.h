// The baseline's filters behind two small interfaces: a listener-level config (one per
// filter_config, shared by every worker) that makes per-stream filters, and the per-stream filter.
#pragma once

#include <string>

#include "envoyext/abi.h"

namespace cbaseline {

class StreamFilter {
 public:
  virtual ~StreamFilter() = default;
  virtual envoy_dynamic_module_type_on_http_filter_request_headers_status on_request_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter) noexcept = 0;
  virtual envoy_dynamic_module_type_on_http_filter_response_headers_status on_response_headers(
      envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter) noexcept = 0;
  // The answer to an HTTP callout the filter started (filters that start none keep this no-op).
  virtual void on_http_callout_done(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t,
                                    envoy_dynamic_module_type_http_callout_result,
                                    const envoy_dynamic_module_type_envoy_http_header*, size_t) noexcept {}
  // The events of a streaming callout (HTTP/2, gRPC) the filter started; no-ops for filters that start none.
  virtual void on_http_stream_headers(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t,
                                      const envoy_dynamic_module_type_envoy_http_header*, size_t) noexcept {}
  virtual void on_http_stream_data(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t,
                                   const envoy_dynamic_module_type_envoy_buffer*, size_t) noexcept {}
  virtual void on_http_stream_trailers(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t,
                                       const envoy_dynamic_module_type_envoy_http_header*, size_t) noexcept {}
  virtual void on_http_stream_complete(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t) noexcept {}
  virtual void on_http_stream_reset(envoy_dynamic_module_type_http_filter_envoy_ptr, uint64_t) noexcept {}
  // Ends the stream's use of the object (freed or returned to a pool).
  virtual void release() noexcept = 0;
};

class FilterConfig {
 public:
  virtual ~FilterConfig() = default;
  virtual StreamFilter* new_filter() noexcept = 0;
};

// A rejected configuration: the message names the field (logged by the module, config_new -> NULL).
struct ConfigError {
  std::string message;
};

}  // namespace cbaseline
