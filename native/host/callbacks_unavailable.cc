// Callbacks whose subject does not exist in the host (sockets, tracing, upstream clusters).
// Each gives Envoy's "not available" answer; none of them crashes. Listed in docs/abi-host.md.
#include "callback_support.h"

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_cluster_name(
    envoy_dynamic_module_type_http_filter_envoy_ptr, envoy_dynamic_module_type_envoy_buffer* out) {
  if (out != nullptr) *out = {nullptr, 0};
  return false;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_cluster_host_count(
    envoy_dynamic_module_type_http_filter_envoy_ptr, uint32_t, size_t*, size_t*, size_t*) {
  return false;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_set_upstream_override_host(
    envoy_dynamic_module_type_http_filter_envoy_ptr, envoy_dynamic_module_type_module_buffer, bool) {
  return false;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_set_socket_option_int(
    envoy_dynamic_module_type_http_filter_envoy_ptr, int64_t, int64_t, envoy_dynamic_module_type_socket_option_state,
    envoy_dynamic_module_type_socket_direction, int64_t) {
  return false;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_set_socket_option_bytes(
    envoy_dynamic_module_type_http_filter_envoy_ptr, int64_t, int64_t, envoy_dynamic_module_type_socket_option_state,
    envoy_dynamic_module_type_socket_direction, envoy_dynamic_module_type_module_buffer) {
  return false;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_socket_option_int(
    envoy_dynamic_module_type_http_filter_envoy_ptr, int64_t, int64_t, envoy_dynamic_module_type_socket_option_state,
    envoy_dynamic_module_type_socket_direction, int64_t*) {
  return false;
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_socket_option_bytes(
    envoy_dynamic_module_type_http_filter_envoy_ptr, int64_t, int64_t, envoy_dynamic_module_type_socket_option_state,
    envoy_dynamic_module_type_socket_direction, envoy_dynamic_module_type_envoy_buffer* out) {
  if (out != nullptr) *out = {nullptr, 0};
  return false;
}
ENVOYEXT_EXPORT envoy_dynamic_module_type_span_envoy_ptr
envoy_dynamic_module_callback_http_get_active_span(envoy_dynamic_module_type_http_filter_envoy_ptr) {
  return nullptr;
}
