/* libtestwatermark.so: downstream write-buffer watermark hooks.
 *   terminal  answers by itself: response headers, then "part1;" (the write that may cross the
 *             high watermark); it appends what it saw ("high", "after_first_write", "low") and
 *             ends the response with that record from the low-watermark hook.
 *   observer  passes everything through and counts any watermark hook it gets (Envoy registers
 *             watermark callbacks for terminal filters only): test_watermark_observer_calls(). */
#include <stdlib.h>
#include <string.h>

#include "envoyext/abi.h"
#include "passthrough_hooks.h"

#define EXPORT __attribute__((visibility("default")))
#define MB(s) ((envoy_dynamic_module_type_module_buffer){(s), strlen(s)})

static int observer_calls = 0;
EXPORT int test_watermark_observer_calls(void) { return __atomic_load_n(&observer_calls, __ATOMIC_SEQ_CST); }

static int terminal_kind = 1, observer_kind = 2;

typedef struct filter {
  int kind;
  envoy_dynamic_module_type_http_filter_envoy_ptr fe;
  char record[256];
} filter;

static void note(filter* f, const char* e) {
  if (strlen(f->record) + strlen(e) + 2 < sizeof f->record) {
    strcat(f->record, e);
    strcat(f->record, ";");
  }
}

EXPORT envoy_dynamic_module_type_abi_version_module_ptr envoy_dynamic_module_on_program_init(void) {
  return ENVOY_DYNAMIC_MODULES_ABI_VERSION;
}

EXPORT envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, envoy_dynamic_module_type_envoy_buffer name,
    envoy_dynamic_module_type_envoy_buffer config) {
  (void)ce, (void)config;
  if (name.length == 8 && memcmp(name.ptr, "terminal", 8) == 0) return &terminal_kind;
  if (name.length == 8 && memcmp(name.ptr, "observer", 8) == 0) return &observer_kind;
  return NULL;
}
EXPORT void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr c) {
  (void)c;
}
EXPORT envoy_dynamic_module_type_http_filter_module_ptr envoy_dynamic_module_on_http_filter_new(
    envoy_dynamic_module_type_http_filter_config_module_ptr c, envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  filter* f = calloc(1, sizeof *f);
  f->kind = *(const int*)c;
  f->fe = fe;
  return f;
}
EXPORT void envoy_dynamic_module_on_http_filter_destroy(envoy_dynamic_module_type_http_filter_module_ptr fm) {
  free((void*)fm);
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_headers_status
envoy_dynamic_module_on_http_filter_request_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                    envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  (void)eos;
  filter* f = (filter*)fm;
  if (f->kind == observer_kind) return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  envoy_dynamic_module_type_module_http_header h[1] = {{":status", 7, "200", 3}};
  envoy_dynamic_module_callback_http_send_response_headers(fe, h, 1, false);
  envoy_dynamic_module_callback_http_send_response_data(fe, MB("part1;"), false);
  note(f, "after_first_write");
  return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
}

EXPORT void envoy_dynamic_module_on_http_filter_downstream_above_write_buffer_high_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe;
  filter* f = (filter*)fm;
  if (f->kind == observer_kind) __atomic_add_fetch(&observer_calls, 1, __ATOMIC_SEQ_CST);
  note(f, "high");
}

EXPORT void envoy_dynamic_module_on_http_filter_downstream_below_write_buffer_low_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm) {
  filter* f = (filter*)fm;
  if (f->kind == observer_kind) {
    __atomic_add_fetch(&observer_calls, 1, __ATOMIC_SEQ_CST);
    return;
  }
  note(f, "low");
  envoy_dynamic_module_callback_http_send_response_data(fe, MB(f->record), true);
}

ENVOYEXT_PASSTHROUGH_REQUEST_BODY
ENVOYEXT_PASSTHROUGH_REQUEST_TRAILERS
ENVOYEXT_PASSTHROUGH_RESPONSE_HEADERS
ENVOYEXT_PASSTHROUGH_RESPONSE_BODY
ENVOYEXT_PASSTHROUGH_RESPONSE_TRAILERS
ENVOYEXT_PASSTHROUGH_STREAM_COMPLETE
EXPORT void envoy_dynamic_module_on_http_filter_scheduled(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                          envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                          uint64_t id) {
  (void)fe, (void)fm, (void)id;
}
/* Callout done and the streaming-callout hooks are never reached here; the host still requires them. */
EXPORT void envoy_dynamic_module_on_http_filter_http_stream_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                                    envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                                    uint64_t id,
                                                                    envoy_dynamic_module_type_envoy_http_header* h,
                                                                    size_t n, bool end_stream) {
  (void)fe, (void)fm, (void)id, (void)h, (void)n, (void)end_stream;
}
EXPORT void envoy_dynamic_module_on_http_filter_http_stream_data(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                                 envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                                 uint64_t id,
                                                                 const envoy_dynamic_module_type_envoy_buffer* d,
                                                                 size_t n, bool end_stream) {
  (void)fe, (void)fm, (void)id, (void)d, (void)n, (void)end_stream;
}
EXPORT void envoy_dynamic_module_on_http_filter_http_stream_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t id, envoy_dynamic_module_type_envoy_http_header* t, size_t n) {
  (void)fe, (void)fm, (void)id, (void)t, (void)n;
}
EXPORT void envoy_dynamic_module_on_http_filter_http_stream_complete(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t id) {
  (void)fe, (void)fm, (void)id;
}
EXPORT void envoy_dynamic_module_on_http_filter_http_stream_reset(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t id, envoy_dynamic_module_type_http_stream_reset_reason r) {
  (void)fe, (void)fm, (void)id, (void)r;
}
