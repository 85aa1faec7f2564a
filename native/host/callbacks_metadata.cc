// Dynamic metadata (the stream's own namespace map) and filter state (bytes).
// Route/cluster/host metadata sources are empty in the host: getters answer false.
#include <string>

#include "callback_support.h"
#include "struct_decoder.h"

using namespace envoyext::host;

namespace {

MetadataValue* find_value(Stream* s, envoy_dynamic_module_type_metadata_source src,
                          envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key) {
  if (s == nullptr || src != envoy_dynamic_module_type_metadata_source_Dynamic) return nullptr;
  auto& md = s->dynamic_metadata();
  auto it = md.find(std::string(view(ns)));
  if (it == md.end()) return nullptr;
  auto kv = it->second.find(std::string(view(key)));
  return kv == it->second.end() ? nullptr : &kv->second;
}

void put(Stream* s, envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key,
         MetadataValue v) {
  if (s == nullptr) return;
  s->dynamic_metadata()[std::string(view(ns))][std::string(view(key))] = std::move(v);
}

MetadataValue number(double d) {
  MetadataValue v;
  v.type = MetadataValue::Type::Number;
  v.number = d;
  return v;
}
MetadataValue string_value(std::string_view sv) {
  MetadataValue v;
  v.type = MetadataValue::Type::String;
  v.str = std::string(sv);
  return v;
}
MetadataValue boolean(bool b) {
  MetadataValue v;
  v.type = MetadataValue::Type::Bool;
  v.boolean = b;
  return v;
}

bool add_to_list(Stream* s, envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key,
                 MetadataValue item) {
  if (s == nullptr) return false;
  auto& slot = s->dynamic_metadata()[std::string(view(ns))][std::string(view(key))];
  if (slot.type != MetadataValue::Type::List) {
    // Envoy refuses to turn an existing non-list value into a list.
    if (!slot.list.empty() || slot.str.size() || slot.number != 0 || slot.boolean) return false;
    slot = MetadataValue{};
    slot.type = MetadataValue::Type::List;
  }
  slot.list.push_back(std::move(item));
  return true;
}

}  // namespace

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_set_dynamic_metadata_number(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer ns,
    envoy_dynamic_module_type_module_buffer key, double value) {
  put(live_stream(fe), ns, key, number(value));
}
ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_set_dynamic_metadata_string(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer ns,
    envoy_dynamic_module_type_module_buffer key, envoy_dynamic_module_type_module_buffer value) {
  put(live_stream(fe), ns, key, string_value(view(value)));
}
ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_set_dynamic_metadata_bool(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer ns,
    envoy_dynamic_module_type_module_buffer key, bool value) {
  put(live_stream(fe), ns, key, boolean(value));
}
ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_set_dynamic_metadata_string_batch(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer ns,
    const envoy_dynamic_module_type_module_key_value_pair* entries, size_t n) {
  Stream* s = live_stream(fe);
  for (size_t i = 0; i < n && entries != nullptr; ++i) {
    const auto& e = entries[i];
    put(s, ns, {e.key_ptr, e.key_length}, string_value(view({e.value_ptr, e.value_length})));
  }
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_number(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key, double* out) {
  MetadataValue* v = find_value(live_stream(fe), src, ns, key);
  if (v == nullptr || v->type != MetadataValue::Type::Number || out == nullptr) return false;
  *out = v->number;
  return true;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_string(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key,
    envoy_dynamic_module_type_envoy_buffer* out) {
  MetadataValue* v = find_value(live_stream(fe), src, ns, key);
  if (v == nullptr || v->type != MetadataValue::Type::String || out == nullptr) return false;
  *out = envoy_view(v->str);
  return true;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_bool(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key, bool* out) {
  MetadataValue* v = find_value(live_stream(fe), src, ns, key);
  if (v == nullptr || v->type != MetadataValue::Type::Bool || out == nullptr) return false;
  *out = v->boolean;
  return true;
}

ENVOYEXT_EXPORT size_t envoy_dynamic_module_callback_http_get_metadata_keys_count(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns) {
  Stream* s = live_stream(fe);
  if (s == nullptr || src != envoy_dynamic_module_type_metadata_source_Dynamic) return 0;
  auto it = s->dynamic_metadata().find(std::string(view(ns)));
  return it == s->dynamic_metadata().end() ? 0 : it->second.size();
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_keys(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_envoy_buffer* out) {
  Stream* s = live_stream(fe);
  if (s == nullptr || out == nullptr || src != envoy_dynamic_module_type_metadata_source_Dynamic) return false;
  auto it = s->dynamic_metadata().find(std::string(view(ns)));
  if (it == s->dynamic_metadata().end()) return false;
  size_t i = 0;
  for (const auto& kv : it->second) out[i++] = envoy_view(kv.first);
  return true;
}
ENVOYEXT_EXPORT size_t envoy_dynamic_module_callback_http_get_metadata_namespaces_count(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src) {
  Stream* s = live_stream(fe);
  if (s == nullptr || src != envoy_dynamic_module_type_metadata_source_Dynamic) return 0;
  return s->dynamic_metadata().size();
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_namespaces(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_envoy_buffer* out) {
  Stream* s = live_stream(fe);
  if (s == nullptr || out == nullptr || src != envoy_dynamic_module_type_metadata_source_Dynamic) return false;
  size_t i = 0;
  for (const auto& kv : s->dynamic_metadata()) out[i++] = envoy_view(kv.first);
  return true;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_add_dynamic_metadata_list_number(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer ns,
    envoy_dynamic_module_type_module_buffer key, double value) {
  return add_to_list(live_stream(fe), ns, key, number(value));
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_add_dynamic_metadata_list_string(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer ns,
    envoy_dynamic_module_type_module_buffer key, envoy_dynamic_module_type_module_buffer value) {
  return add_to_list(live_stream(fe), ns, key, string_value(view(value)));
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_add_dynamic_metadata_list_bool(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer ns,
    envoy_dynamic_module_type_module_buffer key, bool value) {
  return add_to_list(live_stream(fe), ns, key, boolean(value));
}

namespace {
const MetadataValue* list_item(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                               envoy_dynamic_module_type_metadata_source src,
                               envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key,
                               size_t index, MetadataValue::Type type) {
  MetadataValue* v = find_value(live_stream(fe), src, ns, key);
  if (v == nullptr || v->type != MetadataValue::Type::List || index >= v->list.size()) return nullptr;
  return v->list[index].type == type ? &v->list[index] : nullptr;
}
}  // namespace

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_list_size(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key, size_t* out) {
  MetadataValue* v = find_value(live_stream(fe), src, ns, key);
  if (v == nullptr || v->type != MetadataValue::Type::List || out == nullptr) return false;
  *out = v->list.size();
  return true;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_list_number(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key, size_t index,
    double* out) {
  const MetadataValue* v = list_item(fe, src, ns, key, index, MetadataValue::Type::Number);
  if (v == nullptr || out == nullptr) return false;
  *out = v->number;
  return true;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_list_string(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key, size_t index,
    envoy_dynamic_module_type_envoy_buffer* out) {
  const MetadataValue* v = list_item(fe, src, ns, key, index, MetadataValue::Type::String);
  if (v == nullptr || out == nullptr) return false;
  *out = envoy_view(v->str);
  return true;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_metadata_list_bool(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_metadata_source src,
    envoy_dynamic_module_type_module_buffer ns, envoy_dynamic_module_type_module_buffer key, size_t index, bool* out) {
  const MetadataValue* v = list_item(fe, src, ns, key, index, MetadataValue::Type::Bool);
  if (v == nullptr || out == nullptr) return false;
  *out = v->boolean;
  return true;
}

// A protobuf-binary Struct merged into the namespace key by key (a key already there is replaced);
// bytes that do not parse are ignored, as Envoy ignores them.
ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_set_dynamic_metadata_struct(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer ns,
    envoy_dynamic_module_type_module_buffer serialized) {
  Stream* s = live_stream(fe);
  std::map<std::string, MetadataValue> fields;
  if (s == nullptr || !decode_struct(view(serialized), fields)) return;
  auto& target = s->dynamic_metadata()[std::string(view(ns))];
  for (auto& [key, value] : fields) target[key] = std::move(value);
}
// Typed metadata (an Any) needs the message's descriptor, which the host does not carry: ignored.
ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_set_dynamic_typed_metadata(
    envoy_dynamic_module_type_http_filter_envoy_ptr, envoy_dynamic_module_type_module_buffer,
    envoy_dynamic_module_type_module_buffer) {}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_set_filter_state_bytes(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer key,
    envoy_dynamic_module_type_module_buffer value) {
  Stream* s = live_stream(fe);
  if (s == nullptr || key.length == 0) return false;
  s->filter_state()[std::string(view(key))] = std::string(view(value));
  return true;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_filter_state_bytes(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer key,
    envoy_dynamic_module_type_envoy_buffer* out) {
  Stream* s = live_stream(fe);
  if (s == nullptr || out == nullptr) return false;
  auto it = s->filter_state().find(std::string(view(key)));
  if (it == s->filter_state().end()) return false;
  *out = envoy_view(it->second);
  return true;
}
// Typed filter state needs Envoy's registered object factories; none exist in the host.
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_set_filter_state_typed(
    envoy_dynamic_module_type_http_filter_envoy_ptr, envoy_dynamic_module_type_module_buffer,
    envoy_dynamic_module_type_module_buffer) {
  return false;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_filter_state_typed(
    envoy_dynamic_module_type_http_filter_envoy_ptr, envoy_dynamic_module_type_module_buffer,
    envoy_dynamic_module_type_envoy_buffer*) {
  return false;
}
