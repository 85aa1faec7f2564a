// HTTP callouts to named clusters (loopback HTTP/1.1 endpoints, see callout_runner.h). The done
// hook runs on the stream's worker; it is dropped when the stream is gone (Envoy cancels the
// request). Streaming callouts are in callbacks_http_stream.cc; the config-level ones are not
// modelled: starting one reports CannotCreateRequest.
#include <vector>

#include "callback_support.h"
#include "callout_runner.h"
#include "filter_config.h"
#include "host.h"

using namespace envoyext::host;

namespace {

bool has_required_headers(const HeaderList& h) {
  bool method = false, path = false, host = false;
  for (const auto& [k, v] : h) {
    if (k == ":method") method = true;
    if (k == ":path") path = true;
    if (k == ":authority" || k == "host") host = true;
  }
  return method && path && host;
}

// Calls `done` with the Envoy-shaped views of `r` (valid only during the call).
template <typename Fn>
void with_views(const CalloutResponse& r, Fn&& done) {
  std::vector<envoy_dynamic_module_type_envoy_http_header> headers;
  for (const auto& [k, v] : r.headers) {
    headers.push_back({const_cast<char*>(k.data()), k.size(), const_cast<char*>(v.data()), v.size()});
  }
  envoy_dynamic_module_type_envoy_buffer body{const_cast<char*>(r.body.data()), r.body.size()};
  if (!r.ok) {
    done(envoy_dynamic_module_type_http_callout_result_Reset,
         static_cast<envoy_dynamic_module_type_envoy_http_header*>(nullptr), size_t{0},
         static_cast<envoy_dynamic_module_type_envoy_buffer*>(nullptr), size_t{0});
  } else {
    done(envoy_dynamic_module_type_http_callout_result_Success, headers.data(), headers.size(),
         r.body.empty() ? static_cast<envoy_dynamic_module_type_envoy_buffer*>(nullptr) : &body,
         r.body.empty() ? size_t{0} : size_t{1});
  }
}

}  // namespace

envoy_dynamic_module_type_http_callout_init_result envoyext::host::check_callout_target(
    Host& host, envoy_dynamic_module_type_module_buffer cluster, const HeaderList& headers, Upstream& upstream) {
  if (!host.find_cluster(std::string(view(cluster)), upstream))
    return envoy_dynamic_module_type_http_callout_init_result_ClusterNotFound;
  if (!has_required_headers(headers)) return envoy_dynamic_module_type_http_callout_init_result_MissingRequiredHeaders;
  return envoy_dynamic_module_type_http_callout_init_result_Success;
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_callout_init_result
envoy_dynamic_module_callback_http_filter_http_callout(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t* callout_id_out,
    envoy_dynamic_module_type_module_buffer cluster_name, envoy_dynamic_module_type_module_http_header* headers,
    size_t headers_size, envoy_dynamic_module_type_module_buffer body, uint64_t timeout_milliseconds) {
  Stream* s = live_stream(fe);
  // 1.40 refuses callouts once the stream is being torn down.
  if (s == nullptr || s->finished()) return envoy_dynamic_module_type_http_callout_init_result_CannotCreateRequest;
  HeaderList list = to_header_list(headers, headers_size);
  Upstream upstream;
  auto init = check_callout_target(s->host(), cluster_name, list, upstream);
  if (init != envoy_dynamic_module_type_http_callout_init_result_Success) return init;
  FilterSlot* slot = slot_of(fe);
  uint64_t id = slot->next_callout_id++;
  if (callout_id_out != nullptr) *callout_id_out = id;
  std::weak_ptr<Stream> weak = s->weak_from_this();
  std::shared_ptr<EventLoop> loop = s->loop_ptr();
  size_t index = slot->index;
  s->host().callouts().start(upstream, std::move(list), std::string(view(body)), timeout_milliseconds,
                             [weak, loop, index, id](CalloutResponse&& r) {
                               loop->post([weak, index, id, r = std::move(r)] {
                                 auto st = weak.lock();
                                 if (!st || st->finished() || st->destroyed()) return;
                                 FilterSlot& fs = st->slot(index);
                                 with_views(r, [&](auto result, auto* h, size_t hn, auto* b, size_t bn) {
                                   fs.config->hooks().http_callout_done(&fs, fs.module_filter, id, result, h, hn, b,
                                                                        bn);
                                 });
                               });
                             });
  return envoy_dynamic_module_type_http_callout_init_result_Success;
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_callout_init_result
envoy_dynamic_module_callback_http_filter_config_http_callout(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, uint64_t* callout_id_out,
    envoy_dynamic_module_type_module_buffer cluster_name, envoy_dynamic_module_type_module_http_header* headers,
    size_t headers_size, envoy_dynamic_module_type_module_buffer body, uint64_t timeout_milliseconds) {
  auto* cfg = static_cast<FilterConfig*>(ce);
  if (cfg == nullptr) return envoy_dynamic_module_type_http_callout_init_result_CannotCreateRequest;
  HeaderList list = to_header_list(headers, headers_size);
  Upstream upstream;
  auto init = check_callout_target(cfg->host(), cluster_name, list, upstream);
  if (init != envoy_dynamic_module_type_http_callout_init_result_Success) return init;
  static std::atomic<uint64_t> next_id{1};
  uint64_t id = next_id.fetch_add(1);
  if (callout_id_out != nullptr) *callout_id_out = id;
  auto alive = cfg->alive_flag();
  auto main = cfg->host().main_loop_ptr();
  cfg->host().callouts().start(upstream, std::move(list), std::string(view(body)), timeout_milliseconds,
                               [cfg, alive, main, id](CalloutResponse&& r) {
                                 main->post([cfg, alive, id, r = std::move(r)] {
                                   if (!alive->load() || cfg->hooks().config_http_callout_done == nullptr) return;
                                   with_views(r, [&](auto result, auto* h, size_t hn, auto* b, size_t bn) {
                                     cfg->hooks().config_http_callout_done(cfg, cfg->module_config(), id, result, h, hn,
                                                                           b, bn);
                                   });
                                 });
                               });
  return envoy_dynamic_module_type_http_callout_init_result_Success;
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_callout_init_result
envoy_dynamic_module_callback_http_filter_config_start_http_stream(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr, uint64_t*, envoy_dynamic_module_type_module_buffer,
    envoy_dynamic_module_type_module_http_header*, size_t, envoy_dynamic_module_type_module_buffer, bool, uint64_t) {
  return envoy_dynamic_module_type_http_callout_init_result_CannotCreateRequest;
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_config_reset_http_stream(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr, uint64_t) {}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_filter_config_stream_send_data(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr, uint64_t, envoy_dynamic_module_type_module_buffer, bool) {
  return false;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_filter_config_stream_send_trailers(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr, uint64_t, envoy_dynamic_module_type_module_http_header*,
    size_t) {
  return false;
}
