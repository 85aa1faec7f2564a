/* Pass-through definitions of the per-stream hooks that most C test modules do not care about.
 * Envoy requires every one of them to be exported, so each module writes one line per hook it
 * leaves alone instead of repeating the same function body: a macro rather than a shared source
 * file, because each module implements a different subset itself. */
#ifndef ENVOYEXT_MODULE_SUPPORT_PASSTHROUGH_HOOKS_H
#define ENVOYEXT_MODULE_SUPPORT_PASSTHROUGH_HOOKS_H

#include "envoyext/abi.h"

#define ENVOYEXT_EXPORT __attribute__((visibility("default")))

#define ENVOYEXT_PASSTHROUGH_REQUEST_BODY                                                                           \
  ENVOYEXT_EXPORT envoy_dynamic_module_type_on_http_filter_request_body_status                                      \
  envoy_dynamic_module_on_http_filter_request_body(envoy_dynamic_module_type_http_filter_envoy_ptr fe,              \
                                                   envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) { \
    (void)fe, (void)fm, (void)eos;                                                                                  \
    return envoy_dynamic_module_type_on_http_filter_request_body_status_Continue;                                   \
  }

#define ENVOYEXT_PASSTHROUGH_REQUEST_TRAILERS                                                                 \
  ENVOYEXT_EXPORT envoy_dynamic_module_type_on_http_filter_request_trailers_status                            \
  envoy_dynamic_module_on_http_filter_request_trailers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,    \
                                                       envoy_dynamic_module_type_http_filter_module_ptr fm) { \
    (void)fe, (void)fm;                                                                                       \
    return envoy_dynamic_module_type_on_http_filter_request_trailers_status_Continue;                         \
  }

#define ENVOYEXT_PASSTHROUGH_RESPONSE_HEADERS                                                               \
  ENVOYEXT_EXPORT envoy_dynamic_module_type_on_http_filter_response_headers_status                          \
  envoy_dynamic_module_on_http_filter_response_headers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,  \
                                                       envoy_dynamic_module_type_http_filter_module_ptr fm, \
                                                       bool eos) {                                          \
    (void)fe, (void)fm, (void)eos;                                                                          \
    return envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue;                       \
  }

#define ENVOYEXT_PASSTHROUGH_RESPONSE_BODY                                                                           \
  ENVOYEXT_EXPORT envoy_dynamic_module_type_on_http_filter_response_body_status                                      \
  envoy_dynamic_module_on_http_filter_response_body(envoy_dynamic_module_type_http_filter_envoy_ptr fe,              \
                                                    envoy_dynamic_module_type_http_filter_module_ptr fm, bool eos) { \
    (void)fe, (void)fm, (void)eos;                                                                                   \
    return envoy_dynamic_module_type_on_http_filter_response_body_status_Continue;                                   \
  }

#define ENVOYEXT_PASSTHROUGH_RESPONSE_TRAILERS                                                                 \
  ENVOYEXT_EXPORT envoy_dynamic_module_type_on_http_filter_response_trailers_status                            \
  envoy_dynamic_module_on_http_filter_response_trailers(envoy_dynamic_module_type_http_filter_envoy_ptr fe,    \
                                                        envoy_dynamic_module_type_http_filter_module_ptr fm) { \
    (void)fe, (void)fm;                                                                                        \
    return envoy_dynamic_module_type_on_http_filter_response_trailers_status_Continue;                         \
  }

#define ENVOYEXT_PASSTHROUGH_STREAM_COMPLETE                                                                     \
  ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_stream_complete(                                      \
      envoy_dynamic_module_type_http_filter_envoy_ptr fe, envoy_dynamic_module_type_http_filter_module_ptr fm) { \
    (void)fe, (void)fm;                                                                                          \
  }

#endif
