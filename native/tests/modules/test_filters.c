/* libtestfilters.so: HTTP filters that exercise one host behaviour each, selected by filter_name.
 * Callbacks are imported at link time (resolved by RTLD_NOW against the host's global symbols).
 *   header_ops   header get/set/add/remove, multi-values, pseudo-headers, trailers
 *   body_upper   buffers the whole request body, replaces it with its upper-case form
 *   stop_resume  StopAllIterationAndBuffer, then a foreign thread commits a scheduler event that
 *                resumes decoding on the worker
 *   deny         local reply 403 from request_headers; response_headers marks that encoding ran
 *   callout      HTTP callout to the cluster named in the config ("<cluster> <timeout_ms>")
 *   metrics      counters with labels, histogram; tries to define after config_new (Frozen)
 *   lifecycle    records hook order for the deferred-destroy test
 *   watch_body   StopIteration on headers, Continue from the body hook
 *   config_sched config-level scheduler committed from a foreign thread during config_new
 *   resp_hold    StopAllIterationAndBuffer on response headers, resumed by continue_encoding from
 *                a scheduler event committed on a foreign thread
 *   secret       subscribes to the generic secret named by the config ("ads:<name>" subscribes with
 *                an SDS config source naming ADS, "path:<name>" with a file source, anything else
 *                as a static secret; rejects the config when the subscription fails); copies it
 *                into request header x-secret, and reports a subscription attempted after
 *                config_new in x-late-subscribe
 * test_events() returns the lifecycle record. */
#define _GNU_SOURCE
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "envoyext/abi.h"
#include "passthrough_hooks.h"

#define EXPORT __attribute__((visibility("default")))
#define MB(s) ((envoy_dynamic_module_type_module_buffer){(s), strlen(s)})

enum kind {
  HEADER_OPS,
  BODY_UPPER,
  STOP_RESUME,
  DENY,
  CALLOUT,
  METRICS,
  LIFECYCLE,
  WATCH_BODY,
  CONFIG_SCHED,
  RESP_HOLD,
  SECRET
};

typedef struct config {
  enum kind kind;
  envoy_dynamic_module_type_http_filter_config_envoy_ptr ce;
  char cluster[64];
  unsigned long timeout_ms;
  int bare_headers; /* callout: third config word "bare" = omit :path and :authority */
  size_t hits, latency, sized;
  size_t secret_id;
  envoy_dynamic_module_type_http_filter_config_scheduler_module_ptr config_scheduler;
  pthread_t main_thread;
} config;

typedef struct stream {
  config* cfg;
  envoy_dynamic_module_type_http_filter_envoy_ptr fe;
  envoy_dynamic_module_type_http_filter_scheduler_module_ptr scheduler;
  int destroyed_flag_at_hook_return;
} stream;

/* ---- lifecycle record */
static pthread_mutex_t events_mu = PTHREAD_MUTEX_INITIALIZER;
static char events[4096];
static int in_stream_complete = 0;
static int destroyed = 0;
static void record(const char* e) {
  pthread_mutex_lock(&events_mu);
  if (strlen(events) + strlen(e) + 2 < sizeof events) {
    strcat(events, e);
    strcat(events, ";");
  }
  pthread_mutex_unlock(&events_mu);
}
EXPORT const char* test_events(void) { return events; }
EXPORT void test_events_clear(void) {
  pthread_mutex_lock(&events_mu);
  events[0] = 0;
  destroyed = 0;
  pthread_mutex_unlock(&events_mu);
}

static void set_req(envoy_dynamic_module_type_http_filter_envoy_ptr fe, const char* k, const char* v) {
  envoy_dynamic_module_callback_http_set_header(fe, envoy_dynamic_module_type_http_header_type_RequestHeader, MB(k),
                                                MB(v));
}
static void set_req_num(envoy_dynamic_module_type_http_filter_envoy_ptr fe, const char* k, unsigned long v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%lu", v);
  set_req(fe, k, buf);
}

EXPORT envoy_dynamic_module_type_abi_version_module_ptr envoy_dynamic_module_on_program_init(void) {
  return ENVOY_DYNAMIC_MODULES_ABI_VERSION;
}

static void* config_commit_later(void* p) {
  envoy_dynamic_module_callback_http_filter_config_scheduler_commit(p, 42);
  return NULL;
}

EXPORT void envoy_dynamic_module_on_http_filter_config_scheduled(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce,
    envoy_dynamic_module_type_http_filter_config_module_ptr cm, uint64_t event_id) {
  (void)ce;
  const config* c = (const config*)cm;
  char e[64];
  snprintf(e, sizeof e, "config_scheduled:%lu:%s", (unsigned long)event_id,
           pthread_equal(pthread_self(), c->main_thread) ? "main" : "other");
  record(e);
}

static int name_is(envoy_dynamic_module_type_envoy_buffer b, const char* n) {
  return b.length == strlen(n) && memcmp(b.ptr, n, b.length) == 0;
}

EXPORT envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, envoy_dynamic_module_type_envoy_buffer name,
    envoy_dynamic_module_type_envoy_buffer cfg_text) {
  config* c = calloc(1, sizeof *c);
  c->ce = ce;
  if (name_is(name, "header_ops"))
    c->kind = HEADER_OPS;
  else if (name_is(name, "body_upper"))
    c->kind = BODY_UPPER;
  else if (name_is(name, "stop_resume"))
    c->kind = STOP_RESUME;
  else if (name_is(name, "deny"))
    c->kind = DENY;
  else if (name_is(name, "callout"))
    c->kind = CALLOUT;
  else if (name_is(name, "metrics"))
    c->kind = METRICS;
  else if (name_is(name, "lifecycle"))
    c->kind = LIFECYCLE;
  else if (name_is(name, "watch_body"))
    c->kind = WATCH_BODY;
  else if (name_is(name, "config_sched"))
    c->kind = CONFIG_SCHED;
  else if (name_is(name, "resp_hold"))
    c->kind = RESP_HOLD;
  else if (name_is(name, "secret"))
    c->kind = SECRET;
  else {
    free(c);
    return NULL;
  }
  if (c->kind == CALLOUT) {
    char text[128] = {0};
    size_t n = cfg_text.length < sizeof text - 1 ? cfg_text.length : sizeof text - 1;
    memcpy(text, cfg_text.ptr, n);
    char extra[16] = {0};
    int n_read = sscanf(text, "%63s %lu %15s", c->cluster, &c->timeout_ms, extra);
    if (n_read < 2) {
      free(c);
      return NULL;
    }
    c->bare_headers = strcmp(extra, "bare") == 0;
  }
  if (c->kind == SECRET) {
    envoy_dynamic_module_type_module_buffer secret_name = {cfg_text.ptr, cfg_text.length};
    envoy_dynamic_module_type_module_buffer source = MB("");
    if (cfg_text.length > 4 && strncmp(cfg_text.ptr, "ads:", 4) == 0) {
      secret_name.ptr += 4;
      secret_name.length -= 4;
      source = MB("{\"ads\": {}, \"resource_api_version\": \"V3\"}");
    } else if (cfg_text.length > 5 && strncmp(cfg_text.ptr, "path:", 5) == 0) {
      secret_name.ptr += 5;
      secret_name.length -= 5;
      source = MB("{\"path_config_source\": {\"path\": \"/etc/secret.yaml\"}}");
    }
    c->secret_id = envoy_dynamic_module_callback_http_filter_config_generic_secret_subscribe(ce, secret_name, source);
    envoy_dynamic_module_type_envoy_buffer v = {NULL, 0};
    if (c->secret_id == 0 ||
        !envoy_dynamic_module_callback_http_filter_config_get_generic_secret(ce, c->secret_id, &v)) {
      free(c);
      return NULL;
    }
  }
  if (c->kind == CONFIG_SCHED) {
    c->main_thread = pthread_self();
    c->config_scheduler = envoy_dynamic_module_callback_http_filter_config_scheduler_new(ce);
    pthread_t t;
    pthread_create(&t, NULL, config_commit_later, c->config_scheduler);
    pthread_detach(t);
  }
  if (c->kind == METRICS) {
    envoy_dynamic_module_type_module_buffer labels[2] = {MB("route"), MB("outcome")};
    envoy_dynamic_module_callback_http_filter_config_define_counter(ce, MB("test_hits"), labels, 2, &c->hits);
    envoy_dynamic_module_callback_http_filter_config_define_histogram(ce, MB("test_sizes"), NULL, 0, &c->sized);
    envoy_dynamic_module_callback_http_filter_config_define_gauge(ce, MB("test_active"), NULL, 0, &c->latency);
  }
  return c;
}

EXPORT void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr c) {
  const config* cfg = (const config*)c;
  if (cfg->config_scheduler) envoy_dynamic_module_callback_http_filter_config_scheduler_delete(cfg->config_scheduler);
  free((void*)c);
}

EXPORT envoy_dynamic_module_type_http_filter_module_ptr envoy_dynamic_module_on_http_filter_new(
    envoy_dynamic_module_type_http_filter_config_module_ptr c, envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  stream* s = calloc(1, sizeof *s);
  s->cfg = (config*)c;
  s->fe = fe;
  if (s->cfg->kind == LIFECYCLE) record("new");
  return s;
}

static void* commit_later(void* p) {
  /* A thread the host knows nothing about, like a .NET thread-pool thread. */
  struct timespec ts = {0, 20 * 1000 * 1000};
  nanosleep(&ts, NULL);
  envoy_dynamic_module_callback_http_filter_scheduler_commit(p, 7);
  return NULL;
}

static void* commit_response_later(void* p) {
  struct timespec ts = {0, 10 * 1000 * 1000};
  nanosleep(&ts, NULL);
  envoy_dynamic_module_callback_http_filter_scheduler_commit(p, 9);
  return NULL;
}

static envoy_dynamic_module_type_on_http_filter_request_headers_status header_ops(stream* s) {
  envoy_dynamic_module_type_http_filter_envoy_ptr fe = s->fe;
  const envoy_dynamic_module_type_http_header_type RQ = envoy_dynamic_module_type_http_header_type_RequestHeader;
  size_t count = 0;
  envoy_dynamic_module_type_envoy_buffer v = {0};
  envoy_dynamic_module_callback_http_get_header(fe, RQ, MB("X-Multi"), &v, 1, &count);
  char second[64] = {0};
  if (v.ptr) memcpy(second, v.ptr, v.length < 63 ? v.length : 63);
  set_req_num(fe, "x-count", count);
  set_req(fe, "x-second", second);
  envoy_dynamic_module_type_envoy_buffer all[8];
  char joined[128] = {0};
  if (count <= 8 && envoy_dynamic_module_callback_http_get_header_values(fe, RQ, MB("x-multi"), all)) {
    for (size_t i = 0; i < count; ++i) {
      strncat(joined, all[i].ptr, all[i].length);
      if (i + 1 < count) strcat(joined, ",");
    }
  }
  set_req(fe, "x-joined", joined);
  envoy_dynamic_module_callback_http_get_header(fe, RQ, MB(":path"), &v, 0, NULL);
  char path[128] = {0};
  if (v.ptr) memcpy(path, v.ptr, v.length < 127 ? v.length : 127);
  set_req(fe, "x-path-seen", path);
  envoy_dynamic_module_callback_http_get_header(fe, RQ, MB("x-absent"), &v, 0, &count);
  set_req(fe, "x-absent-null", v.ptr == NULL && count == 0 ? "yes" : "no");
  set_req(fe, "x-replace", "new");
  envoy_dynamic_module_callback_http_set_header(fe, RQ, MB("x-remove"),
                                                (envoy_dynamic_module_type_module_buffer){NULL, 0});
  envoy_dynamic_module_callback_http_add_header(fe, RQ, MB("X-Added"), MB("a"));
  envoy_dynamic_module_callback_http_add_header(fe, RQ, MB("x-added"), MB("b"));
  envoy_dynamic_module_type_envoy_buffer addr = {0};
  uint64_t port = 0;
  if (envoy_dynamic_module_callback_http_filter_get_attribute_string(
          fe, envoy_dynamic_module_type_attribute_id_SourceAddress, &addr)) {
    char a[64] = {0};
    memcpy(a, addr.ptr, addr.length < 63 ? addr.length : 63);
    set_req(fe, "x-source", a);
  }
  if (envoy_dynamic_module_callback_http_filter_get_attribute_int(fe, envoy_dynamic_module_type_attribute_id_SourcePort,
                                                                  &port))
    set_req_num(fe, "x-source-port", port);
  set_req_num(fe, "x-size", envoy_dynamic_module_callback_http_get_headers_size(fe, RQ));
  /* dynamic metadata, filter state, logging */
  envoy_dynamic_module_callback_http_set_dynamic_metadata_string(fe, MB("envoyext"), MB("user"), MB("alice"));
  envoy_dynamic_module_callback_http_set_dynamic_metadata_number(fe, MB("envoyext"), MB("n"), 2.5);
  envoy_dynamic_module_type_envoy_buffer md = {0};
  double num = 0;
  char mdv[64] = {0};
  if (envoy_dynamic_module_callback_http_get_metadata_string(fe, envoy_dynamic_module_type_metadata_source_Dynamic,
                                                             MB("envoyext"), MB("user"), &md))
    memcpy(mdv, md.ptr, md.length < 63 ? md.length : 63);
  if (envoy_dynamic_module_callback_http_get_metadata_number(fe, envoy_dynamic_module_type_metadata_source_Dynamic,
                                                             MB("envoyext"), MB("n"), &num))
    snprintf(mdv + strlen(mdv), sizeof mdv - strlen(mdv), "/%.1f", num);
  set_req(fe, "x-md", mdv);
  set_req(fe, "x-md-route",
          envoy_dynamic_module_callback_http_get_metadata_string(fe, envoy_dynamic_module_type_metadata_source_Route,
                                                                 MB("envoyext"), MB("user"), &md)
              ? "present"
              : "absent");
  envoy_dynamic_module_callback_http_set_filter_state_bytes(fe, MB("fs.key"), MB("fs-value"));
  envoy_dynamic_module_type_envoy_buffer fs = {0};
  char fsv[32] = {0};
  if (envoy_dynamic_module_callback_http_get_filter_state_bytes(fe, MB("fs.key"), &fs))
    memcpy(fsv, fs.ptr, fs.length < 31 ? fs.length : 31);
  set_req(fe, "x-fs", fsv);
  envoy_dynamic_module_callback_log_v2(envoy_dynamic_module_type_log_level_Info, MB("header_ops ran"),
                                       MB("test_filters.c"), 7);
  set_req_num(fe, "x-debug-enabled",
              envoy_dynamic_module_callback_log_enabled(envoy_dynamic_module_type_log_level_Debug));
  set_req_num(fe, "x-log-level", (unsigned long)envoy_dynamic_module_callback_get_log_level());
  set_req_num(fe, "x-concurrency", envoy_dynamic_module_callback_get_concurrency());
  const char* route_cfg = envoy_dynamic_module_callback_get_most_specific_route_config(fe);
  set_req(fe, "x-route-config", route_cfg ? route_cfg : "none");
  envoy_dynamic_module_type_envoy_buffer rn = {0};
  if (envoy_dynamic_module_callback_http_filter_get_attribute_string(
          fe, envoy_dynamic_module_type_attribute_id_XdsRouteName, &rn)) {
    char r[64] = {0};
    memcpy(r, rn.ptr, rn.length < 63 ? rn.length : 63);
    set_req(fe, "x-route-name", r);
  }
  return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_headers_status
envoy_dynamic_module_on_http_filter_request_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                    envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  stream* s = (stream*)fm;
  (void)eos;
  switch (s->cfg->kind) {
    case HEADER_OPS:
      return header_ops(s);
    case SECRET: {
      envoy_dynamic_module_type_envoy_buffer v = {NULL, 0};
      if (envoy_dynamic_module_callback_http_filter_get_generic_secret(fe, s->cfg->secret_id, &v)) {
        envoy_dynamic_module_callback_http_set_header(fe, envoy_dynamic_module_type_http_header_type_RequestHeader,
                                                      MB("x-secret"),
                                                      (envoy_dynamic_module_type_module_buffer){v.ptr, v.length});
      }
      size_t late =
          envoy_dynamic_module_callback_http_filter_config_generic_secret_subscribe(s->cfg->ce, MB("api-key"), MB(""));
      set_req_num(fe, "x-late-subscribe", (unsigned long)late);
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
    }
    case STOP_RESUME: {
      s->scheduler = envoy_dynamic_module_callback_http_filter_scheduler_new(fe);
      pthread_t t;
      pthread_create(&t, NULL, commit_later, s->scheduler);
      pthread_detach(t);
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopAllIterationAndBuffer;
    }
    case DENY: {
      envoy_dynamic_module_type_module_http_header h[1] = {{"x-denied-by", 11, "deny", 4}};
      envoy_dynamic_module_callback_http_send_response(fe, 403, h, 1, MB("go away"), MB("denied_by_test"));
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
    }
    case CALLOUT: {
      envoy_dynamic_module_type_module_http_header h[4] = {
          {":method", 7, "POST", 4}, {":path", 5, "/check", 6}, {":authority", 10, "authz", 5}, {"x-q", 3, "1", 1}};
      uint64_t id = 0;
      envoy_dynamic_module_type_http_callout_init_result r = envoy_dynamic_module_callback_http_filter_http_callout(
          fe, &id, MB(s->cfg->cluster), h, s->cfg->bare_headers ? 1 : 4, MB("payload"), s->cfg->timeout_ms);
      if (r != envoy_dynamic_module_type_http_callout_init_result_Success) {
        char details[32];
        snprintf(details, sizeof details, "callout_init_%d", (int)r);
        envoy_dynamic_module_callback_http_send_response(fe, 503, NULL, 0, MB(""), MB(details));
        return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
      }
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopAllIterationAndWatermark;
    }
    case METRICS: {
      size_t id = 0;
      envoy_dynamic_module_type_metrics_result late =
          envoy_dynamic_module_callback_http_filter_config_define_counter(s->cfg->ce, MB("late"), NULL, 0, &id);
      set_req_num(fe, "x-define-late", (unsigned long)late);
      envoy_dynamic_module_type_module_buffer lv[2] = {MB("api"), MB("ok")};
      envoy_dynamic_module_callback_http_filter_increment_counter(fe, s->cfg->hits, lv, 2, 1);
      envoy_dynamic_module_type_metrics_result bad =
          envoy_dynamic_module_callback_http_filter_increment_counter(fe, s->cfg->hits, lv, 1, 1);
      set_req_num(fe, "x-bad-labels", (unsigned long)bad);
      envoy_dynamic_module_type_metrics_result missing =
          envoy_dynamic_module_callback_http_filter_increment_counter(fe, 99, NULL, 0, 1);
      set_req_num(fe, "x-missing", (unsigned long)missing);
      envoy_dynamic_module_callback_http_filter_record_histogram_value(fe, s->cfg->sized, NULL, 0, 40);
      envoy_dynamic_module_callback_http_filter_record_histogram_value(fe, s->cfg->sized, NULL, 0, 2);
      envoy_dynamic_module_callback_http_filter_increment_gauge(fe, s->cfg->latency, NULL, 0, 5);
      envoy_dynamic_module_callback_http_filter_decrement_gauge(fe, s->cfg->latency, NULL, 0, 2);
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
    }
    case LIFECYCLE: {
      record("request_headers");
      envoy_dynamic_module_callback_http_send_response(fe, 200, NULL, 0, MB("done"), MB("lifecycle"));
      /* The reply completed the stream; destroy must not have run inside that call. */
      record(destroyed ? "destroyed_inside_send_response" : "alive_after_send_response");
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
    }
    case WATCH_BODY:
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
    case BODY_UPPER:
      /* Hold the headers until the body is complete, so they can still be edited then. */
      return eos ? envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue
                 : envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
    default:
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  }
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_body_status envoy_dynamic_module_on_http_filter_request_body(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  stream* s = (stream*)fm;
  if (s->cfg->kind == WATCH_BODY) {
    set_req(fe, "x-seen-body-before-headers-passed", "yes");
    return envoy_dynamic_module_type_on_http_filter_request_body_status_Continue;
  }
  if (s->cfg->kind != BODY_UPPER) return envoy_dynamic_module_type_on_http_filter_request_body_status_Continue;
  if (!eos) return envoy_dynamic_module_type_on_http_filter_request_body_status_StopIterationAndBuffer;
  /* Last frame: whole body = buffered frames + this received frame. */
  char whole[4096];
  size_t n = 0;
  const envoy_dynamic_module_type_http_body_type kinds[2] = {
      envoy_dynamic_module_type_http_body_type_BufferedRequestBody,
      envoy_dynamic_module_type_http_body_type_ReceivedRequestBody};
  for (int k = 0; k < 2; ++k) {
    size_t chunks = envoy_dynamic_module_callback_http_get_body_chunks_size(fe, kinds[k]);
    envoy_dynamic_module_type_envoy_buffer parts[16];
    if (chunks > 16) chunks = 16;
    envoy_dynamic_module_callback_http_get_body_chunks(fe, kinds[k], parts);
    for (size_t i = 0; i < chunks; ++i) {
      for (size_t j = 0; j < parts[i].length && n < sizeof whole; ++j) whole[n++] = (char)toupper(parts[i].ptr[j]);
    }
  }
  set_req_num(fe, "x-buffered-size",
              envoy_dynamic_module_callback_http_get_body_size(
                  fe, envoy_dynamic_module_type_http_body_type_BufferedRequestBody));
  for (int k = 0; k < 2; ++k)
    envoy_dynamic_module_callback_http_drain_body(fe, kinds[k],
                                                  envoy_dynamic_module_callback_http_get_body_size(fe, kinds[k]));
  envoy_dynamic_module_callback_http_append_body(fe, envoy_dynamic_module_type_http_body_type_ReceivedRequestBody,
                                                 (envoy_dynamic_module_type_module_buffer){whole, n});
  return envoy_dynamic_module_type_on_http_filter_request_body_status_Continue;
}

EXPORT envoy_dynamic_module_type_on_http_filter_request_trailers_status
envoy_dynamic_module_on_http_filter_request_trailers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                     envoy_dynamic_module_type_http_filter_module_ptr fm) {
  stream* s = (stream*)fm;
  if (s->cfg->kind == HEADER_OPS)
    envoy_dynamic_module_callback_http_add_header(fe, envoy_dynamic_module_type_http_header_type_RequestTrailer,
                                                  MB("x-t2"), MB("added"));
  return envoy_dynamic_module_type_on_http_filter_request_trailers_status_Continue;
}

EXPORT envoy_dynamic_module_type_on_http_filter_response_headers_status
envoy_dynamic_module_on_http_filter_response_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                     envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) {
  stream* s = (stream*)fm;
  (void)eos;
  if (s->cfg->kind == DENY || s->cfg->kind == HEADER_OPS) {
    envoy_dynamic_module_type_envoy_buffer st = {0};
    envoy_dynamic_module_callback_http_get_header(fe, envoy_dynamic_module_type_http_header_type_ResponseHeader,
                                                  MB(":status"), &st, 0, NULL);
    char status[8] = {0};
    if (st.ptr) memcpy(status, st.ptr, st.length < 7 ? st.length : 7);
    envoy_dynamic_module_callback_http_add_header(fe, envoy_dynamic_module_type_http_header_type_ResponseHeader,
                                                  MB("x-encoded-status"), MB(status));
  }
  if (s->cfg->kind == LIFECYCLE) record("response_headers");
  if (s->cfg->kind == RESP_HOLD) {
    s->scheduler = envoy_dynamic_module_callback_http_filter_scheduler_new(fe);
    pthread_t t;
    pthread_create(&t, NULL, commit_response_later, s->scheduler);
    pthread_detach(t);
    return envoy_dynamic_module_type_on_http_filter_response_headers_status_StopAllIterationAndBuffer;
  }
  return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;
}

ENVOYEXT_PASSTHROUGH_RESPONSE_BODY

ENVOYEXT_PASSTHROUGH_RESPONSE_TRAILERS

EXPORT void envoy_dynamic_module_on_http_filter_stream_complete(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                                envoy_dynamic_module_type_http_filter_module_ptr fm) {
  (void)fe;
  stream* s = (stream*)fm;
  if (s->cfg->kind == LIFECYCLE) {
    in_stream_complete = 1;
    record("stream_complete");
    in_stream_complete = 0;
  }
}

EXPORT void envoy_dynamic_module_on_http_filter_destroy(envoy_dynamic_module_type_http_filter_module_ptr fm) {
  stream* s = (stream*)fm;
  if (s->cfg->kind == LIFECYCLE) {
    record(in_stream_complete ? "destroy_nested" : "destroy");
    destroyed = 1;
  }
  if (s->scheduler) envoy_dynamic_module_callback_http_filter_scheduler_delete(s->scheduler);
  free(s);
}

EXPORT envoy_dynamic_module_type_on_http_filter_local_reply_status envoy_dynamic_module_on_http_filter_local_reply(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint32_t code, envoy_dynamic_module_type_envoy_buffer details, bool reset_imminent) {
  (void)fe, (void)reset_imminent;
  stream* s = (stream*)fm;
  if (s->cfg->kind == LIFECYCLE || s->cfg->kind == DENY) {
    char e[96];
    snprintf(e, sizeof e, "local_reply:%u:%.*s", code, (int)details.length, details.ptr);
    record(e);
  }
  return envoy_dynamic_module_type_on_http_filter_local_reply_status_Continue;
}

EXPORT void envoy_dynamic_module_on_http_filter_scheduled(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                          envoy_dynamic_module_type_http_filter_module_ptr fm,
                                                          uint64_t event_id) {
  (void)fm;
  if (event_id == 9) {
    envoy_dynamic_module_callback_http_set_header(fe, envoy_dynamic_module_type_http_header_type_ResponseHeader,
                                                  MB("x-resp-scheduled"), MB("9"));
    envoy_dynamic_module_callback_http_filter_continue_encoding(fe);
    return;
  }
  set_req_num(fe, "x-scheduled", event_id);
  set_req_num(fe, "x-worker", envoy_dynamic_module_callback_http_filter_get_worker_index(fe));
  envoy_dynamic_module_callback_http_filter_continue_decoding(fe);
}

EXPORT void envoy_dynamic_module_on_http_filter_http_callout_done(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm,
    uint64_t id, envoy_dynamic_module_type_http_callout_result result,
    envoy_dynamic_module_type_envoy_http_header* headers, size_t headers_size,
    envoy_dynamic_module_type_envoy_buffer* body, size_t body_size) {
  (void)fm;
  set_req_num(fe, "x-callout-id", id);
  set_req_num(fe, "x-callout-result", (unsigned long)result);
  for (size_t i = 0; i < headers_size; ++i) {
    if (headers[i].key_length == 7 && memcmp(headers[i].key_ptr, ":status", 7) == 0) {
      char st[8] = {0};
      memcpy(st, headers[i].value_ptr, headers[i].value_length < 7 ? headers[i].value_length : 7);
      set_req(fe, "x-callout-status", st);
    }
  }
  char b[256] = {0};
  size_t n = 0;
  for (size_t i = 0; i < body_size; ++i) {
    size_t take = body[i].length < sizeof b - 1 - n ? body[i].length : sizeof b - 1 - n;
    memcpy(b + n, body[i].ptr, take);
    n += take;
  }
  set_req(fe, "x-callout-body", b);
  envoy_dynamic_module_callback_http_filter_continue_decoding(fe);
}

/* Streaming-callout and watermark hooks: native/module_support (see tests/CMakeLists.txt). */

/* Per-route config: the config text itself, so a test can check which one the stream saw. */
EXPORT envoy_dynamic_module_type_http_filter_per_route_config_module_ptr
envoy_dynamic_module_on_http_filter_per_route_config_new(envoy_dynamic_module_type_envoy_buffer name,
                                                         envoy_dynamic_module_type_envoy_buffer config) {
  (void)name;
  char* copy = calloc(1, config.length + 1);
  memcpy(copy, config.ptr, config.length);
  return copy;
}
EXPORT void envoy_dynamic_module_on_http_filter_per_route_config_destroy(
    envoy_dynamic_module_type_http_filter_per_route_config_module_ptr c) {
  free((void*)c);
}
