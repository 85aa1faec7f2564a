#include "envoy_callbacks.h"

#include <dlfcn.h>

namespace cbaseline {

EnvoyCallbacks envoy;

namespace {
template <typename Fn>
bool resolve(Fn& field, const char* symbol) {
  field = reinterpret_cast<Fn>(::dlsym(RTLD_DEFAULT, symbol));
  return field != nullptr;
}
}  // namespace

const char* resolve_callbacks() {
#define RESOLVE(field, symbol) \
  if (!resolve(envoy.field, symbol)) return symbol
  RESOLVE(send_response, "envoy_dynamic_module_callback_http_send_response");
  RESOLVE(set_header, "envoy_dynamic_module_callback_http_set_header");
  RESOLVE(get_header, "envoy_dynamic_module_callback_http_get_header");
  RESOLVE(define_counter, "envoy_dynamic_module_callback_http_filter_config_define_counter");
  RESOLVE(increment_counter, "envoy_dynamic_module_callback_http_filter_increment_counter");
  RESOLVE(log, "envoy_dynamic_module_callback_log");
  RESOLVE(route_config, "envoy_dynamic_module_callback_get_most_specific_route_config");
  RESOLVE(http_callout, "envoy_dynamic_module_callback_http_filter_http_callout");
  RESOLVE(continue_decoding, "envoy_dynamic_module_callback_http_filter_continue_decoding");
  RESOLVE(get_headers_size, "envoy_dynamic_module_callback_http_get_headers_size");
  RESOLVE(get_headers, "envoy_dynamic_module_callback_http_get_headers");
  RESOLVE(get_attribute_string, "envoy_dynamic_module_callback_http_filter_get_attribute_string");
  RESOLVE(start_http_stream, "envoy_dynamic_module_callback_http_filter_start_http_stream");
#undef RESOLVE
  return nullptr;
}

void log_error(const char* message, size_t length) {
  envoy.log(envoy_dynamic_module_type_log_level_Error, {message, length});
}

}  // namespace cbaseline
