// The C API (include/envoyext/host.h) over the C++ Host.
#include "envoyext/host.h"

#include <cstdlib>
#include <cstring>
#include <future>
#include <map>
#include <string>

#include "header_map.h"
#include "host.h"
#include "result_json.h"
#include "scenario.h"

using namespace envoyext::host;

struct envoyext_host {
  std::unique_ptr<Host> host;
  std::string last_error;
  std::map<std::string, ModuleInfo> modules;
};
struct envoyext_request {
  RequestSpec spec;
};
struct envoyext_result {
  RequestResult r;
};

namespace {
char* dup(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}
const char* first(const HeaderList& h, const char* name) {
  std::string key = HeaderMap::lower(name ? name : "");
  for (const auto& [k, v] : h) {
    if (k == key) return v.c_str();
  }
  return nullptr;
}
int fail(envoyext_host* h, std::string error) {
  h->last_error = std::move(error);
  return -1;
}
}  // namespace

extern "C" {

envoyext_host* envoyext_host_create(const envoyext_host_options* o) {
  HostOptions options;
  if (o != nullptr) {
    options.workers = o->workers == 0 ? 1 : o->workers;
    if (o->stream_timeout_ms != 0) options.stream_timeout_ms = o->stream_timeout_ms;
    options.install_crash_handlers = o->install_crash_handlers != 0;
  }
  auto* h = new envoyext_host;
  h->host = std::make_unique<Host>(options);
  return h;
}

void envoyext_host_destroy(envoyext_host* h) { delete h; }

const char* envoyext_host_last_error(const envoyext_host* h) { return h ? h->last_error.c_str() : ""; }

int envoyext_host_add_cluster(envoyext_host* h, const char* name, const char* address) {
  std::string error;
  if (!h->host->add_cluster(name ? name : "", address ? address : "", error)) return fail(h, error);
  return 0;
}

int envoyext_host_load_module(envoyext_host* h, const char* name, int do_not_close) {
  LoadOptions opts;
  opts.do_not_close = do_not_close != 0;
  ModuleInfo info;
  h->host->load_module(name ? name : "", opts, &info);
  h->modules[name ? name : ""] = info;
  if (!info.loaded) return fail(h, info.error);
  return 0;
}

const char* envoyext_host_module_abi_version(envoyext_host* h, const char* name) {
  auto it = h->modules.find(name ? name : "");
  return it == h->modules.end() || !it->second.loaded ? nullptr : it->second.abi_version.c_str();
}

int envoyext_host_module_version_matched(envoyext_host* h, const char* name) {
  auto it = h->modules.find(name ? name : "");
  return it != h->modules.end() && it->second.version_matched ? 1 : 0;
}

int envoyext_host_add_filter(envoyext_host* h, const char* module, const char* filter_name, const char* config,
                             size_t len) {
  std::string error;
  auto cfg = h->host->create_filter_config(module ? module : "", filter_name ? filter_name : "",
                                           std::string(config ? config : "", config ? len : 0), error);
  if (!cfg) return fail(h, error);
  h->host->add_filter(cfg);
  return 0;
}

int envoyext_host_add_route(envoyext_host* h, const char* name, const char* prefix) {
  return static_cast<int>(h->host->add_route(name ? name : "", prefix ? prefix : "/"));
}

int envoyext_host_set_route_filter_config(envoyext_host* h, int route, const char* module, const char* filter_name,
                                          const char* config, size_t len) {
  std::string error;
  if (route < 0) return fail(h, "route index must be >= 0");
  if (!h->host->set_route_filter_config(static_cast<size_t>(route), module ? module : "",
                                        filter_name ? filter_name : "",
                                        std::string(config ? config : "", config ? len : 0), error))
    return fail(h, error);
  return 0;
}

envoyext_request* envoyext_request_create(void) { return new envoyext_request; }
void envoyext_request_destroy(envoyext_request* r) { delete r; }
void envoyext_request_add_header(envoyext_request* r, const char* n, const char* v) {
  r->spec.headers.emplace_back(n ? n : "", v ? v : "");
}
void envoyext_request_add_body(envoyext_request* r, const char* d, size_t len) {
  r->spec.body.emplace_back(d ? d : "", d ? len : 0);
}
void envoyext_request_add_trailer(envoyext_request* r, const char* n, const char* v) {
  if (!r->spec.trailers) r->spec.trailers.emplace();
  r->spec.trailers->emplace_back(n ? n : "", v ? v : "");
}
void envoyext_request_set_source_address(envoyext_request* r, const char* a) { r->spec.source_address = a ? a : ""; }
void envoyext_request_set_upstream_status(envoyext_request* r, uint32_t s) { r->spec.upstream.status = s; }
void envoyext_request_add_upstream_header(envoyext_request* r, const char* n, const char* v) {
  r->spec.upstream.headers.emplace_back(n ? n : "", v ? v : "");
}
void envoyext_request_add_upstream_body(envoyext_request* r, const char* d, size_t len) {
  r->spec.upstream.body.emplace_back(d ? d : "", d ? len : 0);
}
void envoyext_request_add_upstream_trailer(envoyext_request* r, const char* n, const char* v) {
  if (!r->spec.upstream.trailers) r->spec.upstream.trailers.emplace();
  r->spec.upstream.trailers->emplace_back(n ? n : "", v ? v : "");
}
void envoyext_request_set_upstream_delay_ms(envoyext_request* r, uint64_t d) { r->spec.upstream.delay_ms = d; }

envoyext_result* envoyext_host_run(envoyext_host* h, const envoyext_request* r, int worker) {
  return new envoyext_result{h->host->run(r->spec, worker)};
}

void envoyext_host_run_many(envoyext_host* h, const envoyext_request* const* requests, size_t count,
                            envoyext_result** results) {
  std::vector<std::promise<RequestResult>> promises(count);
  for (size_t i = 0; i < count; ++i) {
    h->host->start(std::make_shared<RequestSpec>(requests[i]->spec), -1,
                   [&promises, i](RequestResult&& r) { promises[i].set_value(std::move(r)); });
  }
  for (size_t i = 0; i < count; ++i) results[i] = new envoyext_result{promises[i].get_future().get()};
}

void envoyext_result_destroy(envoyext_result* r) { delete r; }
uint32_t envoyext_result_worker(const envoyext_result* r) { return r->r.worker; }
uint32_t envoyext_result_local_reply_status(const envoyext_result* r) {
  return r->r.local_reply ? r->r.local_reply->status : 0;
}
const char* envoyext_result_local_reply_body(const envoyext_result* r) {
  return r->r.local_reply ? r->r.local_reply->body.c_str() : nullptr;
}
const char* envoyext_result_local_reply_details(const envoyext_result* r) {
  return r->r.local_reply ? r->r.local_reply->details.c_str() : nullptr;
}
int envoyext_result_sent_upstream(const envoyext_result* r) { return r->r.upstream_request ? 1 : 0; }
const char* envoyext_result_upstream_header(const envoyext_result* r, const char* name) {
  return r->r.upstream_request ? first(r->r.upstream_request->headers, name) : nullptr;
}
const char* envoyext_result_upstream_body(const envoyext_result* r) {
  return r->r.upstream_request ? r->r.upstream_request->body.c_str() : nullptr;
}
uint32_t envoyext_result_downstream_status(const envoyext_result* r) {
  return r->r.downstream_response ? r->r.downstream_response->status : 0;
}
const char* envoyext_result_downstream_header(const envoyext_result* r, const char* name) {
  return r->r.downstream_response ? first(r->r.downstream_response->headers, name) : nullptr;
}
const char* envoyext_result_downstream_body(const envoyext_result* r) {
  return r->r.downstream_response ? r->r.downstream_response->body.c_str() : nullptr;
}
int envoyext_result_reset(const envoyext_result* r) { return r->r.reset ? 1 : 0; }
char* envoyext_result_json(const envoyext_result* r) { return dup(result_to_json(r->r, 0).dump()); }

uint64_t envoyext_host_metric_value(envoyext_host* h, const char* type, const char* name, const char* const* labels,
                                    size_t n) {
  std::string t = type ? type : "";
  MetricKind kind = t == "gauge" ? MetricKind::Gauge : t == "histogram" ? MetricKind::Histogram : MetricKind::Counter;
  Metric* m = h->host->metrics().find(kind, name ? name : "");
  if (m == nullptr) return 0;
  std::vector<std::string> values;
  for (size_t i = 0; i < n; ++i) values.emplace_back(labels[i] ? labels[i] : "");
  return m->value(values);
}

char* envoyext_host_metrics_json(envoyext_host* h) {
  return dup(metrics_to_json(h->host->metrics().snapshot()).dump());
}
char* envoyext_host_logs_json(envoyext_host* h) { return dup(logs_to_json(h->host->logs().snapshot()).dump()); }

char* envoyext_run_scenario_json(const char* text, size_t len) {
  try {
    auto doc = nlohmann::json::parse(std::string(text ? text : "", text ? len : 0));
    return dup(run_scenario(doc).dump());
  } catch (const nlohmann::json::exception& e) {
    return dup(nlohmann::json{{"error", std::string("scenario: invalid JSON: ") + e.what()}}.dump());
  } catch (const std::exception& e) {
    return dup(nlohmann::json{{"error", e.what()}}.dump());
  }
}

void envoyext_string_free(char* s) { std::free(s); }

}  // extern "C"
