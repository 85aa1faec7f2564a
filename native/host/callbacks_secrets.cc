// Generic secrets (1.40): a filter config subscribes by name while config_new runs and reads the
// value by id from its config or its streams. An empty SDS config means a static secret (scenario
// "secrets", as Envoy's bootstrap static_resources.secrets); an SDS config source naming ADS means
// one the node received over its ADS stream (scenario "ads_secrets", which the demo fills from the
// controller). Any other config source fails (the host has no SDS client), as does a subscription to
// a secret the host does not have or one made after config_new.
#include <nlohmann/json.hpp>
#include <string_view>

#include "callback_support.h"
#include "filter_config.h"
#include "host.h"

using namespace envoyext::host;

namespace {
// A ConfigSource JSON object whose only specifier is "ads" (proto JSON: {"ads": {}, ...}).
bool names_ads(std::string_view config_source_json) {
  const auto parsed = nlohmann::json::parse(config_source_json, nullptr, /*allow_exceptions=*/false);
  return parsed.is_object() && parsed.contains("ads") && parsed["ads"].is_object() && !parsed.contains("path") &&
         !parsed.contains("path_config_source") && !parsed.contains("pathConfigSource") &&
         !parsed.contains("api_config_source") && !parsed.contains("apiConfigSource");
}

bool read_secret(const FilterConfig* cfg, size_t id, envoy_dynamic_module_type_envoy_buffer* out) {
  const std::string* value = cfg == nullptr ? nullptr : cfg->secret(id);
  if (out != nullptr) *out = value == nullptr ? envoy_dynamic_module_type_envoy_buffer{nullptr, 0} : envoy_view(*value);
  return value != nullptr;
}
}  // namespace

ENVOYEXT_EXPORT size_t envoy_dynamic_module_callback_http_filter_config_generic_secret_subscribe(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, envoy_dynamic_module_type_module_buffer name,
    envoy_dynamic_module_type_module_buffer sds_config_source_json) {
  auto* cfg = static_cast<FilterConfig*>(ce);
  if (cfg == nullptr || cfg->frozen()) return 0;
  Host::SecretSource source = Host::SecretSource::kStatic;
  if (!view(sds_config_source_json).empty()) {
    if (!names_ads(view(sds_config_source_json))) return 0;
    source = Host::SecretSource::kAds;
  }
  std::string value;
  if (!cfg->host().secret(source, std::string(view(name)), value)) return 0;
  return cfg->subscribe_secret(std::move(value));
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_filter_get_generic_secret(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, size_t secret_id, envoy_dynamic_module_type_envoy_buffer* out) {
  Stream* s = live_stream(fe);
  return read_secret(s == nullptr ? nullptr : slot_of(fe)->config, secret_id, out);
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_filter_config_get_generic_secret(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr ce, size_t secret_id,
    envoy_dynamic_module_type_envoy_buffer* out) {
  return read_secret(static_cast<const FilterConfig*>(ce), secret_id, out);
}
