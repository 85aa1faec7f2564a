/* The Envoy callbacks the baseline module uses, resolved at program init with
 * dlsym(RTLD_DEFAULT, ...) exactly as the C# module does, so both pay the same indirect call. */
#ifndef CBASELINE_ENVOY_CALLBACKS_H
#define CBASELINE_ENVOY_CALLBACKS_H

#include "envoyext/abi.h"

typedef struct cbaseline_callbacks {
  __typeof__(&envoy_dynamic_module_callback_http_send_response) send_response;
  __typeof__(&envoy_dynamic_module_callback_http_set_header) set_header;
  __typeof__(&envoy_dynamic_module_callback_http_filter_config_define_counter) define_counter;
  __typeof__(&envoy_dynamic_module_callback_http_filter_increment_counter) increment_counter;
  __typeof__(&envoy_dynamic_module_callback_log) log;
  __typeof__(&envoy_dynamic_module_callback_http_get_header) get_header;
  __typeof__(&envoy_dynamic_module_callback_get_most_specific_route_config) route_config;
} cbaseline_callbacks;

extern cbaseline_callbacks cbaseline_envoy;

/* Fills cbaseline_envoy; returns the name of the first missing symbol, or NULL. */
const char* cbaseline_resolve_callbacks(void);

#endif
