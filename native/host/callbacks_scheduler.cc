// Schedulers: the only way back onto a stream's worker (or the main thread) from another thread.
// A commit after the filter (or config) is gone is silently dropped, as in Envoy.
#include <memory>

#include "callback_support.h"
#include "event_loop.h"
#include "filter_config.h"
#include "host.h"

using namespace envoyext::host;

namespace {

struct FilterScheduler {
  std::weak_ptr<Stream> stream;
  std::shared_ptr<EventLoop> loop;
  size_t slot;
};

struct ConfigScheduler {
  FilterConfig* config;
  std::shared_ptr<std::atomic<bool>> alive;
  std::shared_ptr<EventLoop> main;
};

}  // namespace

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_filter_scheduler_module_ptr
envoy_dynamic_module_callback_http_filter_scheduler_new(envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  Stream* s = live_stream(fe);
  if (s == nullptr) return nullptr;
  return new FilterScheduler{s->weak_from_this(), s->loop_ptr(), slot_of(fe)->index};
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_scheduler_commit(
    envoy_dynamic_module_type_http_filter_scheduler_module_ptr p, uint64_t event_id) {
  auto* sch = static_cast<FilterScheduler*>(p);
  if (sch == nullptr) return;
  // Copies first: the module may delete the scheduler as soon as the event has run.
  std::weak_ptr<Stream> weak = sch->stream;
  size_t slot = sch->slot;
  std::shared_ptr<EventLoop> loop = sch->loop;
  loop->post([weak, slot, event_id] {
    if (auto s = weak.lock()) s->on_scheduled(slot, event_id);
  });
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_scheduler_delete(
    envoy_dynamic_module_type_http_filter_scheduler_module_ptr p) {
  delete static_cast<FilterScheduler*>(p);
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_filter_config_scheduler_module_ptr
envoy_dynamic_module_callback_http_filter_config_scheduler_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce) {
  auto* cfg = static_cast<FilterConfig*>(ce);
  if (cfg == nullptr) return nullptr;
  return new ConfigScheduler{cfg, cfg->alive_flag(), cfg->host().main_loop_ptr()};
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_config_scheduler_commit(
    envoy_dynamic_module_type_http_filter_config_scheduler_module_ptr p, uint64_t event_id) {
  auto* sch = static_cast<ConfigScheduler*>(p);
  if (sch == nullptr || !sch->alive->load()) return;
  FilterConfig* cfg = sch->config;
  auto alive = sch->alive;
  auto main = sch->main;
  main->post([cfg, alive, event_id] {
    if (!alive->load() || cfg->hooks().config_scheduled == nullptr) return;
    cfg->hooks().config_scheduled(cfg, cfg->module_config(), event_id);
  });
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_config_scheduler_delete(
    envoy_dynamic_module_type_http_filter_config_scheduler_module_ptr p) {
  delete static_cast<ConfigScheduler*>(p);
}
