/* libteststreaming.so: one filter, "stream", that exercises the host's streaming HTTP callouts.
 * Config: "<cluster> <timeout_ms> <mode>", modes:
 *   chunked  start with body "first" (not end_stream), send_data "second", then trailers x-rt: t
 *   whole    start with body "whole" and end_stream; a later send_data must fail
 *   reset    start, then reset_http_stream at once (reset hook must run inside the call)
 *   bare     start without :path (MissingRequiredHeaders)
 *   deny     start, then a local reply ends the stream (no hook may run after destroy)
 * Every hook appends to the filter's record; on complete/reset the record goes into request header
 * x-stream-events and decoding continues. Hooks also note whether they ran on the thread that ran
 * request_headers (the stream's worker). test_stream_hooks_after_destroy() counts violations. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envoyext/abi.h"
#include "passthrough_hooks.h"

#define EXPORT __attribute__((visibility("default")))
#define MB(s) ((envoy_dynamic_module_type_module_buffer){(s), strlen(s)})

typedef struct config {
  char cluster[64];
  unsigned long timeout_ms;
  char mode[16];
} config;

typedef struct filter {
  const config* cfg;
  envoy_dynamic_module_type_http_filter_envoy_ptr fe;
  pthread_t worker;
  int destroyed;
  int wrong_thread;
  char record[2048];
} filter;

static int hooks_after_destroy = 0;
EXPORT int test_stream_hooks_after_destroy(void) { return __atomic_load_n(&hooks_after_destroy, __ATOMIC_SEQ_CST); }

static void note(filter* f, const char* e) {
  if (f->destroyed) __atomic_add_fetch(&hooks_after_destroy, 1, __ATOMIC_SEQ_CST);
  if (!pthread_equal(pthread_self(), f->worker)) f->wrong_thread = 1;
  if (strlen(f->record) + strlen(e) + 2 < sizeof f->record) {
    strcat(f->record, e);
    strcat(f->record, ";");
  }
}

static void set_req(filter* f, const char* k, const char* v) {
  envoy_dynamic_module_callback_http_set_header(f->fe, envoy_dynamic_module_type_http_header_type_RequestHeader, MB(k),
                                                MB(v));
}

static void publish_and_continue(filter* f) {
  if (f->destroyed) return;
  set_req(f, "x-stream-events", f->record);
  set_req(f, "x-stream-thread", f->wrong_thread ? "other" : "worker");
  envoy_dynamic_module_callback_http_filter_continue_decoding(f->fe);
}

static int mode_is(const filter* f, const char* m) { return strcmp(f->cfg->mode, m) == 0; }

EXPORT envoy_dynamic_module_type_abi_version_module_ptr envoy_dynamic_module_on_program_init(void) {
  return ENVOY_DYNAMIC_MODULES_ABI_VERSION;
}

EXPORT envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, envoy_dynamic_module_type_envoy_buffer name,
    envoy_dynamic_module_type_envoy_buffer cfg_text) {
  (void)ce, (void)name;
  config* c = calloc(1, sizeof *c);
  char text[256];
  size_t n = cfg_text.length < sizeof text - 1 ? cfg_text.length : sizeof text - 1;
  memcpy(text, cfg_text.ptr, n);
  text[n] = 0;
  if (sscanf(text, "%63s %lu %15s", c->cluster, &c->timeout_ms, c->mode) != 3) {
    free(c);
    return NULL;
  }
  return c;
}

EXPORT void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr c) {
  free((void*)c);
}

EXPORT envoy_dynamic_module_type_http_filter_module_ptr envoy_dynamic_module_on_http_filter_new(
    envoy_dynamic_module_type_http_filter_config_module_ptr c, envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  filter* f = calloc(1, sizeof *f);
  f->cfg = c;
  f->fe = fe;
  f->worker = pthread_self();
  return f;
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_headers_status
envoy_dynamic_module_on_http_filter_request_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                    envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  (void)fe, (void)eos;
  filter* f = (filter*)fm;
  envoy_dynamic_module_type_module_http_header h[4] = {
      {":method", 7, "POST", 4}, {":authority", 10, "side.local", 10}, {"x-s", 3, "1", 1}, {":path", 5, "/stream", 7}};
  int whole = mode_is(f, "whole");
  uint64_t id = 0;
  char e[96];
  envoy_dynamic_module_type_http_callout_init_result r = envoy_dynamic_module_callback_http_filter_start_http_stream(
      fe, &id, MB(f->cfg->cluster), h, mode_is(f, "bare") ? 3 : 4, MB(whole ? "whole" : "first"), whole,
      f->cfg->timeout_ms);
  snprintf(e, sizeof e, "start:%d:%lu", (int)r, (unsigned long)id);
  note(f, e);
  if (r != envoy_dynamic_module_type_http_callout_init_result_Success) {
    set_req(f, "x-stream-events", f->record);
    return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  }
  if (mode_is(f, "chunked")) {
    int d = envoy_dynamic_module_callback_http_stream_send_data(fe, id, MB("second"), false);
    envoy_dynamic_module_type_module_http_header t[1] = {{"x-rt", 4, "t", 1}};
    int tr = envoy_dynamic_module_callback_http_stream_send_trailers(fe, id, t, 1);
    snprintf(e, sizeof e, "sent:%d:%d", d, tr);
    note(f, e);
  } else if (whole) {
    snprintf(e, sizeof e, "late_send:%d",
             (int)envoy_dynamic_module_callback_http_stream_send_data(fe, id, MB("late"), true));
    note(f, e);
  } else if (mode_is(f, "reset")) {
    envoy_dynamic_module_callback_http_filter_reset_http_stream(fe, id);
    note(f, "after_reset");
    envoy_dynamic_module_callback_http_filter_reset_http_stream(fe, id); /* unknown id now: no-op */
    snprintf(e, sizeof e, "send_after_reset:%d",
             (int)envoy_dynamic_module_callback_http_stream_send_data(fe, id, MB("x"), true));
    note(f, e);
    set_req(f, "x-stream-events", f->record);
    return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  } else if (mode_is(f, "deny")) {
    envoy_dynamic_module_callback_http_send_response(fe, 403, NULL, 0, MB(""), MB("stream_test_deny"));
  }
  return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_envoy_http_header* headers, size_t headers_size, bool end_stream) {
  (void)fe;
  filter* f = (filter*)fm;
  char e[160];
  const char* status = "?";
  int status_len = 1;
  if (headers_size > 0 && headers[0].key_length == 7 && memcmp(headers[0].key_ptr, ":status", 7) == 0) {
    status = headers[0].value_ptr;
    status_len = (int)headers[0].value_length;
  }
  snprintf(e, sizeof e, "headers:%lu:%.*s:%d", (unsigned long)stream_id, status_len, status, (int)end_stream);
  note(f, e);
  for (size_t i = 1; i < headers_size; ++i) {
    if (headers[i].key_length == 5 && memcmp(headers[i].key_ptr, "x-out", 5) == 0) {
      snprintf(e, sizeof e, "x-out=%.*s", (int)headers[i].value_length, headers[i].value_ptr);
      note(f, e);
    }
  }
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_data(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                                 envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                                 uint64_t stream_id,
                                                                 const envoy_dynamic_module_type_envoy_buffer* data,
                                                                 size_t data_count, bool end_stream) {
  (void)fe, (void)stream_id;
  filter* f = (filter*)fm;
  char body[256] = {0};
  for (size_t i = 0; i < data_count; ++i) {
    strncat(body, data[i].ptr,
            data[i].length < sizeof body - strlen(body) - 1 ? data[i].length : sizeof body - strlen(body) - 1);
  }
  char e[300];
  snprintf(e, sizeof e, "data:%s:%d", body, (int)end_stream);
  note(f, e);
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_envoy_http_header* trailers, size_t trailers_size) {
  (void)fe, (void)stream_id;
  filter* f = (filter*)fm;
  char e[160];
  for (size_t i = 0; i < trailers_size; ++i) {
    snprintf(e, sizeof e, "trailer:%.*s=%.*s", (int)trailers[i].key_length, trailers[i].key_ptr,
             (int)trailers[i].value_length, trailers[i].value_ptr);
    note(f, e);
  }
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_complete(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id) {
  (void)fe;
  filter* f = (filter*)fm;
  char e[48];
  snprintf(e, sizeof e, "complete:%lu", (unsigned long)stream_id);
  note(f, e);
  publish_and_continue(f);
}

EXPORT void envoy_dynamic_module_on_http_filter_http_stream_reset(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t stream_id, envoy_dynamic_module_type_http_stream_reset_reason reason) {
  (void)fe;
  filter* f = (filter*)fm;
  char e[48];
  snprintf(e, sizeof e, "reset:%lu:%d", (unsigned long)stream_id, (int)reason);
  note(f, e);
  /* In "reset" mode the hook runs inside reset_http_stream, from request_headers: continuing
   * from there would be a no-op, so request_headers publishes the record itself. */
  if (!mode_is(f, "reset")) publish_and_continue(f);
}

ENVOYEXT_PASSTHROUGH_REQUEST_BODY
ENVOYEXT_PASSTHROUGH_REQUEST_TRAILERS
ENVOYEXT_PASSTHROUGH_RESPONSE_HEADERS
ENVOYEXT_PASSTHROUGH_RESPONSE_BODY
ENVOYEXT_PASSTHROUGH_RESPONSE_TRAILERS
ENVOYEXT_PASSTHROUGH_STREAM_COMPLETE
/* The filter struct is kept (marked destroyed, never freed) so a hook that arrives after destroy
 * is counted instead of touching freed memory; test processes run few streams. */
EXPORT void envoy_dynamic_module_on_http_filter_destroy(envoy_dynamic_module_type_http_filter_module_ptr fm) {
  ((filter*)fm)->destroyed = 1;
}
EXPORT void envoy_dynamic_module_on_http_filter_scheduled(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                          envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                          uint64_t id) {
  (void)fe, (void)fm, (void)id;
}
EXPORT void envoy_dynamic_module_on_http_filter_downstream_above_write_buffer_high_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe, (void)fm;
}
EXPORT void envoy_dynamic_module_on_http_filter_downstream_below_write_buffer_low_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe, (void)fm;
}
/* http_callout_done: native/module_support/unused_callout_hook.c. */
