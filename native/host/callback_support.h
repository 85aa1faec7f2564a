// Small helpers shared by the callback implementations (callbacks_*.cc).
#pragma once

#include <string>
#include <string_view>

#include "envoyext/abi.h"
#include "exchange.h"
#include "request_types.h"
#include "stream.h"

// Every callback is part of the host's exported ABI surface.
#define ENVOYEXT_EXPORT extern "C" __attribute__((visibility("default")))

namespace envoyext::host {

class Host;

// Init checks shared by one-shot and streaming callouts, in Envoy's order: ClusterNotFound, then
// MissingRequiredHeaders (:method, :path, :authority/host). Fills `upstream` on success.
envoy_dynamic_module_type_http_callout_init_result check_callout_target(Host& host,
                                                                        envoy_dynamic_module_type_module_buffer cluster,
                                                                        const HeaderList& headers, Upstream& upstream);

inline FilterSlot* slot_of(envoy_dynamic_module_type_http_filter_envoy_ptr fe) { return static_cast<FilterSlot*>(fe); }

// A stream callback is meaningful only while the stream lives (1.40: not from destroy).
inline Stream* live_stream(envoy_dynamic_module_type_http_filter_envoy_ptr fe) {
  auto* s = slot_of(fe);
  if (s == nullptr || s->stream == nullptr || s->stream->destroyed()) return nullptr;
  return s->stream;
}

inline std::string_view view(envoy_dynamic_module_type_module_buffer b) {
  return b.ptr == nullptr ? std::string_view() : std::string_view(b.ptr, b.length);
}

inline envoy_dynamic_module_type_envoy_buffer envoy_view(const std::string& s) {
  return envoy_dynamic_module_type_envoy_buffer{const_cast<char*>(s.data()), s.size()};
}

inline HeaderList to_header_list(const envoy_dynamic_module_type_module_http_header* h, size_t n) {
  HeaderList out;
  out.reserve(n);
  for (size_t i = 0; i < n && h != nullptr; ++i) {
    out.emplace_back(std::string(h[i].key_ptr ? h[i].key_ptr : "", h[i].key_length),
                     std::string(h[i].value_ptr ? h[i].value_ptr : "", h[i].value_length));
  }
  return out;
}

}  // namespace envoyext::host
