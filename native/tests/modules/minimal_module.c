/* A minimal module for loader tests, compiled several times with different switches:
 *   TEST_ABI_VERSION     the string program init returns (NULL_VERSION = return NULL)
 *   TEST_OMIT_SCHEDULED  leave out the required on_http_filter_scheduled hook
 *   TEST_UNRESOLVED      import a callback no host exports (RTLD_NOW must fail the load)
 * Exports test_program_init_calls() so tests can see whether program init ran again. */
#include <string.h>

#include "envoyext/abi.h"
#include "passthrough_hooks.h"

#define EXPORT __attribute__((visibility("default")))

static int program_init_calls = 0;
static int config_token = 1;

EXPORT int test_program_init_calls(void) { return program_init_calls; }

#ifdef TEST_UNRESOLVED
void envoy_dynamic_module_callback_from_the_future(void);
EXPORT void test_uses_future_callback(void) { envoy_dynamic_module_callback_from_the_future(); }
#endif

EXPORT envoy_dynamic_module_type_abi_version_module_ptr envoy_dynamic_module_on_program_init(void) {
  ++program_init_calls;
#ifdef NULL_VERSION
  return NULL;
#else
  return TEST_ABI_VERSION;
#endif
}

EXPORT envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, envoy_dynamic_module_type_envoy_buffer name,
    envoy_dynamic_module_type_envoy_buffer config) {
  (void)ce;
  (void)name;
  /* "reject" as config text is refused, like a module refusing invalid JSON. */
  if (config.length == 6 && memcmp(config.ptr, "reject", 6) == 0) return NULL;
  return &config_token;
}
EXPORT void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr c) {
  (void)c;
}
EXPORT envoy_dynamic_module_type_http_filter_module_ptr envoy_dynamic_module_on_http_filter_new(
    envoy_dynamic_module_type_http_filter_config_module_ptr c, envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  (void)fe;
  return c;
}
EXPORT envoy_dynamic_module_type_on_http_filter_request_headers_status
envoy_dynamic_module_on_http_filter_request_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                    envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  (void)fe, (void)fm, (void)eos;
  return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
}
ENVOYEXT_PASSTHROUGH_REQUEST_BODY
ENVOYEXT_PASSTHROUGH_REQUEST_TRAILERS
ENVOYEXT_PASSTHROUGH_RESPONSE_HEADERS
ENVOYEXT_PASSTHROUGH_RESPONSE_BODY
ENVOYEXT_PASSTHROUGH_RESPONSE_TRAILERS
ENVOYEXT_PASSTHROUGH_STREAM_COMPLETE
EXPORT void envoy_dynamic_module_on_http_filter_destroy(envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fm;
}
/* Callout, streaming-callout and watermark hooks: native/module_support (see tests/CMakeLists.txt). */
#ifndef TEST_OMIT_SCHEDULED
EXPORT void envoy_dynamic_module_on_http_filter_scheduled(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                          envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                          uint64_t id) {
  (void)fe, (void)fm, (void)id;
}
#endif
