/* passthrough: does nothing on every hook; measures the pure cost of crossing the ABI. */
#include <stdlib.h>

#include "filters.h"

/* Per-stream objects start with a pointer to their config (see module.c). Passthrough has no
 * per-stream state, so every stream shares `self`, a field that points back at the config. */
typedef struct passthrough_config {
  cbaseline_config base;
  cbaseline_config* self;
} passthrough_config;

static cbaseline_config* passthrough_config_new(envoy_dynamic_module_type_http_filter_config_envoy_ptr envoy_config,
                                                const char* json, size_t length) {
  (void)envoy_config;
  (void)json;
  (void)length;
  passthrough_config* c = malloc(sizeof *c);
  if (c == NULL) return NULL;
  c->base.kind = &cbaseline_passthrough;
  c->self = &c->base;
  return &c->base;
}

static void passthrough_config_destroy(cbaseline_config* config) { free(config); }

static const void* passthrough_filter_new(cbaseline_config* config) { return &((passthrough_config*)config)->self; }

static void passthrough_filter_destroy(const void* filter) { (void)filter; }

static envoy_dynamic_module_type_on_http_filter_request_headers_status passthrough_request_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter, const void* filter) {
  (void)envoy_filter;
  (void)filter;
  return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
}

static envoy_dynamic_module_type_on_http_filter_response_headers_status passthrough_response_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter, const void* filter) {
  (void)envoy_filter;
  (void)filter;
  return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;
}

const cbaseline_filter_kind cbaseline_passthrough = {
    "passthrough",
    passthrough_config_new,
    passthrough_config_destroy,
    passthrough_filter_new,
    passthrough_filter_destroy,
    passthrough_request_headers,
    passthrough_response_headers,
};
