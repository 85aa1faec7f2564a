/* No-op event hooks for C modules that never start a streaming callout and are never a terminal
 * filter. Envoy 1.40 refuses an HTTP filter module that does not export them, so every module needs
 * them even when nothing can ever call them; keeping one copy here lets each module's own source
 * show only the hooks it really handles. Link this file into the module (see CMakeLists.txt). */
#include "envoyext/abi.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_envoy_http_header* headers, size_t headers_size, bool end_stream) {
  (void)fe, (void)fm, (void)stream_id, (void)headers, (void)headers_size, (void)end_stream;
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_data(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                                 envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                                 uint64_t stream_id,
                                                                 const envoy_dynamic_module_type_envoy_buffer* data,
                                                                 size_t data_count, bool end_stream) {
  (void)fe, (void)fm, (void)stream_id, (void)data, (void)data_count, (void)end_stream;
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_envoy_http_header* trailers, size_t trailers_size) {
  (void)fe, (void)fm, (void)stream_id, (void)trailers, (void)trailers_size;
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_complete(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id) {
  (void)fe, (void)fm, (void)stream_id;
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_reset(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_http_stream_reset_reason reason) {
  (void)fe, (void)fm, (void)stream_id, (void)reason;
}

/* Watermark hooks only fire for terminal filters that send their own response body. */
EXPORT void envoy_dynamic_module_on_http_filter_downstream_above_write_buffer_high_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe, (void)fm;
}

EXPORT void envoy_dynamic_module_on_http_filter_downstream_below_write_buffer_low_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe, (void)fm;
}
