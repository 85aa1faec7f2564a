/* No-op http_callout_done for C modules that never start an HTTP callout. Envoy 1.40 requires the
 * hook to be exported anyway; modules that do start callouts define their own instead of linking
 * this file. */
#include "envoyext/abi.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT void envoy_dynamic_module_on_http_filter_http_callout_done(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t callout_id, envoy_dynamic_module_type_http_callout_result result,
    envoy_dynamic_module_type_envoy_http_header* headers, size_t headers_size,
    envoy_dynamic_module_type_envoy_buffer* body_chunks, size_t body_chunks_size) {
  (void)fe, (void)fm, (void)callout_id, (void)result, (void)headers, (void)headers_size, (void)body_chunks,
      (void)body_chunks_size;
}
