#include "scenario.h"

#include <condition_variable>
#include <mutex>
#include <tuple>
#include <vector>

#include "host.h"
#include "result_json.h"

namespace envoyext::host {

using nlohmann::json;

namespace {

const json* member(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string get_string(const json& j, const char* key, const std::string& field, const std::string& fallback) {
  const json* v = member(j, key);
  if (v == nullptr) return fallback;
  if (!v->is_string()) throw ScenarioError(field + "." + key + ": expected a string");
  return v->get<std::string>();
}

uint64_t get_uint(const json& j, const char* key, const std::string& field, uint64_t fallback) {
  const json* v = member(j, key);
  if (v == nullptr) return fallback;
  if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<int64_t>() >= 0))
    throw ScenarioError(field + "." + key + ": expected a non-negative integer");
  return v->get<uint64_t>();
}

bool get_bool(const json& j, const char* key, const std::string& field, bool fallback) {
  const json* v = member(j, key);
  if (v == nullptr) return fallback;
  if (!v->is_boolean()) throw ScenarioError(field + "." + key + ": expected true or false");
  return v->get<bool>();
}

std::vector<std::string> get_chunks(const json& j, const char* key, const std::string& field) {
  std::vector<std::string> out;
  const json* v = member(j, key);
  if (v == nullptr) return out;
  if (v->is_string()) {
    out.push_back(v->get<std::string>());
    return out;
  }
  if (!v->is_array()) throw ScenarioError(field + "." + key + ": expected an array of strings");
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) throw ScenarioError(field + "." + key + "[" + std::to_string(i) + "]: expected a string");
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

}  // namespace

HeaderList parse_header_list(const json& j, const std::string& field) {
  if (!j.is_array()) throw ScenarioError(field + ": expected an array of [name, value] pairs");
  HeaderList out;
  for (size_t i = 0; i < j.size(); ++i) {
    const json& p = j[i];
    if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_string())
      throw ScenarioError(field + "[" + std::to_string(i) + "]: expected [name, value] with two strings");
    out.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
  }
  return out;
}

std::string config_bytes(const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

RequestSpec parse_request(const json& j, const std::string& field) {
  if (!j.is_object()) throw ScenarioError(field + ": expected an object");
  RequestSpec r;
  const json* h = member(j, "headers");
  if (h == nullptr) throw ScenarioError(field + ".headers: required");
  r.headers = parse_header_list(*h, field + ".headers");
  r.body = get_chunks(j, "body", field);
  if (const json* t = member(j, "trailers")) {
    r.trailers = parse_header_list(*t, field + ".trailers");
    if (r.trailers->empty()) r.trailers.reset();  // an empty trailer block is no trailer frame
  }
  r.downstream_backpressure = get_bool(j, "downstream_backpressure", field, false);
  r.downstream_stall_ms = get_uint(j, "downstream_stall_ms", field, 0);
  if (r.downstream_stall_ms > 600000) throw ScenarioError(field + ".downstream_stall_ms: at most 600000");
  r.source_address = get_string(j, "source_address", field, r.source_address);
  if (r.source_address.rfind(':') == std::string::npos)
    throw ScenarioError(field + ".source_address: expected \"ip:port\"");
  if (const json* u = member(j, "upstream")) {
    const std::string uf = field + ".upstream";
    if (!u->is_object()) throw ScenarioError(uf + ": expected an object");
    uint64_t status = get_uint(*u, "status", uf, 200);
    if (status < 100 || status > 999) throw ScenarioError(uf + ".status: expected an HTTP status code");
    r.upstream.status = static_cast<uint32_t>(status);
    if (const json* uh = member(*u, "headers")) r.upstream.headers = parse_header_list(*uh, uf + ".headers");
    r.upstream.body = get_chunks(*u, "body", uf);
    if (const json* ut = member(*u, "trailers")) {
      r.upstream.trailers = parse_header_list(*ut, uf + ".trailers");
      if (r.upstream.trailers->empty()) r.upstream.trailers.reset();
    }
    r.upstream.delay_ms = get_uint(*u, "delay_ms", uf, 0);
  }
  return r;
}

json run_scenario(const json& s) {
  if (!s.is_object()) throw ScenarioError("scenario: expected a JSON object");
  HostOptions options;
  options.workers = static_cast<uint32_t>(get_uint(s, "workers", "scenario", 1));
  if (options.workers == 0 || options.workers > 64) throw ScenarioError("scenario.workers: expected 1..64");
  options.stream_timeout_ms = get_uint(s, "stream_timeout_ms", "scenario", options.stream_timeout_ms);
  const bool sequential = get_bool(s, "sequential", "scenario", false);

  const json* mod = member(s, "module");
  if (mod == nullptr || !mod->is_object()) throw ScenarioError("scenario.module: required object with \"name\"");
  const std::string module_name = get_string(*mod, "name", "module", "");
  if (module_name.empty()) throw ScenarioError("module.name: required");
  LoadOptions load;
  load.do_not_close = get_bool(*mod, "do_not_close", "module", true);
  load.load_globally = get_bool(*mod, "load_globally", "module", false);

  // Validate everything before the host starts doing work.
  std::vector<std::tuple<Host::SecretSource, std::string, std::string>> secrets;
  for (const auto& [key, source] :
       {std::pair{"secrets", Host::SecretSource::kStatic}, std::pair{"ads_secrets", Host::SecretSource::kAds}}) {
    const json* c = member(s, key);
    if (c == nullptr) continue;
    if (!c->is_object()) throw ScenarioError(std::string("scenario.") + key + ": expected an object {name: \"value\"}");
    for (auto it = c->begin(); it != c->end(); ++it) {
      if (!it.value().is_string()) throw ScenarioError(std::string(key) + "." + it.key() + ": expected a string");
      secrets.emplace_back(source, it.key(), it.value().get<std::string>());
    }
  }
  std::vector<std::pair<std::string, std::string>> clusters;
  if (const json* c = member(s, "clusters")) {
    if (!c->is_object()) throw ScenarioError("scenario.clusters: expected an object {name: \"host:port\"}");
    for (auto it = c->begin(); it != c->end(); ++it) {
      if (!it.value().is_string()) throw ScenarioError("clusters." + it.key() + ": expected \"host:port\"");
      clusters.emplace_back(it.key(), it.value().get<std::string>());
    }
  }
  struct FilterEntry {
    std::string module, filter_name, config;
    bool terminal_filter = false;
    std::string name;  // the chain name per_filter_config uses; the filter_name unless given
  };
  std::vector<FilterEntry> filters;
  if (const json* f = member(s, "filters")) {
    if (!f->is_array()) throw ScenarioError("scenario.filters: expected an array");
    for (size_t i = 0; i < f->size(); ++i) {
      const std::string field = "filters[" + std::to_string(i) + "]";
      const json& e = (*f)[i];
      if (!e.is_object()) throw ScenarioError(field + ": expected an object");
      FilterEntry fe{get_string(e, "module", field, module_name), get_string(e, "filter_name", field, ""), "", false,
                     ""};
      if (fe.filter_name.empty()) throw ScenarioError(field + ".filter_name: required");
      if (const json* c = member(e, "config")) fe.config = config_bytes(*c);
      fe.terminal_filter = get_bool(e, "terminal_filter", field, false);
      fe.name = get_string(e, "name", field, fe.filter_name);
      filters.push_back(std::move(fe));
    }
  }
  struct RouteEntry {
    std::string name, prefix;
    std::vector<std::pair<std::string, std::string>> per_filter;
  };
  std::vector<RouteEntry> routes;
  if (const json* r = member(s, "routes")) {
    if (!r->is_array()) throw ScenarioError("scenario.routes: expected an array");
    for (size_t i = 0; i < r->size(); ++i) {
      const std::string field = "routes[" + std::to_string(i) + "]";
      const json& e = (*r)[i];
      if (!e.is_object()) throw ScenarioError(field + ": expected an object");
      RouteEntry re{
          get_string(e, "name", field, "route_" + std::to_string(i)), get_string(e, "prefix", field, "/"), {}};
      if (const json* p = member(e, "per_filter_config")) {
        if (!p->is_object())
          throw ScenarioError(field + ".per_filter_config: expected an object {name or filter_name: config}");
        for (auto it = p->begin(); it != p->end(); ++it) re.per_filter.emplace_back(it.key(), config_bytes(it.value()));
      }
      routes.push_back(std::move(re));
    }
  }
  struct Planned {
    std::shared_ptr<const RequestSpec> spec;
    int worker;
  };
  std::vector<Planned> planned;
  if (const json* rq = member(s, "requests")) {
    if (!rq->is_array()) throw ScenarioError("scenario.requests: expected an array");
    for (size_t i = 0; i < rq->size(); ++i) {
      const std::string field = "requests[" + std::to_string(i) + "]";
      auto spec = std::make_shared<const RequestSpec>(parse_request((*rq)[i], field));
      const json& e = (*rq)[i];
      int worker = -1;
      if (const json* w = member(e, "worker")) {
        if (!w->is_number_integer() || w->get<int64_t>() < 0 || w->get<uint64_t>() >= options.workers)
          throw ScenarioError(field + ".worker: expected 0.." + std::to_string(options.workers - 1));
        worker = w->get<int>();
      }
      uint64_t repeat = get_uint(e, "repeat", field, 1);
      for (uint64_t k = 0; k < repeat; ++k) planned.push_back(Planned{spec, worker});
    }
  }

  Host host(options);
  json out;
  ModuleInfo info;
  host.load_module(module_name, load, &info);
  out["program_init"] = {{"loaded", info.loaded},
                         {"abi_version", info.loaded ? json(info.abi_version) : json(nullptr)},
                         {"version_matched", info.version_matched}};
  if (!info.loaded) out["program_init"]["error"] = info.error;

  for (const auto& [name, address] : clusters) {
    std::string error;
    if (!host.add_cluster(name, address, error)) throw ScenarioError(error);
  }
  for (const auto& [source, name, value] : secrets) host.add_secret(source, name, value);
  json config_errors = json::array();
  for (const auto& f : filters) {
    std::string error;
    if (f.module != module_name) host.load_module(f.module, load);
    auto cfg = host.create_filter_config(f.module, f.filter_name, f.config, error);
    if (cfg) {
      cfg->set_terminal_filter(f.terminal_filter);
      cfg->set_chain_name(f.name);
      host.add_filter(cfg);
    } else {
      config_errors.push_back({{"filter_name", f.filter_name}, {"route", nullptr}, {"message", error}});
    }
  }
  for (const auto& r : routes) {
    size_t index = host.add_route(r.name, r.prefix);
    for (const auto& [key, cfg] : r.per_filter) {
      std::string error;
      std::string filter_module = module_name;
      std::string filter_name = key;
      for (const auto& f : filters) {
        if (f.name == key) {
          filter_module = f.module;
          filter_name = f.filter_name;
        }
      }
      if (!host.set_route_filter_config(index, filter_module, filter_name, cfg, error, key)) {
        config_errors.push_back({{"filter_name", key}, {"route", r.name}, {"message", error}});
      }
    }
  }
  out["config_errors"] = config_errors;

  std::vector<RequestResult> results(planned.size());
  std::mutex mutex;
  std::condition_variable cv;
  size_t remaining = planned.size();
  for (size_t i = 0; i < planned.size(); ++i) {
    host.start(planned[i].spec, planned[i].worker, [&, i](RequestResult&& r) {
      std::lock_guard<std::mutex> lock(mutex);
      results[i] = std::move(r);
      --remaining;
      cv.notify_all();
    });
    if (sequential) {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait(lock, [&] { return remaining == planned.size() - i - 1; });
    }
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return remaining == 0; });
  }
  json rs = json::array();
  for (size_t i = 0; i < results.size(); ++i) rs.push_back(result_to_json(results[i], i));
  out["results"] = rs;
  out["metrics"] = metrics_to_json(host.metrics().snapshot());
  out["logs"] = logs_to_json(host.logs().snapshot());
  return out;
}

}  // namespace envoyext::host
