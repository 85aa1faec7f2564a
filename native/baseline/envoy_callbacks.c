#define _GNU_SOURCE
#include "envoy_callbacks.h"

#include <dlfcn.h>

cbaseline_callbacks cbaseline_envoy;

#define RESOLVE(field, symbol)                                       \
  do {                                                               \
    *(void**)(&cbaseline_envoy.field) = dlsym(RTLD_DEFAULT, symbol); \
    if (cbaseline_envoy.field == NULL) return symbol;                \
  } while (0)

const char* cbaseline_resolve_callbacks(void) {
  RESOLVE(send_response, "envoy_dynamic_module_callback_http_send_response");
  RESOLVE(set_header, "envoy_dynamic_module_callback_http_set_header");
  RESOLVE(define_counter, "envoy_dynamic_module_callback_http_filter_config_define_counter");
  RESOLVE(increment_counter, "envoy_dynamic_module_callback_http_filter_increment_counter");
  RESOLVE(log, "envoy_dynamic_module_callback_log");
  RESOLVE(get_header, "envoy_dynamic_module_callback_http_get_header");
  RESOLVE(route_config, "envoy_dynamic_module_callback_get_most_specific_route_config");
  return NULL;
}
