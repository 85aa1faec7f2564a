// Body callbacks: "received" is the frame delivered to the running body hook, "buffered" is what
// the stream holds back (see Stream::iterate_data).
#include "callback_support.h"

using namespace envoyext::host;

namespace {
BodyBuffer* body_of(envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_body_type t) {
  Stream* s = live_stream(fe);
  return s ? s->body(t) : nullptr;
}
}  // namespace

ENVOYEXT_EXPORT size_t envoy_dynamic_module_callback_http_get_body_size(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_body_type body_type) {
  BodyBuffer* b = body_of(fe, body_type);
  return b ? b->size() : 0;
}

ENVOYEXT_EXPORT size_t envoy_dynamic_module_callback_http_get_body_chunks_size(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_body_type body_type) {
  BodyBuffer* b = body_of(fe, body_type);
  return b ? b->slices().size() : 0;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_get_body_chunks(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_body_type body_type,
    envoy_dynamic_module_type_envoy_buffer* out) {
  BodyBuffer* b = body_of(fe, body_type);
  if (b == nullptr || out == nullptr) return false;
  size_t i = 0;
  for (auto& s : b->slices()) out[i++] = envoy_view(s);
  return true;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_append_body(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                                    envoy_dynamic_module_type_http_body_type body_type,
                                                                    envoy_dynamic_module_type_module_buffer data) {
  BodyBuffer* b = body_of(fe, body_type);
  if (b == nullptr) return false;
  b->append(view(data));
  return true;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_drain_body(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                                                                   envoy_dynamic_module_type_http_body_type body_type,
                                                                   size_t number_of_bytes) {
  BodyBuffer* b = body_of(fe, body_type);
  if (b == nullptr) return false;
  b->drain(number_of_bytes);
  // Draining the held request body lowers the watermark buffer, which may read-enable the client.
  if (body_type == envoy_dynamic_module_type_http_body_type_BufferedRequestBody ||
      body_type == envoy_dynamic_module_type_http_body_type_ReceivedRequestBody) {
    live_stream(fe)->request_body_drained();
  }
  return true;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_received_buffered_request_body(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  Stream* s = live_stream(fe);
  return s != nullptr && s->received_is_buffered(true);
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_http_received_buffered_response_body(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  Stream* s = live_stream(fe);
  return s != nullptr && s->received_is_buffered(false);
}

ENVOYEXT_EXPORT uint64_t
envoy_dynamic_module_callback_http_get_buffer_limit(envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  Stream* s = live_stream(fe);
  return s ? s->buffer_limit() : 0;
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_http_set_buffer_limit(
    envoy_dynamic_module_type_http_filter_envoy_ptr fe, uint64_t limit) {
  if (Stream* s = live_stream(fe)) s->set_buffer_limit(limit);
}
