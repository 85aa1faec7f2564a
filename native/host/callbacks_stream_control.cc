// Local replies, streaming replies, resets, continue, route cache and other stream-level controls.
#include "callback_support.h"
#include "host.h"

using namespace envoyext::host;

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_send_response(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint32_t status_code,
    envoy_dynamic_module_type_module_http_header* headers, size_t headers_size,
    envoy_dynamic_module_type_module_buffer body, envoy_dynamic_module_type_module_buffer details) {
  Stream* s = live_stream(fe);
  if (s == nullptr) return;
  s->send_local_reply(status_code, to_header_list(headers, headers_size), std::string(view(body)),
                      std::string(view(details)));
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_send_response_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_http_header* headers,
    size_t headers_size, bool end_stream) {
  if (Stream* s = live_stream(fe)) s->send_response_headers(to_header_list(headers, headers_size), end_stream);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_send_response_data(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer data, bool end_stream) {
  if (Stream* s = live_stream(fe)) s->send_response_data(std::string(view(data)), end_stream);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_send_response_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_http_header* trailers,
    size_t trailers_size) {
  if (Stream* s = live_stream(fe)) s->send_response_trailers(to_header_list(trailers, trailers_size));
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_reset_stream(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe,
    envoy_dynamic_module_type_http_filter_stream_reset_reason reason, envoy_dynamic_module_type_module_buffer details) {
  Stream* s = live_stream(fe);
  if (s == nullptr) return;
  std::string d(view(details));
  if (d.empty())
    d = reason == envoy_dynamic_module_type_http_filter_stream_reset_reason_LocalRefusedStreamReset
            ? "local_refused_stream_reset"
            : "local_reset";
  s->reset(std::move(d));
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_send_go_away_and_close(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, bool graceful) {
  // One stream per "connection" in the host: closing the connection resets the stream.
  if (Stream* s = live_stream(fe)) s->reset(graceful ? "go_away_graceful" : "go_away");
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_filter_recreate_stream(
    envoy_dynamic_module_type_http_filter_envoy_ptr, envoy_dynamic_module_type_module_http_header*, size_t) {
  // Internal redirects need a second stream on the same connection; the host does not model that.
  return false;
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_clear_route_cache(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  if (Stream* s = live_stream(fe)) s->clear_route_cache();
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_clear_route_cluster_cache(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  if (Stream* s = live_stream(fe)) s->clear_route_cache();
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_continue_decoding(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  if (Stream* s = live_stream(fe)) s->continue_decoding(slot_of(fe)->index);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_filter_continue_encoding(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  if (Stream* s = live_stream(fe)) s->continue_encoding(slot_of(fe)->index);
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_add_custom_flag(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_module_buffer flag) {
  if (Stream* s = live_stream(fe)) s->custom_flags().emplace_back(view(flag));
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_filter_per_route_config_module_ptr
envoy_dynamic_module_callback_get_most_specific_route_config(envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  Stream* s = live_stream(fe);
  if (s == nullptr) return nullptr;
  const Route* r = s->route();
  return r ? r->per_route_config_for(slot_of(fe)->config->chain_name()) : nullptr;
}

ENVOYEXT_EXPORT uint32_t
envoy_dynamic_module_callback_http_filter_get_worker_index(envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  Stream* s = live_stream(fe);
  return s ? s->loop().index() : 0;
}
