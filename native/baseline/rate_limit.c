/* rate_limit: the smallest honest equivalent of EnvoyExt's rate-limit filter, for benchmarks.
 * One global bucket shared by every worker: a single 64-bit atomic holding (window, used), so a
 * decision is one load and one compare-and-swap, lock-free.
 * Config: {"requests":N,"unit":"Second"} (unit Second|Minute|Hour|Day), optionally
 * "header":"x-user","value":"bench-user" = only requests whose header equals the value count.
 * Per request it makes the same kinds of Envoy calls as the C# filter (route-config lookup, one
 * header read, a counter labelled (policy, rule), three x-ratelimit-* response headers), so the
 * benchmark compares the languages, not different amounts of work. Limited requests get 429 +
 * x-envoy-ratelimited. */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "envoy_callbacks.h"
#include "filters.h"

typedef struct rate_limit_config {
  cbaseline_config base;
  uint64_t requests;
  uint64_t unit_seconds;
  _Atomic uint64_t state; /* high 32 bits: window number, low 32 bits: requests used in it */
  size_t allowed_counter;
  size_t limited_counter;
  char header[64]; /* empty = every request matches */
  char value[128];
  size_t header_len, value_len;
} rate_limit_config;

typedef struct rate_limit_stream {
  rate_limit_config* config;
  uint64_t remaining;
  uint64_t reset_seconds;
  int counted; /* 0 = selector did not match: no rate-limit headers */
} rate_limit_stream;

/* Finds "key": in a flat JSON object and returns a pointer just after the colon, or NULL. */
static const char* find_key(const char* json, size_t length, const char* key) {
  size_t klen = strlen(key);
  for (size_t i = 0; i + klen + 2 < length; ++i) {
    if (json[i] == '"' && memcmp(json + i + 1, key, klen) == 0 && json[i + 1 + klen] == '"') {
      const char* p = json + i + klen + 2;
      while (p < json + length && (*p == ' ' || *p == ':')) ++p;
      return p;
    }
  }
  return NULL;
}

/* Copies the JSON string value at p (just after the colon) into out; returns its length or -1. */
static long copy_string(const char* p, const char* end, char* out, size_t cap) {
  if (p >= end || *p != '"') return -1;
  ++p;
  size_t n = 0;
  while (p < end && *p != '"') {
    if (n + 1 >= cap) return -1;
    out[n++] = *p++;
  }
  if (p >= end) return -1;
  out[n] = 0;
  return (long)n;
}

static cbaseline_config* rate_limit_config_new(envoy_dynamic_module_type_http_filter_config_envoy_ptr envoy_config,
                                               const char* json, size_t length) {
  const char* requests = find_key(json, length, "requests");
  if (requests == NULL || *requests < '1' || *requests > '9') {
    cbaseline_log_error("rate_limit: field 'requests' must be a positive integer");
    return NULL;
  }
  const char* unit = find_key(json, length, "unit");
  uint64_t unit_seconds = 1;
  if (unit != NULL) {
    if (strncmp(unit, "\"Second\"", 8) == 0)
      unit_seconds = 1;
    else if (strncmp(unit, "\"Minute\"", 8) == 0)
      unit_seconds = 60;
    else if (strncmp(unit, "\"Hour\"", 6) == 0)
      unit_seconds = 3600;
    else if (strncmp(unit, "\"Day\"", 5) == 0)
      unit_seconds = 86400;
    else {
      cbaseline_log_error("rate_limit: field 'unit' must be one of Second, Minute, Hour, Day");
      return NULL;
    }
  }
  rate_limit_config* c = calloc(1, sizeof *c);
  if (c == NULL) return NULL;
  const char* header = find_key(json, length, "header");
  if (header != NULL) {
    long hn = copy_string(header, json + length, c->header, sizeof c->header);
    const char* value = find_key(json, length, "value");
    long vn = value ? copy_string(value, json + length, c->value, sizeof c->value) : -1;
    if (hn <= 0 || vn < 0) {
      cbaseline_log_error("rate_limit: field 'header' needs a non-empty name and a string 'value'");
      free(c);
      return NULL;
    }
    c->header_len = (size_t)hn;
    c->value_len = (size_t)vn;
  }
  c->base.kind = &cbaseline_rate_limit;
  c->requests = strtoull(requests, NULL, 10);
  if (c->requests > UINT32_MAX) c->requests = UINT32_MAX;
  c->unit_seconds = unit_seconds;
  atomic_init(&c->state, 0);
  envoy_dynamic_module_type_module_buffer allowed = {"rate_limit_allowed", 18};
  envoy_dynamic_module_type_module_buffer limited = {"rate_limit_limited", 18};
  envoy_dynamic_module_type_module_buffer labels[2] = {{"policy", 6}, {"rule", 4}};
  cbaseline_envoy.define_counter(envoy_config, allowed, labels, 2, &c->allowed_counter);
  cbaseline_envoy.define_counter(envoy_config, limited, labels, 2, &c->limited_counter);
  return &c->base;
}

static void rate_limit_config_destroy(cbaseline_config* config) { free(config); }

static const void* rate_limit_filter_new(cbaseline_config* config) {
  rate_limit_stream* s = malloc(sizeof *s);
  if (s == NULL) return NULL;
  s->config = (rate_limit_config*)config;
  s->remaining = 0;
  s->reset_seconds = 0;
  s->counted = 0;
  return s;
}

static void rate_limit_filter_destroy(const void* filter) { free((void*)filter); }

/* Takes one token; returns true when allowed and sets *remaining and *reset (seconds). */
static int take_token(rate_limit_config* c, uint64_t* remaining, uint64_t* reset) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  const uint64_t window = ((uint64_t)ts.tv_sec / c->unit_seconds) & 0xffffffffu;
  *reset = c->unit_seconds - (uint64_t)ts.tv_sec % c->unit_seconds;
  uint64_t old = atomic_load_explicit(&c->state, memory_order_relaxed);
  for (;;) {
    uint64_t used = (old >> 32) == window ? (old & 0xffffffffu) : 0;
    if (used >= c->requests) {
      *remaining = 0;
      return 0;
    }
    uint64_t next = (window << 32) | (used + 1);
    if (atomic_compare_exchange_weak_explicit(&c->state, &old, next, memory_order_relaxed, memory_order_relaxed)) {
      *remaining = c->requests - used - 1;
      return 1;
    }
  }
}

static size_t format_u64(char* buf, uint64_t v) {
  char tmp[24];
  size_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (size_t i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  return n;
}

static envoy_dynamic_module_type_on_http_filter_request_headers_status rate_limit_request_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter, const void* filter) {
  rate_limit_stream* s = (rate_limit_stream*)filter;
  rate_limit_config* c = s->config;
  /* The C# filter looks up its per-route override first; the baseline does too (and has none). */
  (void)cbaseline_envoy.route_config(envoy_filter);
  if (c->header_len > 0) {
    envoy_dynamic_module_type_module_buffer key = {c->header, c->header_len};
    envoy_dynamic_module_type_envoy_buffer got = {NULL, 0};
    cbaseline_envoy.get_header(envoy_filter, envoy_dynamic_module_type_http_header_type_RequestHeader, key, &got, 0,
                               NULL);
    if (got.ptr == NULL || got.length != c->value_len || memcmp(got.ptr, c->value, got.length) != 0)
      return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  }
  s->counted = 1;
  envoy_dynamic_module_type_module_buffer label_values[2] = {{"default", 7}, {"default", 7}};
  if (take_token(c, &s->remaining, &s->reset_seconds)) {
    cbaseline_envoy.increment_counter(envoy_filter, c->allowed_counter, label_values, 2, 1);
    return envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue;
  }
  cbaseline_envoy.increment_counter(envoy_filter, c->limited_counter, label_values, 2, 1);
  envoy_dynamic_module_type_module_http_header headers[2] = {
      {"x-envoy-ratelimited", 19, "true", 4},
      {"x-ratelimit-remaining", 21, "0", 1},
  };
  envoy_dynamic_module_type_module_buffer body = {"local_rate_limited", 18};
  envoy_dynamic_module_type_module_buffer details = {"local_rate_limited", 18};
  cbaseline_envoy.send_response(envoy_filter, 429, headers, 2, body, details);
  return envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration;
}

static envoy_dynamic_module_type_on_http_filter_response_headers_status rate_limit_response_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr envoy_filter, const void* filter) {
  const rate_limit_stream* s = (const rate_limit_stream*)filter;
  if (!s->counted) return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;
  static const envoy_dynamic_module_type_module_buffer keys[3] = {
      {"x-ratelimit-limit", 17}, {"x-ratelimit-remaining", 21}, {"x-ratelimit-reset", 17}};
  const uint64_t values[3] = {s->config->requests, s->remaining, s->reset_seconds};
  for (int i = 0; i < 3; ++i) {
    char value[24];
    envoy_dynamic_module_type_module_buffer val = {value, format_u64(value, values[i])};
    cbaseline_envoy.set_header(envoy_filter, envoy_dynamic_module_type_http_header_type_ResponseHeader, keys[i], val);
  }
  return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;
}

const cbaseline_filter_kind cbaseline_rate_limit = {
    "rate_limit",
    rate_limit_config_new,
    rate_limit_config_destroy,
    rate_limit_filter_new,
    rate_limit_filter_destroy,
    rate_limit_request_headers,
    rate_limit_response_headers,
};
