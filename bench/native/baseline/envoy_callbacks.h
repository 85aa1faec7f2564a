// The Envoy callbacks the baseline module uses, resolved at program init with
// dlsym(RTLD_DEFAULT, ...) exactly as the C# module does, so both pay the same indirect call.
#pragma once

#include "envoyext/abi.h"

namespace cbaseline {

struct EnvoyCallbacks {
  decltype(&envoy_dynamic_module_callback_http_send_response) send_response;
  decltype(&envoy_dynamic_module_callback_http_set_header) set_header;
  decltype(&envoy_dynamic_module_callback_http_get_header) get_header;
  decltype(&envoy_dynamic_module_callback_http_filter_config_define_counter) define_counter;
  decltype(&envoy_dynamic_module_callback_http_filter_increment_counter) increment_counter;
  decltype(&envoy_dynamic_module_callback_log) log;
  decltype(&envoy_dynamic_module_callback_get_most_specific_route_config) route_config;
  decltype(&envoy_dynamic_module_callback_http_filter_http_callout) http_callout;
  decltype(&envoy_dynamic_module_callback_http_filter_continue_decoding) continue_decoding;
  decltype(&envoy_dynamic_module_callback_http_get_headers_size) get_headers_size;
  decltype(&envoy_dynamic_module_callback_http_get_headers) get_headers;
  decltype(&envoy_dynamic_module_callback_http_filter_get_attribute_string) get_attribute_string;
  decltype(&envoy_dynamic_module_callback_http_filter_start_http_stream) start_http_stream;
};

extern EnvoyCallbacks envoy;

// Fills `envoy`; returns the name of the first missing symbol, or nullptr.
const char* resolve_callbacks();

void log_error(const char* message, size_t length);

}  // namespace cbaseline
