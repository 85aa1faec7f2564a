// The module's HTTP-filter event hooks, resolved the way Envoy 1.40's filter_config.cc does: a
// missing required hook rejects the filter config with a message naming the symbol; optional hooks
// (config-level scheduler/callouts, local_reply) may be absent.
#pragma once

#include <string>

#include "envoyext/abi.h"

namespace envoyext::host {

class DynamicModule;

struct HttpFilterHooks {
  decltype(&envoy_dynamic_module_on_http_filter_config_new) config_new = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_config_destroy) config_destroy = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_new) filter_new = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_request_headers) request_headers = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_request_body) request_body = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_request_trailers) request_trailers = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_response_headers) response_headers = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_response_body) response_body = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_response_trailers) response_trailers = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_stream_complete) stream_complete = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_destroy) destroy = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_http_callout_done) http_callout_done = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_http_stream_headers) http_stream_headers = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_http_stream_data) http_stream_data = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_http_stream_trailers) http_stream_trailers = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_http_stream_complete) http_stream_complete = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_http_stream_reset) http_stream_reset = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_scheduled) scheduled = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_downstream_above_write_buffer_high_watermark) above_high_watermark =
      nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_downstream_below_write_buffer_low_watermark) below_low_watermark =
      nullptr;
  // optional
  decltype(&envoy_dynamic_module_on_http_filter_config_scheduled) config_scheduled = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_config_http_callout_done) config_http_callout_done = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_local_reply) local_reply = nullptr;
};

struct PerRouteHooks {
  decltype(&envoy_dynamic_module_on_http_filter_per_route_config_new) config_new = nullptr;
  decltype(&envoy_dynamic_module_on_http_filter_per_route_config_destroy) config_destroy = nullptr;
};

// false + `error` ("... missing symbol envoy_dynamic_module_on_...") when a required hook is absent.
bool resolve_http_filter_hooks(const DynamicModule& module, HttpFilterHooks& hooks, std::string& error);
bool resolve_per_route_hooks(const DynamicModule& module, PerRouteHooks& hooks, std::string& error);

}  // namespace envoyext::host
