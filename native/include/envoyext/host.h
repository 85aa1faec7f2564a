/*
 * C API of the EnvoyExt ABI host (libenvoyext_host.so), for tests written in C++ and C# and for the
 * envoyext-host CLI. A host stands in for one Envoy 1.40 process: a main thread, N workers with
 * event loops, loaded dynamic modules, one HTTP filter chain, routes and callout clusters.
 *
 * Threading: call these functions from one controlling thread (not from module hooks).
 * Strings returned as `char*` are owned by the caller: free them with envoyext_string_free.
 * Strings returned as `const char*` live as long as the object they came from.
 */
#ifndef ENVOYEXT_HOST_H
#define ENVOYEXT_HOST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct envoyext_host envoyext_host;
typedef struct envoyext_request envoyext_request;
typedef struct envoyext_result envoyext_result;

typedef struct envoyext_host_options {
  uint32_t workers;           /* worker threads; 0 = 1 */
  uint64_t stream_timeout_ms; /* idle stream timeout (Envoy answers 408); 0 = default 10000 */
  int install_crash_handlers; /* 1 = install fatal-signal handlers (do not in a .NET process) */
} envoyext_host_options;

/* ---- host lifecycle and configuration; int results: 0 = success, -1 = failure (see last_error) */
envoyext_host* envoyext_host_create(const envoyext_host_options* options /* NULL = defaults */);
void envoyext_host_destroy(envoyext_host* host);
const char* envoyext_host_last_error(const envoyext_host* host);

int envoyext_host_add_cluster(envoyext_host* host, const char* name, const char* address /* "host:port" */);
/* Loads lib<name>.so as Envoy does (ENVOY_DYNAMIC_MODULES_SEARCH_PATH, RTLD_NOW, ...). */
int envoyext_host_load_module(envoyext_host* host, const char* name, int do_not_close);
/* The version string program init returned, or NULL if the module is not loaded. */
const char* envoyext_host_module_abi_version(envoyext_host* host, const char* name);
int envoyext_host_module_version_matched(envoyext_host* host, const char* name);
/* config_new on the main thread; -1 when the module rejects the config (filter not added). */
int envoyext_host_add_filter(envoyext_host* host, const char* module, const char* filter_name, const char* config,
                             size_t config_length);
/* Returns the route index (first match by :path prefix wins), or -1. */
int envoyext_host_add_route(envoyext_host* host, const char* name, const char* prefix);
int envoyext_host_set_route_filter_config(envoyext_host* host, int route_index, const char* module,
                                          const char* filter_name, const char* config, size_t config_length);

/* ---- requests */
envoyext_request* envoyext_request_create(void);
void envoyext_request_destroy(envoyext_request* request);
void envoyext_request_add_header(envoyext_request* request, const char* name, const char* value);
void envoyext_request_add_body(envoyext_request* request, const char* data, size_t length); /* one data frame */
void envoyext_request_add_trailer(envoyext_request* request, const char* name, const char* value);
void envoyext_request_set_source_address(envoyext_request* request, const char* address /* "ip:port" */);
void envoyext_request_set_upstream_status(envoyext_request* request, uint32_t status);
void envoyext_request_add_upstream_header(envoyext_request* request, const char* name, const char* value);
void envoyext_request_add_upstream_body(envoyext_request* request, const char* data, size_t length);
void envoyext_request_add_upstream_trailer(envoyext_request* request, const char* name, const char* value);
void envoyext_request_set_upstream_delay_ms(envoyext_request* request, uint64_t delay_ms);

/* Runs one request to completion on `worker` (-1 = round robin). Never NULL. */
envoyext_result* envoyext_host_run(envoyext_host* host, const envoyext_request* request, int worker);
/* Runs `count` requests concurrently; results[i] belongs to requests[i]. */
void envoyext_host_run_many(envoyext_host* host, const envoyext_request* const* requests, size_t count,
                            envoyext_result** results);

/* ---- results */
void envoyext_result_destroy(envoyext_result* result);
uint32_t envoyext_result_worker(const envoyext_result* result);
uint32_t envoyext_result_local_reply_status(const envoyext_result* result); /* 0 = no local reply */
const char* envoyext_result_local_reply_body(const envoyext_result* result);
const char* envoyext_result_local_reply_details(const envoyext_result* result);
int envoyext_result_sent_upstream(const envoyext_result* result);
const char* envoyext_result_upstream_header(const envoyext_result* result, const char* name); /* first value */
const char* envoyext_result_upstream_body(const envoyext_result* result);
uint32_t envoyext_result_downstream_status(const envoyext_result* result); /* 0 = nothing sent */
const char* envoyext_result_downstream_header(const envoyext_result* result, const char* name);
const char* envoyext_result_downstream_body(const envoyext_result* result);
int envoyext_result_reset(const envoyext_result* result);
/* The result as in docs/abi-host.md ("results" entry). */
char* envoyext_result_json(const envoyext_result* result);

/* ---- observability */
/* type: "counter" | "gauge" | "histogram". label_values may be NULL when count is 0. Missing = 0. */
uint64_t envoyext_host_metric_value(envoyext_host* host, const char* type, const char* name,
                                    const char* const* label_values, size_t label_count);
char* envoyext_host_metrics_json(envoyext_host* host);
char* envoyext_host_logs_json(envoyext_host* host);

/* ---- whole scenarios (what `envoyext-host run` does): returns the result document, or
 * {"error": "..."} naming the bad field. */
char* envoyext_run_scenario_json(const char* scenario_json, size_t length);

void envoyext_string_free(char* s);

#ifdef __cplusplus
}
#endif

#endif /* ENVOYEXT_HOST_H */
