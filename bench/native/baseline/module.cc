// libcbaseline.so: the exported event hooks, dispatching by filter_name to the baseline filters.
// Config-time hooks turn every failure into a log line naming the field and a NULL return (no
// exception crosses the ABI); per-stream hooks are noexcept.
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "envoy_callbacks.h"
#include "ext_auth_callout_filter.h"
#include "filter.h"
#include "passthrough.h"
#include "passthrough_hooks.h"
#include "rate_limit_filter.h"

using namespace cbaseline;

namespace {

bool is(envoy_dynamic_module_type_envoy_buffer name, const char* expected) {
  return name.length == std::strlen(expected) && std::memcmp(name.ptr, expected, name.length) == 0;
}

void reject(const std::string& filter, const std::string& why) {
  const std::string line = filter + ": invalid filter config: " + why;
  log_error(line.data(), line.size());
}

StreamFilter* stream(envoy_dynamic_module_type_http_filter_module_ptr fm) {
  return static_cast<StreamFilter*>(const_cast<void*>(fm));
}

}  // namespace

extern "C" {

ENVOYEXT_EXPORT envoy_dynamic_module_type_abi_version_module_ptr envoy_dynamic_module_on_program_init(void) {
  const char* missing = resolve_callbacks();
  if (missing != nullptr) {
    std::fprintf(stderr, "cbaseline: the host does not export %s\n", missing);
    return nullptr;
  }
  return ENVOY_DYNAMIC_MODULES_ABI_VERSION;
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr envoy_config, envoy_dynamic_module_type_envoy_buffer name,
    envoy_dynamic_module_type_envoy_buffer config) {
  const std::string text(config.ptr == nullptr ? "" : config.ptr, config.length);
  try {
    FilterConfig* created = nullptr;
    if (is(name, "passthrough")) {
      created = new PassthroughConfig();
    } else if (is(name, "rate_limit")) {
      created = new RateLimitConfig(envoy_config, text);
    } else if (is(name, "ext_auth_callout")) {
      created = new ExtAuthCalloutConfig(text);
    } else {
      reject("cbaseline", "unknown filter_name (expected passthrough, rate_limit or ext_auth_callout)");
      return nullptr;
    }
    return created;
  } catch (const ConfigError& e) {
    reject(std::string(name.ptr, name.length), e.message);
  } catch (const std::exception& e) {
    reject(std::string(name.ptr, name.length), e.what());
  }
  return nullptr;
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr c) {
  delete static_cast<FilterConfig*>(const_cast<void*>(c));
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_filter_per_route_config_module_ptr
envoy_dynamic_module_on_http_filter_per_route_config_new(envoy_dynamic_module_type_envoy_buffer name,
                                                         envoy_dynamic_module_type_envoy_buffer config) {
  if (!is(name, "rate_limit")) {
    reject(std::string(name.ptr, name.length), "per-route configuration is not supported");
    return nullptr;
  }
  try {
    return RateLimitConfig::parse_route(std::string(config.ptr == nullptr ? "" : config.ptr, config.length)).release();
  } catch (const ConfigError& e) {
    reject("rate_limit (per route)", e.message);
  } catch (const std::exception& e) {
    reject("rate_limit (per route)", e.what());
  }
  return nullptr;
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_per_route_config_destroy(
    envoy_dynamic_module_type_http_filter_per_route_config_module_ptr c) {
  delete static_cast<RateLimitRouteConfig*>(const_cast<void*>(c));
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_filter_module_ptr envoy_dynamic_module_on_http_filter_new(
    envoy_dynamic_module_type_http_filter_config_module_ptr c, envoy_dynamic_module_type_http_filter_envoy_ptr) {
  return static_cast<FilterConfig*>(const_cast<void*>(c))->new_filter();
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_on_http_filter_request_headers_status
envoy_dynamic_module_on_http_filter_request_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                    envoy_dynamic_module_type_http_filter_module_ptr fm, bool) {
  return stream(fm)->on_request_headers(fe);
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_on_http_filter_response_headers_status
envoy_dynamic_module_on_http_filter_response_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                     envoy_dynamic_module_type_http_filter_module_ptr fm, bool) {
  return stream(fm)->on_response_headers(fe);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_destroy(envoy_dynamic_module_type_http_filter_module_ptr fm) {
  stream(fm)->release();
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_http_callout_done(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t callout_id, envoy_dynamic_module_type_http_callout_result result,
    envoy_dynamic_module_type_envoy_http_header* headers, size_t headers_size, envoy_dynamic_module_type_envoy_buffer*,
    size_t) {
  stream(fm)->on_http_callout_done(fe, callout_id, result, headers, headers_size);
}

// Streaming callouts: ext_auth_callout's gRPC mode.
ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_http_stream_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_envoy_http_header* headers, size_t headers_size, bool) {
  stream(fm)->on_http_stream_headers(fe, stream_id, headers, headers_size);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_http_stream_data(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, const envoy_dynamic_module_type_envoy_buffer* data, size_t data_count, bool) {
  stream(fm)->on_http_stream_data(fe, stream_id, data, data_count);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_http_stream_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_envoy_http_header* trailers, size_t trailers_size) {
  stream(fm)->on_http_stream_trailers(fe, stream_id, trailers, trailers_size);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_http_stream_complete(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id) {
  stream(fm)->on_http_stream_complete(fe, stream_id);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_http_stream_reset(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_http_stream_reset_reason) {
  stream(fm)->on_http_stream_reset(fe, stream_id);
}

// The baseline never uses the scheduler, and is never a terminal filter (watermark hooks fire only
// for those).
ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_scheduled(envoy_dynamic_module_type_http_filter_envoy_ptr,
                                                                   envoy_dynamic_module_type_http_filter_module_ptr,
                                                                   uint64_t) {}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_downstream_above_write_buffer_high_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr, envoy_dynamic_module_type_http_filter_module_ptr) {}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_downstream_below_write_buffer_low_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr, envoy_dynamic_module_type_http_filter_module_ptr) {}

ENVOYEXT_PASSTHROUGH_REQUEST_BODY
ENVOYEXT_PASSTHROUGH_REQUEST_TRAILERS
ENVOYEXT_PASSTHROUGH_RESPONSE_BODY
ENVOYEXT_PASSTHROUGH_RESPONSE_TRAILERS
ENVOYEXT_PASSTHROUGH_STREAM_COMPLETE

}  // extern "C"
