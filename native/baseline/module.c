/* libcbaseline.so: the exported event hooks. Stream hooks the baseline filters do not care about
 * return Continue / do nothing, which is what a filter that ignores an event must do. */
#include <stdio.h>
#include <string.h>

#include "envoy_callbacks.h"
#include "filters.h"

#define EXPORT __attribute__((visibility("default")))

static const cbaseline_filter_kind* const kinds[] = {&cbaseline_passthrough, &cbaseline_rate_limit};

void cbaseline_log_error(const char* message) {
  envoy_dynamic_module_type_module_buffer m = {message, strlen(message)};
  cbaseline_envoy.log(envoy_dynamic_module_type_log_level_Error, m);
}

EXPORT envoy_dynamic_module_type_abi_version_module_ptr envoy_dynamic_module_on_program_init(void) {
  const char* missing = cbaseline_resolve_callbacks();
  if (missing != NULL) {
    fprintf(stderr, "cbaseline: the host does not export %s\n", missing);
    return NULL;
  }
  return ENVOY_DYNAMIC_MODULES_ABI_VERSION;
}

EXPORT envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr envoy_config, envoy_dynamic_module_type_envoy_buffer name,
    envoy_dynamic_module_type_envoy_buffer config) {
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; ++i) {
    if (strlen(kinds[i]->name) == name.length && memcmp(kinds[i]->name, name.ptr, name.length) == 0) {
      return kinds[i]->config_new(envoy_config, config.ptr, config.length);
    }
  }
  cbaseline_log_error("cbaseline: unknown filter_name (expected passthrough or rate_limit)");
  return NULL;
}

EXPORT void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr c) {
  cbaseline_config* config = (cbaseline_config*)c;
  config->kind->config_destroy(config);
}

EXPORT envoy_dynamic_module_type_http_filter_per_route_config_module_ptr
envoy_dynamic_module_on_http_filter_per_route_config_new(envoy_dynamic_module_type_envoy_buffer name,
                                                         envoy_dynamic_module_type_envoy_buffer config) {
  (void)name;
  (void)config;
  cbaseline_log_error("cbaseline: per-route configuration is not supported");
  return NULL;
}

EXPORT void envoy_dynamic_module_on_http_filter_per_route_config_destroy(
    envoy_dynamic_module_type_http_filter_per_route_config_module_ptr c) {
  (void)c;
}

EXPORT envoy_dynamic_module_type_http_filter_module_ptr envoy_dynamic_module_on_http_filter_new(
    envoy_dynamic_module_type_http_filter_config_module_ptr c, envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  (void)fe;
  cbaseline_config* config = (cbaseline_config*)c;
  return config->kind->filter_new(config);
}

/* Both kinds' per-stream objects start with a pointer to their cbaseline_config. */
static const cbaseline_filter_kind* kind_of(const void* fm) { return (*(cbaseline_config* const*)fm)->kind; }

EXPORT envoy_dynamic_module_type_on_http_filter_request_headers_status
envoy_dynamic_module_on_http_filter_request_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                    envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                    bool end_of_stream) {
  (void)end_of_stream;
  return kind_of(fm)->request_headers(fe, fm);
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_body_status envoy_dynamic_module_on_http_filter_request_body(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  (void)fe;
  (void)fm;
  (void)eos;
  return envoy_dynamic_module_type_on_http_filter_request_body_status_Continue;
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_trailers_status
envoy_dynamic_module_on_http_filter_request_trailers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                     envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe;
  (void)fm;
  return envoy_dynamic_module_type_on_http_filter_request_trailers_status_Continue;
}

EXPORT envoy_dynamic_module_type_on_http_filter_response_headers_status
envoy_dynamic_module_on_http_filter_response_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                     envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                     bool end_of_stream) {
  (void)end_of_stream;
  return kind_of(fm)->response_headers(fe, fm);
}

EXPORT envoy_dynamic_module_type_on_http_filter_response_body_status envoy_dynamic_module_on_http_filter_response_body(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  (void)fe;
  (void)fm;
  (void)eos;
  return envoy_dynamic_module_type_on_http_filter_response_body_status_Continue;
}

EXPORT envoy_dynamic_module_type_on_http_filter_response_trailers_status
envoy_dynamic_module_on_http_filter_response_trailers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                      envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe;
  (void)fm;
  return envoy_dynamic_module_type_on_http_filter_response_trailers_status_Continue;
}

EXPORT void envoy_dynamic_module_on_http_filter_stream_complete(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                                envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe;
  (void)fm;
}

EXPORT void envoy_dynamic_module_on_http_filter_destroy(envoy_dynamic_module_type_http_filter_module_ptr fm) {
  kind_of(fm)->filter_destroy(fm);
}

/* The baseline never uses the scheduler. Callout, streaming-callout and watermark hooks it never
 * asks for come from native/module_support (linked in by CMakeLists.txt). */
EXPORT void envoy_dynamic_module_on_http_filter_scheduled(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                          envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                          uint64_t event_id) {
  (void)fe, (void)fm, (void)event_id;
}
