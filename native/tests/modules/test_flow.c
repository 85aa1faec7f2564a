/* libtestflow.so: request-direction flow control. One filter, "req_hold", configured with
 * "<buffer_limit> <mode>"; it sets the stream's buffer limit from request_headers and holds the
 * request like a throttle, releasing it from a scheduler event it commits on its own worker:
 *   body     the first body frame of a hold returns StopIterationAndWatermark and commits the
 *            event; frames arriving while held are stopped the same way; the event continues
 *            decoding, and the next frame starts a new hold
 *   headers  request_headers returns StopAllIterationAndWatermark and commits the event; the
 *            event continues decoding, and every body frame after it passes
 *   drain    as body, but the first event drains the held body down to half the limit plus one
 *            byte, the second down to half the limit, each committing the next event; only the
 *            third continues decoding
 * Trailers are stopped while a hold lasts. test_flow_record() returns what the filter saw, one
 * entry per event: "event:<frames received so far>:<bytes held>", "drained:<bytes held>" and
 * "trailers:<held|passed>". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envoyext/abi.h"
#include "passthrough_hooks.h"

#define EXPORT __attribute__((visibility("default")))

enum mode { BODY, HEADERS, DRAIN };

typedef struct config {
  uint64_t buffer_limit;
  enum mode mode;
} config;

typedef struct filter {
  const config* cfg;
  envoy_dynamic_module_type_http_filter_envoy_ptr fe;
  envoy_dynamic_module_type_http_filter_scheduler_module_ptr scheduler;
  int held;
  unsigned frames;
  unsigned events;
} filter;

/* One stream per test; the worker thread writes, the test reads after the run. */
static char record_text[1024];
static void note(const char* entry) {
  if (strlen(record_text) + strlen(entry) + 2 < sizeof record_text) {
    strcat(record_text, entry);
    strcat(record_text, ";");
  }
}
EXPORT const char* test_flow_record(void) { return record_text; }
EXPORT void test_flow_clear(void) { record_text[0] = 0; }

static uint64_t buffered(filter* f) {
  return envoy_dynamic_module_callback_http_get_body_size(f->fe,
                                                          envoy_dynamic_module_type_http_body_type_BufferedRequestBody);
}

static void hold(filter* f) {
  f->held = 1;
  if (f->scheduler == NULL) f->scheduler = envoy_dynamic_module_callback_http_filter_scheduler_new(f->fe);
  envoy_dynamic_module_callback_http_filter_scheduler_commit(f->scheduler, ++f->events);
}

EXPORT envoy_dynamic_module_type_abi_version_module_ptr envoy_dynamic_module_on_program_init(void) {
  return ENVOY_DYNAMIC_MODULES_ABI_VERSION;
}

EXPORT envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, envoy_dynamic_module_type_envoy_buffer name,
    envoy_dynamic_module_type_envoy_buffer text) {
  (void)ce;
  if (name.length != 8 || memcmp(name.ptr, "req_hold", 8) != 0) return NULL;
  char copy[64] = {0};
  memcpy(copy, text.ptr, text.length < sizeof copy - 1 ? text.length : sizeof copy - 1);
  unsigned long long limit = 0;
  char mode[16] = {0};
  if (sscanf(copy, "%llu %15s", &limit, mode) != 2) return NULL;
  config* c = calloc(1, sizeof *c);
  c->buffer_limit = limit;
  c->mode = strcmp(mode, "headers") == 0 ? HEADERS : strcmp(mode, "drain") == 0 ? DRAIN : BODY;
  return c;
}

EXPORT void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr c) {
  free((void*)c);
}

EXPORT envoy_dynamic_module_type_http_filter_module_ptr envoy_dynamic_module_on_http_filter_new(
    envoy_dynamic_module_type_http_filter_config_module_ptr c, envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  filter* f = calloc(1, sizeof *f);
  f->cfg = (const config*)c;
  f->fe = fe;
  return f;
}

EXPORT void envoy_dynamic_module_on_http_filter_destroy(envoy_dynamic_module_type_http_filter_module_ptr fm) {
  filter* f = (filter*)fm;
  if (f->scheduler) envoy_dynamic_module_callback_http_filter_scheduler_delete(f->scheduler);
  free(f);
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_headers_status
envoy_dynamic_module_on_http_filter_request_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                    envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  (void)eos;
  filter* f = (filter*)fm;
  envoy_dynamic_module_callback_http_set_buffer_limit(fe, f->cfg->buffer_limit);
  if (f->cfg->mode != HEADERS) return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  hold(f);
  return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopAllIterationAndWatermark;
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_body_status envoy_dynamic_module_on_http_filter_request_body(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  (void)fe, (void)eos;
  filter* f = (filter*)fm;
  ++f->frames;
  if (f->cfg->mode == HEADERS) return envoy_dynamic_module_type_on_http_filter_request_body_status_Continue;
  if (!f->held) hold(f);
  return envoy_dynamic_module_type_on_http_filter_request_body_status_StopIterationAndWatermark;
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_trailers_status
envoy_dynamic_module_on_http_filter_request_trailers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                     envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe;
  filter* f = (filter*)fm;
  note(f->held ? "trailers:held" : "trailers:passed");
  return f->held ? envoy_dynamic_module_type_on_http_filter_request_trailers_status_StopIteration
                 : envoy_dynamic_module_type_on_http_filter_request_trailers_status_Continue;
}

EXPORT void envoy_dynamic_module_on_http_filter_scheduled(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                          envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                          uint64_t event_id) {
  filter* f = (filter*)fm;
  char entry[64];
  snprintf(entry, sizeof entry, "event:%u:%llu", f->frames, (unsigned long long)buffered(f));
  note(entry);
  if (f->cfg->mode == DRAIN && event_id <= 2) {
    const uint64_t keep = f->cfg->buffer_limit / 2 + (event_id == 1 ? 1 : 0);
    const uint64_t held = buffered(f);
    envoy_dynamic_module_callback_http_drain_body(fe, envoy_dynamic_module_type_http_body_type_BufferedRequestBody,
                                                  held > keep ? held - keep : 0);
    snprintf(entry, sizeof entry, "drained:%llu", (unsigned long long)buffered(f));
    note(entry);
    envoy_dynamic_module_callback_http_filter_scheduler_commit(f->scheduler, ++f->events);
    return;
  }
  f->held = 0;
  envoy_dynamic_module_callback_http_filter_continue_decoding(fe);
}

ENVOYEXT_PASSTHROUGH_RESPONSE_HEADERS
ENVOYEXT_PASSTHROUGH_RESPONSE_BODY
ENVOYEXT_PASSTHROUGH_RESPONSE_TRAILERS
ENVOYEXT_PASSTHROUGH_STREAM_COMPLETE
