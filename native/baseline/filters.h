/* The baseline's filters behind a tiny vtable, selected by filter_name in config_new. */
#ifndef CBASELINE_FILTERS_H
#define CBASELINE_FILTERS_H

#include <stdbool.h>
#include <stddef.h>

#include "envoyext/abi.h"

typedef struct cbaseline_filter_kind cbaseline_filter_kind;

/* Every config starts with its kind so the shared hooks can dispatch. */
typedef struct cbaseline_config {
  const cbaseline_filter_kind* kind;
} cbaseline_config;

struct cbaseline_filter_kind {
  const char* name;
  /* NULL = reject the config (the log line names the field). */
  cbaseline_config* (*config_new)(envoy_dynamic_module_type_http_filter_config_envoy_ptr envoy_config, const char* json,
                                  size_t length);
  void (*config_destroy)(cbaseline_config* config);
  /* Per-stream state; passthrough needs none and returns the config itself. */
  const void* (*filter_new)(cbaseline_config* config);
  void (*filter_destroy)(const void* filter);
  envoy_dynamic_module_type_on_http_filter_request_headers_status (*request_headers)(
      envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter, const void* filter);
  envoy_dynamic_module_type_on_http_filter_response_headers_status (*response_headers)(
      envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter, const void* filter);
};

extern const cbaseline_filter_kind cbaseline_passthrough;
extern const cbaseline_filter_kind cbaseline_rate_limit;

void cbaseline_log_error(const char* message);

#endif
