// Header and trailer callbacks (Envoy's HeaderMap semantics, see header_map.h).
#include "callback_support.h"
#include "header_map.h"

using namespace envoyext::host;

namespace {
HeaderMap* map_of(envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_header_type t) {
  Stream* s = live_stream(fe);
  return s ? s->header_map(t) : nullptr;
}
}  // namespace

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_header(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_header_type header_type,
    envoy_dynamic_module_type_module_buffer key, envoy_dynamic_module_type_envoy_buffer* result, size_t index,
    size_t* optional_size) {
  if (result != nullptr) *result = {nullptr, 0};
  if (optional_size != nullptr) *optional_size = 0;
  HeaderMap* m = map_of(fe, header_type);
  if (m == nullptr || key.ptr == nullptr) return false;
  if (optional_size != nullptr) *optional_size = m->count(view(key));
  const std::string* v = m->get(view(key), index);
  if (v == nullptr) return false;
  if (result != nullptr) *result = envoy_view(*v);
  return true;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_header_values(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_header_type header_type,
    envoy_dynamic_module_type_module_buffer key, envoy_dynamic_module_type_envoy_buffer* results) {
  HeaderMap* m = map_of(fe, header_type);
  if (m == nullptr || key.ptr == nullptr || results == nullptr) return false;
  const std::string wanted = HeaderMap::lower(view(key));
  size_t i = 0;
  for (const auto& e : m->entries()) {
    if (e.first == wanted) results[i++] = envoy_view(e.second);
  }
  return i > 0;
}

ENVOYEXT_EXPORT size_t envoy_dynamic_module_callback_http_get_headers_size(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_header_type header_type) {
  HeaderMap* m = map_of(fe, header_type);
  return m ? m->size() : 0;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_header_type header_type,
    envoy_dynamic_module_type_envoy_http_header* out) {
  HeaderMap* m = map_of(fe, header_type);
  if (m == nullptr || out == nullptr) return false;
  size_t i = 0;
  for (const auto& e : m->entries()) {
    out[i++] = {const_cast<char*>(e.first.data()), e.first.size(), const_cast<char*>(e.second.data()), e.second.size()};
  }
  return true;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_set_header(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_header_type header_type,
    envoy_dynamic_module_type_module_buffer key, envoy_dynamic_module_type_module_buffer value) {
  HeaderMap* m = map_of(fe, header_type);
  if (m == nullptr || key.ptr == nullptr || key.length == 0) return false;
  if (value.ptr == nullptr) {
    m->remove(view(key));  // a NULL value removes every value of the key
  } else {
    m->set(view(key), view(value));
  }
  return true;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_add_header(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_header_type header_type,
    envoy_dynamic_module_type_module_buffer key, envoy_dynamic_module_type_module_buffer value) {
  HeaderMap* m = map_of(fe, header_type);
  if (m == nullptr || key.ptr == nullptr || key.length == 0 || value.ptr == nullptr) return false;
  m->add(view(key), view(value));
  return true;
}
