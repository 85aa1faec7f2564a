#include "http_filter_hooks.h"

#include "dynamic_module.h"

namespace envoyext::host {

namespace {

template <typename Fn>
bool required(const DynamicModule& m, const char* name, Fn& out, std::string& error) {
  out = reinterpret_cast<Fn>(m.symbol(name));
  if (out == nullptr) {
    if (error.empty()) error = "dynamic module '" + m.name() + "' is missing required symbol " + name;
    return false;
  }
  return true;
}

template <typename Fn>
void optional(const DynamicModule& m, const char* name, Fn& out) {
  out = reinterpret_cast<Fn>(m.symbol(name));
}

}  // namespace

bool resolve_http_filter_hooks(const DynamicModule& m, HttpFilterHooks& h, std::string& error) {
  error.clear();
  // Same order as Envoy, so the first missing symbol reported is the one Envoy would report.
  bool ok = required(m, "envoy_dynamic_module_on_http_filter_config_new", h.config_new, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_config_destroy", h.config_destroy, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_new", h.filter_new, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_request_headers", h.request_headers, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_request_body", h.request_body, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_request_trailers", h.request_trailers, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_response_headers", h.response_headers, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_response_body", h.response_body, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_response_trailers", h.response_trailers, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_stream_complete", h.stream_complete, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_destroy", h.destroy, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_http_callout_done", h.http_callout_done, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_http_stream_headers", h.http_stream_headers, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_http_stream_data", h.http_stream_data, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_http_stream_trailers", h.http_stream_trailers, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_http_stream_complete", h.http_stream_complete, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_http_stream_reset", h.http_stream_reset, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_scheduled", h.scheduled, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_downstream_above_write_buffer_high_watermark",
                     h.above_high_watermark, error) &&
            required(m, "envoy_dynamic_module_on_http_filter_downstream_below_write_buffer_low_watermark",
                     h.below_low_watermark, error);
  if (!ok) return false;
  optional(m, "envoy_dynamic_module_on_http_filter_config_scheduled", h.config_scheduled);
  optional(m, "envoy_dynamic_module_on_http_filter_config_http_callout_done", h.config_http_callout_done);
  optional(m, "envoy_dynamic_module_on_http_filter_local_reply", h.local_reply);
  return true;
}

bool resolve_per_route_hooks(const DynamicModule& m, PerRouteHooks& h, std::string& error) {
  error.clear();
  return required(m, "envoy_dynamic_module_on_http_filter_per_route_config_new", h.config_new, error) &&
         required(m, "envoy_dynamic_module_on_http_filter_per_route_config_destroy", h.config_destroy, error);
}

}  // namespace envoyext::host
