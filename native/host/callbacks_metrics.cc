// Metrics: define only while config_new runs (then Frozen), update from streams or the config.
#include <vector>

#include "callback_support.h"
#include "filter_config.h"
#include "host.h"

using namespace envoyext::host;

namespace {

envoy_dynamic_module_type_metrics_result define(envoy_dynamic_module_type_http_filter_config_envoy_ptr ce,
                                                MetricKind kind, envoy_dynamic_module_type_module_buffer name,
                                                envoy_dynamic_module_type_module_buffer* labels, size_t n,
                                                size_t* id_out) {
  auto* cfg = static_cast<FilterConfig*>(ce);
  if (cfg == nullptr) return envoy_dynamic_module_type_metrics_result_MetricNotFound;
  if (cfg->frozen()) return envoy_dynamic_module_type_metrics_result_Frozen;
  std::vector<std::string> label_names;
  for (size_t i = 0; i < n; ++i) label_names.emplace_back(view(labels[i]));
  Metric* m = cfg->host().metrics().define(kind, std::string(view(name)), std::move(label_names));
  size_t id = cfg->add_metric(kind, m);
  if (id_out != nullptr) *id_out = id;
  return envoy_dynamic_module_type_metrics_result_Success;
}

envoy_dynamic_module_type_metrics_result update(FilterConfig* cfg, MetricKind kind, Metric::Op op, size_t id,
                                                envoy_dynamic_module_type_module_buffer* labels, size_t n,
                                                uint64_t value) {
  if (cfg == nullptr) return envoy_dynamic_module_type_metrics_result_MetricNotFound;
  Metric* m = cfg->metric(kind, id);
  if (m == nullptr) return envoy_dynamic_module_type_metrics_result_MetricNotFound;
  if (n != m->label_names().size()) return envoy_dynamic_module_type_metrics_result_InvalidLabels;
  constexpr size_t kInline = 16;
  std::string_view inline_views[kInline];
  std::vector<std::string_view> many;
  std::string_view* views = inline_views;
  if (n > kInline) {
    many.resize(n);
    views = many.data();
  }
  for (size_t i = 0; i < n; ++i) views[i] = view(labels[i]);
  m->apply(op, views, n, value);
  return envoy_dynamic_module_type_metrics_result_Success;
}

FilterConfig* config_of(envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  auto* s = slot_of(fe);
  return s ? s->config : nullptr;
}

}  // namespace

#define DEFINE_FN(suffix, kind)                                                                                    \
  ENVOYEXT_EXPORT envoy_dynamic_module_type_metrics_result                                                         \
      envoy_dynamic_module_callback_http_filter_config_define_##suffix(                                            \
          envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, envoy_dynamic_module_type_module_buffer name, \
          envoy_dynamic_module_type_module_buffer* label_names, size_t n, size_t* id_out) {                        \
    return define(ce, kind, name, label_names, n, id_out);                                                         \
  }
DEFINE_FN(counter, MetricKind::Counter)
DEFINE_FN(gauge, MetricKind::Gauge)
DEFINE_FN(histogram, MetricKind::Histogram)
#undef DEFINE_FN

#define UPDATE_FN(name, kind, op)                                                                                     \
  ENVOYEXT_EXPORT envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_##name(          \
      envoy_dynamic_module_type_http_filter_envoy_ptr fe, size_t id, envoy_dynamic_module_type_module_buffer* labels, \
      size_t n, uint64_t value) {                                                                                     \
    return update(config_of(fe), kind, op, id, labels, n, value);                                                     \
  }                                                                                                                   \
  ENVOYEXT_EXPORT envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_##name(   \
      envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, size_t id,                                           \
      envoy_dynamic_module_type_module_buffer* labels, size_t n, uint64_t value) {                                    \
    return update(static_cast<FilterConfig*>(ce), kind, op, id, labels, n, value);                                    \
  }
UPDATE_FN(increment_counter, MetricKind::Counter, Metric::Op::Add)
UPDATE_FN(increment_gauge, MetricKind::Gauge, Metric::Op::Add)
UPDATE_FN(decrement_gauge, MetricKind::Gauge, Metric::Op::Subtract)
UPDATE_FN(set_gauge, MetricKind::Gauge, Metric::Op::Set)
UPDATE_FN(record_histogram_value, MetricKind::Histogram, Metric::Op::Record)
#undef UPDATE_FN
