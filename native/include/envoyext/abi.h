/*
 * EnvoyExt's own C declaration of the Envoy v1.40 dynamic-modules HTTP-filter ABI.
 *
 * Names, parameter lists, struct layouts and enum values are Envoy's (they are wire facts a module
 * binary depends on); the text of this header is ours. Both sides include it: the ABI host in
 * native/host implements the callbacks and calls the event hooks, modules (native/baseline,
 * native/tests/modules) implement the hooks and resolve the callbacks at program init.
 *
 * Only the HTTP-filter part of the ABI is declared (no network/listener/UDP/bootstrap filters).
 */
#ifndef ENVOYEXT_ABI_H
#define ENVOYEXT_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The string a module returns from envoy_dynamic_module_on_program_init. Envoy 1.40 only warns on a
 * mismatch. UNCERTAINTY: "v0.2.0" is what main carried on the v1.40.0 release day; the bump may have
 * landed just after the cut, in which case the v1.40.0 tag says "v0.1.0". A wrong value costs one
 * warning line per load, nothing more.
 */
#define ENVOY_DYNAMIC_MODULES_ABI_VERSION "v0.2.0"

/* The same string as a symbol, as upstream's header provides it (weak in C, constexpr in C++). */
#ifdef __cplusplus
constexpr const char* envoy_dynamic_modules_abi_version = ENVOY_DYNAMIC_MODULES_ABI_VERSION;
#else
__attribute__((weak)) const char* envoy_dynamic_modules_abi_version = ENVOY_DYNAMIC_MODULES_ABI_VERSION;
#endif

/* ---------------------------------------------------------------- pointer and buffer types */

typedef const char* envoy_dynamic_module_type_abi_version_module_ptr;
typedef const char* envoy_dynamic_module_type_buffer_envoy_ptr;
typedef const char* envoy_dynamic_module_type_buffer_module_ptr;

typedef void* envoy_dynamic_module_type_http_filter_config_envoy_ptr;
typedef const void* envoy_dynamic_module_type_http_filter_config_module_ptr;
typedef const void* envoy_dynamic_module_type_http_filter_per_route_config_module_ptr;
typedef void* envoy_dynamic_module_type_http_filter_envoy_ptr;
typedef const void* envoy_dynamic_module_type_http_filter_module_ptr;
typedef void* envoy_dynamic_module_type_http_filter_scheduler_module_ptr;
typedef void* envoy_dynamic_module_type_http_filter_config_scheduler_module_ptr;
typedef void* envoy_dynamic_module_type_span_envoy_ptr;

/* Memory owned by Envoy, valid for the duration documented by the call that produced it. */
typedef struct envoy_dynamic_module_type_envoy_buffer {
  envoy_dynamic_module_type_buffer_envoy_ptr ptr;
  size_t length;
} envoy_dynamic_module_type_envoy_buffer;

/* Memory owned by the module; Envoy reads it only during the call. */
typedef struct envoy_dynamic_module_type_module_buffer {
  envoy_dynamic_module_type_buffer_module_ptr ptr;
  size_t length;
} envoy_dynamic_module_type_module_buffer;

typedef struct envoy_dynamic_module_type_envoy_http_header {
  envoy_dynamic_module_type_buffer_envoy_ptr key_ptr;
  size_t key_length;
  envoy_dynamic_module_type_buffer_envoy_ptr value_ptr;
  size_t value_length;
} envoy_dynamic_module_type_envoy_http_header;

typedef struct envoy_dynamic_module_type_module_http_header {
  envoy_dynamic_module_type_buffer_module_ptr key_ptr;
  size_t key_length;
  envoy_dynamic_module_type_buffer_module_ptr value_ptr;
  size_t value_length;
} envoy_dynamic_module_type_module_http_header;

/* Flat fields (not two nested buffers): same 32-byte layout, but code written against Envoy's
 * header names the fields key_ptr/key_length/value_ptr/value_length. */
typedef struct envoy_dynamic_module_type_module_key_value_pair {
  envoy_dynamic_module_type_buffer_module_ptr key_ptr;
  size_t key_length;
  envoy_dynamic_module_type_buffer_module_ptr value_ptr;
  size_t value_length;
} envoy_dynamic_module_type_module_key_value_pair;

/* The by-value layouts every binding (C# included) relies on; fail the build if a field changes. */
#ifdef __cplusplus
#define ENVOYEXT_ABI_STATIC_ASSERT static_assert
#else
#define ENVOYEXT_ABI_STATIC_ASSERT _Static_assert
#endif
ENVOYEXT_ABI_STATIC_ASSERT(sizeof(envoy_dynamic_module_type_envoy_buffer) == 2 * sizeof(void*), "envoy_buffer layout");
ENVOYEXT_ABI_STATIC_ASSERT(sizeof(envoy_dynamic_module_type_module_buffer) == 2 * sizeof(void*),
                           "module_buffer layout");
ENVOYEXT_ABI_STATIC_ASSERT(sizeof(envoy_dynamic_module_type_envoy_http_header) == 4 * sizeof(void*),
                           "envoy_http_header layout");
ENVOYEXT_ABI_STATIC_ASSERT(sizeof(envoy_dynamic_module_type_module_http_header) == 4 * sizeof(void*),
                           "module_http_header layout");
ENVOYEXT_ABI_STATIC_ASSERT(sizeof(envoy_dynamic_module_type_module_key_value_pair) == 4 * sizeof(void*),
                           "module_key_value_pair layout");
#undef ENVOYEXT_ABI_STATIC_ASSERT

/* ---------------------------------------------------------------- enums (values are fixed) */

typedef enum envoy_dynamic_module_type_on_http_filter_request_headers_status {
  envoy_dynamic_module_type_on_http_filter_request_headers_status_Continue = 0,
  envoy_dynamic_module_type_on_http_filter_request_headers_status_StopIteration = 1,
  envoy_dynamic_module_type_on_http_filter_request_headers_status_ContinueAndDontEndStream = 2,
  envoy_dynamic_module_type_on_http_filter_request_headers_status_StopAllIterationAndBuffer = 3,
  envoy_dynamic_module_type_on_http_filter_request_headers_status_StopAllIterationAndWatermark = 4,
} envoy_dynamic_module_type_on_http_filter_request_headers_status;

typedef enum envoy_dynamic_module_type_on_http_filter_request_body_status {
  envoy_dynamic_module_type_on_http_filter_request_body_status_Continue = 0,
  envoy_dynamic_module_type_on_http_filter_request_body_status_StopIterationAndBuffer = 1,
  envoy_dynamic_module_type_on_http_filter_request_body_status_StopIterationAndWatermark = 2,
  envoy_dynamic_module_type_on_http_filter_request_body_status_StopIterationNoBuffer = 3,
} envoy_dynamic_module_type_on_http_filter_request_body_status;

typedef enum envoy_dynamic_module_type_on_http_filter_request_trailers_status {
  envoy_dynamic_module_type_on_http_filter_request_trailers_status_Continue = 0,
  envoy_dynamic_module_type_on_http_filter_request_trailers_status_StopIteration = 1,
} envoy_dynamic_module_type_on_http_filter_request_trailers_status;

typedef enum envoy_dynamic_module_type_on_http_filter_response_headers_status {
  envoy_dynamic_module_type_on_http_filter_response_headers_status_Continue = 0,
  envoy_dynamic_module_type_on_http_filter_response_headers_status_StopIteration = 1,
  envoy_dynamic_module_type_on_http_filter_response_headers_status_ContinueAndDontEndStream = 2,
  envoy_dynamic_module_type_on_http_filter_response_headers_status_StopAllIterationAndBuffer = 3,
  envoy_dynamic_module_type_on_http_filter_response_headers_status_StopAllIterationAndWatermark = 4,
} envoy_dynamic_module_type_on_http_filter_response_headers_status;

typedef enum envoy_dynamic_module_type_on_http_filter_response_body_status {
  envoy_dynamic_module_type_on_http_filter_response_body_status_Continue = 0,
  envoy_dynamic_module_type_on_http_filter_response_body_status_StopIterationAndBuffer = 1,
  envoy_dynamic_module_type_on_http_filter_response_body_status_StopIterationAndWatermark = 2,
  envoy_dynamic_module_type_on_http_filter_response_body_status_StopIterationNoBuffer = 3,
} envoy_dynamic_module_type_on_http_filter_response_body_status;

typedef enum envoy_dynamic_module_type_on_http_filter_response_trailers_status {
  envoy_dynamic_module_type_on_http_filter_response_trailers_status_Continue = 0,
  envoy_dynamic_module_type_on_http_filter_response_trailers_status_StopIteration = 1,
} envoy_dynamic_module_type_on_http_filter_response_trailers_status;

typedef enum envoy_dynamic_module_type_on_http_filter_local_reply_status {
  envoy_dynamic_module_type_on_http_filter_local_reply_status_Continue = 0,
  envoy_dynamic_module_type_on_http_filter_local_reply_status_ContinueAndResetStream = 1,
} envoy_dynamic_module_type_on_http_filter_local_reply_status;

typedef enum envoy_dynamic_module_type_log_level {
  envoy_dynamic_module_type_log_level_Trace = 0,
  envoy_dynamic_module_type_log_level_Debug = 1,
  envoy_dynamic_module_type_log_level_Info = 2,
  envoy_dynamic_module_type_log_level_Warn = 3,
  envoy_dynamic_module_type_log_level_Error = 4,
  envoy_dynamic_module_type_log_level_Critical = 5,
  envoy_dynamic_module_type_log_level_Off = 6,
} envoy_dynamic_module_type_log_level;

typedef enum envoy_dynamic_module_type_http_header_type {
  envoy_dynamic_module_type_http_header_type_RequestHeader = 0,
  envoy_dynamic_module_type_http_header_type_RequestTrailer = 1,
  envoy_dynamic_module_type_http_header_type_ResponseHeader = 2,
  envoy_dynamic_module_type_http_header_type_ResponseTrailer = 3,
} envoy_dynamic_module_type_http_header_type;

typedef enum envoy_dynamic_module_type_http_body_type {
  envoy_dynamic_module_type_http_body_type_ReceivedRequestBody = 0,
  envoy_dynamic_module_type_http_body_type_BufferedRequestBody = 1,
  envoy_dynamic_module_type_http_body_type_ReceivedResponseBody = 2,
  envoy_dynamic_module_type_http_body_type_BufferedResponseBody = 3,
} envoy_dynamic_module_type_http_body_type;

typedef enum envoy_dynamic_module_type_http_filter_stream_reset_reason {
  envoy_dynamic_module_type_http_filter_stream_reset_reason_LocalReset = 0,
  envoy_dynamic_module_type_http_filter_stream_reset_reason_LocalRefusedStreamReset = 1,
} envoy_dynamic_module_type_http_filter_stream_reset_reason;

typedef enum envoy_dynamic_module_type_http_callout_init_result {
  envoy_dynamic_module_type_http_callout_init_result_Success = 0,
  envoy_dynamic_module_type_http_callout_init_result_MissingRequiredHeaders = 1,
  envoy_dynamic_module_type_http_callout_init_result_ClusterNotFound = 2,
  envoy_dynamic_module_type_http_callout_init_result_DuplicateCalloutId = 3,
  envoy_dynamic_module_type_http_callout_init_result_CannotCreateRequest = 4,
} envoy_dynamic_module_type_http_callout_init_result;

typedef enum envoy_dynamic_module_type_http_callout_result {
  envoy_dynamic_module_type_http_callout_result_Success = 0,
  envoy_dynamic_module_type_http_callout_result_Reset = 1,
  envoy_dynamic_module_type_http_callout_result_ExceedResponseBufferLimit = 2,
} envoy_dynamic_module_type_http_callout_result;

typedef enum envoy_dynamic_module_type_http_stream_reset_reason {
  envoy_dynamic_module_type_http_stream_reset_reason_ConnectionFailure = 0,
  envoy_dynamic_module_type_http_stream_reset_reason_ConnectionTermination = 1,
  envoy_dynamic_module_type_http_stream_reset_reason_LocalReset = 2,
  envoy_dynamic_module_type_http_stream_reset_reason_LocalRefusedStreamReset = 3,
  envoy_dynamic_module_type_http_stream_reset_reason_Overflow = 4,
  envoy_dynamic_module_type_http_stream_reset_reason_RemoteReset = 5,
  envoy_dynamic_module_type_http_stream_reset_reason_RemoteRefusedStreamReset = 6,
  envoy_dynamic_module_type_http_stream_reset_reason_ProtocolError = 7,
} envoy_dynamic_module_type_http_stream_reset_reason;

typedef enum envoy_dynamic_module_type_metrics_result {
  envoy_dynamic_module_type_metrics_result_Success = 0,
  envoy_dynamic_module_type_metrics_result_MetricNotFound = 1,
  envoy_dynamic_module_type_metrics_result_InvalidLabels = 2,
  envoy_dynamic_module_type_metrics_result_Frozen = 3,
} envoy_dynamic_module_type_metrics_result;

typedef enum envoy_dynamic_module_type_metadata_source {
  envoy_dynamic_module_type_metadata_source_Dynamic = 0,
  envoy_dynamic_module_type_metadata_source_Route = 1,
  envoy_dynamic_module_type_metadata_source_Cluster = 2,
  envoy_dynamic_module_type_metadata_source_Host = 3,
  envoy_dynamic_module_type_metadata_source_HostLocality = 4,
} envoy_dynamic_module_type_metadata_source;

typedef enum envoy_dynamic_module_type_socket_option_state {
  envoy_dynamic_module_type_socket_option_state_Prebind = 0,
  envoy_dynamic_module_type_socket_option_state_Bound = 1,
  envoy_dynamic_module_type_socket_option_state_Listening = 2,
} envoy_dynamic_module_type_socket_option_state;

typedef enum envoy_dynamic_module_type_socket_direction {
  envoy_dynamic_module_type_socket_direction_Upstream = 0,
  envoy_dynamic_module_type_socket_direction_Downstream = 1,
} envoy_dynamic_module_type_socket_direction;

typedef enum envoy_dynamic_module_type_attribute_id {
  envoy_dynamic_module_type_attribute_id_RequestPath = 0,
  envoy_dynamic_module_type_attribute_id_RequestUrlPath = 1,
  envoy_dynamic_module_type_attribute_id_RequestHost = 2,
  envoy_dynamic_module_type_attribute_id_RequestScheme = 3,
  envoy_dynamic_module_type_attribute_id_RequestMethod = 4,
  envoy_dynamic_module_type_attribute_id_RequestHeaders = 5,
  envoy_dynamic_module_type_attribute_id_RequestReferer = 6,
  envoy_dynamic_module_type_attribute_id_RequestUserAgent = 7,
  envoy_dynamic_module_type_attribute_id_RequestTime = 8,
  envoy_dynamic_module_type_attribute_id_RequestId = 9,
  envoy_dynamic_module_type_attribute_id_RequestProtocol = 10,
  envoy_dynamic_module_type_attribute_id_RequestQuery = 11,
  envoy_dynamic_module_type_attribute_id_RequestDuration = 12,
  envoy_dynamic_module_type_attribute_id_RequestSize = 13,
  envoy_dynamic_module_type_attribute_id_RequestTotalSize = 14,
  envoy_dynamic_module_type_attribute_id_ResponseCode = 15,
  envoy_dynamic_module_type_attribute_id_ResponseCodeDetails = 16,
  envoy_dynamic_module_type_attribute_id_ResponseFlags = 17,
  envoy_dynamic_module_type_attribute_id_ResponseGrpcStatus = 18,
  envoy_dynamic_module_type_attribute_id_ResponseHeaders = 19,
  envoy_dynamic_module_type_attribute_id_ResponseTrailers = 20,
  envoy_dynamic_module_type_attribute_id_ResponseSize = 21,
  envoy_dynamic_module_type_attribute_id_ResponseTotalSize = 22,
  envoy_dynamic_module_type_attribute_id_ResponseBackendLatency = 23,
  envoy_dynamic_module_type_attribute_id_SourceAddress = 24,
  envoy_dynamic_module_type_attribute_id_SourcePort = 25,
  envoy_dynamic_module_type_attribute_id_DestinationAddress = 26,
  envoy_dynamic_module_type_attribute_id_DestinationPort = 27,
  envoy_dynamic_module_type_attribute_id_ConnectionId = 28,
  envoy_dynamic_module_type_attribute_id_ConnectionMtls = 29,
  envoy_dynamic_module_type_attribute_id_ConnectionRequestedServerName = 30,
  envoy_dynamic_module_type_attribute_id_ConnectionTlsVersion = 31,
  envoy_dynamic_module_type_attribute_id_ConnectionSubjectLocalCertificate = 32,
  envoy_dynamic_module_type_attribute_id_ConnectionSubjectPeerCertificate = 33,
  envoy_dynamic_module_type_attribute_id_ConnectionDnsSanLocalCertificate = 34,
  envoy_dynamic_module_type_attribute_id_ConnectionDnsSanPeerCertificate = 35,
  envoy_dynamic_module_type_attribute_id_ConnectionUriSanLocalCertificate = 36,
  envoy_dynamic_module_type_attribute_id_ConnectionUriSanPeerCertificate = 37,
  envoy_dynamic_module_type_attribute_id_ConnectionSha256PeerCertificateDigest = 38,
  envoy_dynamic_module_type_attribute_id_ConnectionTransportFailureReason = 39,
  envoy_dynamic_module_type_attribute_id_ConnectionTerminationDetails = 40,
  envoy_dynamic_module_type_attribute_id_UpstreamAddress = 41,
  envoy_dynamic_module_type_attribute_id_UpstreamPort = 42,
  envoy_dynamic_module_type_attribute_id_UpstreamTlsVersion = 43,
  envoy_dynamic_module_type_attribute_id_UpstreamSubjectLocalCertificate = 44,
  envoy_dynamic_module_type_attribute_id_UpstreamSubjectPeerCertificate = 45,
  envoy_dynamic_module_type_attribute_id_UpstreamDnsSanLocalCertificate = 46,
  envoy_dynamic_module_type_attribute_id_UpstreamDnsSanPeerCertificate = 47,
  envoy_dynamic_module_type_attribute_id_UpstreamUriSanLocalCertificate = 48,
  envoy_dynamic_module_type_attribute_id_UpstreamUriSanPeerCertificate = 49,
  envoy_dynamic_module_type_attribute_id_UpstreamSha256PeerCertificateDigest = 50,
  envoy_dynamic_module_type_attribute_id_UpstreamLocalAddress = 51,
  envoy_dynamic_module_type_attribute_id_UpstreamTransportFailureReason = 52,
  envoy_dynamic_module_type_attribute_id_UpstreamRequestAttemptCount = 53,
  envoy_dynamic_module_type_attribute_id_UpstreamCxPoolReadyDuration = 54,
  envoy_dynamic_module_type_attribute_id_UpstreamLocality = 55,
  envoy_dynamic_module_type_attribute_id_XdsNode = 56,
  envoy_dynamic_module_type_attribute_id_XdsClusterName = 57,
  envoy_dynamic_module_type_attribute_id_XdsClusterMetadata = 58,
  envoy_dynamic_module_type_attribute_id_XdsListenerDirection = 59,
  envoy_dynamic_module_type_attribute_id_XdsListenerMetadata = 60,
  envoy_dynamic_module_type_attribute_id_XdsRouteName = 61,
  envoy_dynamic_module_type_attribute_id_XdsRouteMetadata = 62,
  envoy_dynamic_module_type_attribute_id_XdsVirtualHostName = 63,
  envoy_dynamic_module_type_attribute_id_XdsVirtualHostMetadata = 64,
  envoy_dynamic_module_type_attribute_id_XdsUpstreamHostMetadata = 65,
  envoy_dynamic_module_type_attribute_id_XdsFilterChainName = 66,
  envoy_dynamic_module_type_attribute_id_HealthCheck = 67,
  envoy_dynamic_module_type_attribute_id_UpstreamRequestedServerName = 68,
  envoy_dynamic_module_type_attribute_id_XdsVirtualClusterName = 69,
  envoy_dynamic_module_type_attribute_id_UpstreamProtocol = 70,
} envoy_dynamic_module_type_attribute_id;

/* ---------------------------------------------------------------- event hooks (module exports) */

envoy_dynamic_module_type_abi_version_module_ptr envoy_dynamic_module_on_program_init(void);

envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_envoy_buffer name, envoy_dynamic_module_type_envoy_buffer config);
void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr);
envoy_dynamic_module_type_http_filter_per_route_config_module_ptr
envoy_dynamic_module_on_http_filter_per_route_config_new(envoy_dynamic_module_type_envoy_buffer name,
                                                         envoy_dynamic_module_type_envoy_buffer config);
void envoy_dynamic_module_on_http_filter_per_route_config_destroy(
    envoy_dynamic_module_type_http_filter_per_route_config_module_ptr filter_config_ptr);

envoy_dynamic_module_type_http_filter_module_ptr envoy_dynamic_module_on_http_filter_new(
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr,
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr);
envoy_dynamic_module_type_on_http_filter_request_headers_status envoy_dynamic_module_on_http_filter_request_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, bool end_of_stream);
envoy_dynamic_module_type_on_http_filter_request_body_status envoy_dynamic_module_on_http_filter_request_body(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, bool end_of_stream);
envoy_dynamic_module_type_on_http_filter_request_trailers_status envoy_dynamic_module_on_http_filter_request_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr);
envoy_dynamic_module_type_on_http_filter_response_headers_status envoy_dynamic_module_on_http_filter_response_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, bool end_of_stream);
envoy_dynamic_module_type_on_http_filter_response_body_status envoy_dynamic_module_on_http_filter_response_body(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, bool end_of_stream);
envoy_dynamic_module_type_on_http_filter_response_trailers_status envoy_dynamic_module_on_http_filter_response_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr);
void envoy_dynamic_module_on_http_filter_stream_complete(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr);
void envoy_dynamic_module_on_http_filter_destroy(envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr);

void envoy_dynamic_module_on_http_filter_http_callout_done(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, uint64_t callout_id,
    envoy_dynamic_module_type_http_callout_result result, envoy_dynamic_module_type_envoy_http_header* headers,
    size_t headers_size, envoy_dynamic_module_type_envoy_buffer* body_chunks, size_t body_chunks_size);
void envoy_dynamic_module_on_http_filter_http_stream_headers(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, uint64_t stream_id,
    envoy_dynamic_module_type_envoy_http_header* headers, size_t headers_size, bool end_stream);
void envoy_dynamic_module_on_http_filter_http_stream_data(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, uint64_t stream_id,
    const envoy_dynamic_module_type_envoy_buffer* data, size_t data_count, bool end_stream);
void envoy_dynamic_module_on_http_filter_http_stream_trailers(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, uint64_t stream_id,
    envoy_dynamic_module_type_envoy_http_header* trailers, size_t trailers_size);
void envoy_dynamic_module_on_http_filter_http_stream_complete(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, uint64_t stream_id);
void envoy_dynamic_module_on_http_filter_http_stream_reset(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, uint64_t stream_id,
    envoy_dynamic_module_type_http_stream_reset_reason reason);
void envoy_dynamic_module_on_http_filter_scheduled(envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
                                                   envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr,
                                                   uint64_t event_id);
void envoy_dynamic_module_on_http_filter_config_scheduled(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr, uint64_t event_id);
void envoy_dynamic_module_on_http_filter_config_http_callout_done(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr, uint64_t callout_id,
    envoy_dynamic_module_type_http_callout_result result, envoy_dynamic_module_type_envoy_http_header* headers,
    size_t headers_size, envoy_dynamic_module_type_envoy_buffer* body_chunks, size_t body_chunks_size);
/* Streaming callouts started from a filter config (config_start_http_stream); optional hooks, run on main. */
void envoy_dynamic_module_on_http_filter_config_http_stream_headers(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr, uint64_t stream_id,
    envoy_dynamic_module_type_envoy_http_header* headers, size_t headers_size, bool end_stream);
void envoy_dynamic_module_on_http_filter_config_http_stream_data(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr, uint64_t stream_id,
    const envoy_dynamic_module_type_envoy_buffer* data, size_t data_count, bool end_stream);
void envoy_dynamic_module_on_http_filter_config_http_stream_trailers(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr, uint64_t stream_id,
    envoy_dynamic_module_type_envoy_http_header* trailers, size_t trailers_size);
void envoy_dynamic_module_on_http_filter_config_http_stream_complete(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr, uint64_t stream_id);
void envoy_dynamic_module_on_http_filter_config_http_stream_reset(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr, uint64_t stream_id,
    envoy_dynamic_module_type_http_stream_reset_reason reason);
void envoy_dynamic_module_on_http_filter_downstream_above_write_buffer_high_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr);
void envoy_dynamic_module_on_http_filter_downstream_below_write_buffer_low_watermark(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr);
envoy_dynamic_module_type_on_http_filter_local_reply_status envoy_dynamic_module_on_http_filter_local_reply(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr, uint32_t response_code,
    envoy_dynamic_module_type_envoy_buffer details, bool reset_imminent);

/* ---------------------------------------------------------------- callbacks (Envoy exports) */
/* Abbreviations used only to keep the prototypes readable. */
#define EDM_FE envoy_dynamic_module_type_http_filter_envoy_ptr
#define EDM_CE envoy_dynamic_module_type_http_filter_config_envoy_ptr
#define EDM_MB envoy_dynamic_module_type_module_buffer
#define EDM_EB envoy_dynamic_module_type_envoy_buffer
#define EDM_MH envoy_dynamic_module_type_module_http_header
#define EDM_EH envoy_dynamic_module_type_envoy_http_header

/* logging, process, runtime */
void envoy_dynamic_module_callback_log(envoy_dynamic_module_type_log_level level, EDM_MB message);
void envoy_dynamic_module_callback_log_v2(envoy_dynamic_module_type_log_level level, EDM_MB message, EDM_MB source_file,
                                          uint32_t source_line);
bool envoy_dynamic_module_callback_log_enabled(envoy_dynamic_module_type_log_level level);
envoy_dynamic_module_type_log_level envoy_dynamic_module_callback_get_log_level(void);
uint32_t envoy_dynamic_module_callback_get_concurrency(void);
bool envoy_dynamic_module_callback_is_validation_mode(void);
bool envoy_dynamic_module_callback_get_runtime_bool(EDM_MB key, bool default_value);
uint64_t envoy_dynamic_module_callback_get_runtime_int(EDM_MB key, uint64_t default_value);
double envoy_dynamic_module_callback_get_runtime_number(EDM_MB key, double default_value);
bool envoy_dynamic_module_callback_register_function(EDM_MB key, void* function_ptr);
bool envoy_dynamic_module_callback_get_function(EDM_MB key, void** function_ptr_out);
bool envoy_dynamic_module_callback_register_shared_data(EDM_MB key, void* data_ptr);
bool envoy_dynamic_module_callback_get_shared_data(EDM_MB key, void** data_ptr_out);

/* headers and trailers */
bool envoy_dynamic_module_callback_http_get_header(EDM_FE filter_envoy_ptr,
                                                   envoy_dynamic_module_type_http_header_type header_type, EDM_MB key,
                                                   EDM_EB* result_buffer, size_t index, size_t* optional_size);
bool envoy_dynamic_module_callback_http_get_header_values(EDM_FE filter_envoy_ptr,
                                                          envoy_dynamic_module_type_http_header_type header_type,
                                                          EDM_MB key, EDM_EB* result_buffers);
size_t envoy_dynamic_module_callback_http_get_headers_size(EDM_FE filter_envoy_ptr,
                                                           envoy_dynamic_module_type_http_header_type header_type);
bool envoy_dynamic_module_callback_http_get_headers(EDM_FE filter_envoy_ptr,
                                                    envoy_dynamic_module_type_http_header_type header_type,
                                                    EDM_EH* result_headers);
bool envoy_dynamic_module_callback_http_set_header(EDM_FE filter_envoy_ptr,
                                                   envoy_dynamic_module_type_http_header_type header_type, EDM_MB key,
                                                   EDM_MB value);
bool envoy_dynamic_module_callback_http_add_header(EDM_FE filter_envoy_ptr,
                                                   envoy_dynamic_module_type_http_header_type header_type, EDM_MB key,
                                                   EDM_MB value);

/* bodies */
size_t envoy_dynamic_module_callback_http_get_body_size(EDM_FE filter_envoy_ptr,
                                                        envoy_dynamic_module_type_http_body_type body_type);
size_t envoy_dynamic_module_callback_http_get_body_chunks_size(EDM_FE filter_envoy_ptr,
                                                               envoy_dynamic_module_type_http_body_type body_type);
bool envoy_dynamic_module_callback_http_get_body_chunks(EDM_FE filter_envoy_ptr,
                                                        envoy_dynamic_module_type_http_body_type body_type,
                                                        EDM_EB* result_buffer_vector);
bool envoy_dynamic_module_callback_http_append_body(EDM_FE filter_envoy_ptr,
                                                    envoy_dynamic_module_type_http_body_type body_type, EDM_MB data);
bool envoy_dynamic_module_callback_http_drain_body(EDM_FE filter_envoy_ptr,
                                                   envoy_dynamic_module_type_http_body_type body_type,
                                                   size_t number_of_bytes);
bool envoy_dynamic_module_callback_http_received_buffered_request_body(EDM_FE filter_envoy_ptr);
bool envoy_dynamic_module_callback_http_received_buffered_response_body(EDM_FE filter_envoy_ptr);
uint64_t envoy_dynamic_module_callback_http_get_buffer_limit(EDM_FE filter_envoy_ptr);
void envoy_dynamic_module_callback_http_set_buffer_limit(EDM_FE filter_envoy_ptr, uint64_t limit);

/* local responses and stream control */
void envoy_dynamic_module_callback_http_send_response(EDM_FE filter_envoy_ptr, uint32_t status_code,
                                                      EDM_MH* headers_vector, size_t headers_vector_size, EDM_MB body,
                                                      EDM_MB details);
void envoy_dynamic_module_callback_http_send_response_headers(EDM_FE filter_envoy_ptr, EDM_MH* headers_vector,
                                                              size_t headers_vector_size, bool end_stream);
void envoy_dynamic_module_callback_http_send_response_data(EDM_FE filter_envoy_ptr, EDM_MB data, bool end_stream);
void envoy_dynamic_module_callback_http_send_response_trailers(EDM_FE filter_envoy_ptr, EDM_MH* trailers_vector,
                                                               size_t trailers_vector_size);
void envoy_dynamic_module_callback_http_filter_reset_stream(
    EDM_FE filter_envoy_ptr, envoy_dynamic_module_type_http_filter_stream_reset_reason reason, EDM_MB details);
void envoy_dynamic_module_callback_http_filter_send_go_away_and_close(EDM_FE filter_envoy_ptr, bool graceful);
bool envoy_dynamic_module_callback_http_filter_recreate_stream(EDM_FE filter_envoy_ptr, EDM_MH* headers,
                                                               size_t headers_size);
void envoy_dynamic_module_callback_http_clear_route_cache(EDM_FE filter_envoy_ptr);
void envoy_dynamic_module_callback_http_clear_route_cluster_cache(EDM_FE filter_envoy_ptr);
void envoy_dynamic_module_callback_http_filter_continue_decoding(EDM_FE filter_envoy_ptr);
void envoy_dynamic_module_callback_http_filter_continue_encoding(EDM_FE filter_envoy_ptr);

/* scheduler */
envoy_dynamic_module_type_http_filter_scheduler_module_ptr envoy_dynamic_module_callback_http_filter_scheduler_new(
    EDM_FE filter_envoy_ptr);
void envoy_dynamic_module_callback_http_filter_scheduler_commit(
    envoy_dynamic_module_type_http_filter_scheduler_module_ptr scheduler_module_ptr, uint64_t event_id);
void envoy_dynamic_module_callback_http_filter_scheduler_delete(
    envoy_dynamic_module_type_http_filter_scheduler_module_ptr scheduler_module_ptr);
envoy_dynamic_module_type_http_filter_config_scheduler_module_ptr
envoy_dynamic_module_callback_http_filter_config_scheduler_new(EDM_CE filter_config_envoy_ptr);
void envoy_dynamic_module_callback_http_filter_config_scheduler_commit(
    envoy_dynamic_module_type_http_filter_config_scheduler_module_ptr scheduler_module_ptr, uint64_t event_id);
void envoy_dynamic_module_callback_http_filter_config_scheduler_delete(
    envoy_dynamic_module_type_http_filter_config_scheduler_module_ptr scheduler_module_ptr);

/* HTTP callouts */
envoy_dynamic_module_type_http_callout_init_result envoy_dynamic_module_callback_http_filter_http_callout(
    EDM_FE filter_envoy_ptr, uint64_t* callout_id_out, EDM_MB cluster_name, EDM_MH* headers, size_t headers_size,
    EDM_MB body, uint64_t timeout_milliseconds);
envoy_dynamic_module_type_http_callout_init_result envoy_dynamic_module_callback_http_filter_start_http_stream(
    EDM_FE filter_envoy_ptr, uint64_t* stream_id_out, EDM_MB cluster_name, EDM_MH* headers, size_t headers_size,
    EDM_MB body, bool end_stream, uint64_t timeout_milliseconds);
bool envoy_dynamic_module_callback_http_stream_send_data(EDM_FE filter_envoy_ptr, uint64_t stream_id, EDM_MB data,
                                                         bool end_stream);
bool envoy_dynamic_module_callback_http_stream_send_trailers(EDM_FE filter_envoy_ptr, uint64_t stream_id,
                                                             EDM_MH* trailers, size_t trailers_size);
void envoy_dynamic_module_callback_http_filter_reset_http_stream(EDM_FE filter_envoy_ptr, uint64_t stream_id);
envoy_dynamic_module_type_http_callout_init_result envoy_dynamic_module_callback_http_filter_config_http_callout(
    EDM_CE filter_config_envoy_ptr, uint64_t* callout_id_out, EDM_MB cluster_name, EDM_MH* headers, size_t headers_size,
    EDM_MB body, uint64_t timeout_milliseconds);
envoy_dynamic_module_type_http_callout_init_result envoy_dynamic_module_callback_http_filter_config_start_http_stream(
    EDM_CE filter_config_envoy_ptr, uint64_t* stream_id_out, EDM_MB cluster_name, EDM_MH* headers, size_t headers_size,
    EDM_MB body, bool end_stream, uint64_t timeout_milliseconds);
void envoy_dynamic_module_callback_http_filter_config_reset_http_stream(EDM_CE filter_config_envoy_ptr,
                                                                        uint64_t stream_id);
bool envoy_dynamic_module_callback_http_filter_config_stream_send_data(EDM_CE filter_config_envoy_ptr,
                                                                       uint64_t stream_id, EDM_MB data,
                                                                       bool end_stream);
bool envoy_dynamic_module_callback_http_filter_config_stream_send_trailers(EDM_CE filter_config_envoy_ptr,
                                                                           uint64_t stream_id, EDM_MH* trailers,
                                                                           size_t trailers_size);

/* metrics */
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_define_counter(
    EDM_CE filter_config_envoy_ptr, EDM_MB name, EDM_MB* label_names, size_t label_names_length,
    size_t* counter_id_ptr);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_define_gauge(
    EDM_CE filter_config_envoy_ptr, EDM_MB name, EDM_MB* label_names, size_t label_names_length, size_t* gauge_id_ptr);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_define_histogram(
    EDM_CE filter_config_envoy_ptr, EDM_MB name, EDM_MB* label_names, size_t label_names_length,
    size_t* histogram_id_ptr);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_increment_counter(
    EDM_FE filter_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_increment_gauge(
    EDM_FE filter_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_decrement_gauge(
    EDM_FE filter_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_set_gauge(
    EDM_FE filter_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_record_histogram_value(
    EDM_FE filter_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_increment_counter(
    EDM_CE filter_config_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_increment_gauge(
    EDM_CE filter_config_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_decrement_gauge(
    EDM_CE filter_config_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_set_gauge(
    EDM_CE filter_config_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);
envoy_dynamic_module_type_metrics_result envoy_dynamic_module_callback_http_filter_config_record_histogram_value(
    EDM_CE filter_config_envoy_ptr, size_t id, EDM_MB* label_values, size_t label_values_length, uint64_t value);

/* attributes, route, cluster, worker */
bool envoy_dynamic_module_callback_http_filter_get_attribute_string(EDM_FE filter_envoy_ptr,
                                                                    envoy_dynamic_module_type_attribute_id attribute_id,
                                                                    EDM_EB* result);
bool envoy_dynamic_module_callback_http_filter_get_attribute_int(EDM_FE filter_envoy_ptr,
                                                                 envoy_dynamic_module_type_attribute_id attribute_id,
                                                                 uint64_t* result);
bool envoy_dynamic_module_callback_http_filter_get_attribute_bool(EDM_FE filter_envoy_ptr,
                                                                  envoy_dynamic_module_type_attribute_id attribute_id,
                                                                  bool* result);
uint32_t envoy_dynamic_module_callback_http_filter_get_worker_index(EDM_FE filter_envoy_ptr);
envoy_dynamic_module_type_http_filter_per_route_config_module_ptr
envoy_dynamic_module_callback_get_most_specific_route_config(EDM_FE filter_envoy_ptr);
bool envoy_dynamic_module_callback_http_get_cluster_name(EDM_FE filter_envoy_ptr, EDM_EB* result);
bool envoy_dynamic_module_callback_http_get_cluster_host_count(EDM_FE filter_envoy_ptr, uint32_t priority,
                                                               size_t* total_count, size_t* healthy_count,
                                                               size_t* degraded_count);
bool envoy_dynamic_module_callback_http_set_upstream_override_host(EDM_FE filter_envoy_ptr, EDM_MB host, bool strict);
void envoy_dynamic_module_callback_http_add_custom_flag(EDM_FE filter_envoy_ptr, EDM_MB flag);

/* dynamic metadata */
void envoy_dynamic_module_callback_http_set_dynamic_metadata_number(EDM_FE filter_envoy_ptr, EDM_MB metadata_namespace,
                                                                    EDM_MB key, double value);
void envoy_dynamic_module_callback_http_set_dynamic_metadata_string(EDM_FE filter_envoy_ptr, EDM_MB metadata_namespace,
                                                                    EDM_MB key, EDM_MB value);
void envoy_dynamic_module_callback_http_set_dynamic_metadata_bool(EDM_FE filter_envoy_ptr, EDM_MB metadata_namespace,
                                                                  EDM_MB key, bool value);
void envoy_dynamic_module_callback_http_set_dynamic_metadata_string_batch(
    EDM_FE filter_envoy_ptr, EDM_MB metadata_namespace, const envoy_dynamic_module_type_module_key_value_pair* entries,
    size_t entries_size);
bool envoy_dynamic_module_callback_http_get_metadata_number(EDM_FE filter_envoy_ptr,
                                                            envoy_dynamic_module_type_metadata_source source,
                                                            EDM_MB metadata_namespace, EDM_MB key, double* result);
bool envoy_dynamic_module_callback_http_get_metadata_string(EDM_FE filter_envoy_ptr,
                                                            envoy_dynamic_module_type_metadata_source source,
                                                            EDM_MB metadata_namespace, EDM_MB key, EDM_EB* result);
bool envoy_dynamic_module_callback_http_get_metadata_bool(EDM_FE filter_envoy_ptr,
                                                          envoy_dynamic_module_type_metadata_source source,
                                                          EDM_MB metadata_namespace, EDM_MB key, bool* result);
size_t envoy_dynamic_module_callback_http_get_metadata_keys_count(EDM_FE filter_envoy_ptr,
                                                                  envoy_dynamic_module_type_metadata_source source,
                                                                  EDM_MB metadata_namespace);
bool envoy_dynamic_module_callback_http_get_metadata_keys(EDM_FE filter_envoy_ptr,
                                                          envoy_dynamic_module_type_metadata_source source,
                                                          EDM_MB metadata_namespace, EDM_EB* result);
size_t envoy_dynamic_module_callback_http_get_metadata_namespaces_count(
    EDM_FE filter_envoy_ptr, envoy_dynamic_module_type_metadata_source source);
bool envoy_dynamic_module_callback_http_get_metadata_namespaces(EDM_FE filter_envoy_ptr,
                                                                envoy_dynamic_module_type_metadata_source source,
                                                                EDM_EB* result);
bool envoy_dynamic_module_callback_http_add_dynamic_metadata_list_number(EDM_FE filter_envoy_ptr,
                                                                         EDM_MB metadata_namespace, EDM_MB key,
                                                                         double value);
bool envoy_dynamic_module_callback_http_add_dynamic_metadata_list_string(EDM_FE filter_envoy_ptr,
                                                                         EDM_MB metadata_namespace, EDM_MB key,
                                                                         EDM_MB value);
bool envoy_dynamic_module_callback_http_add_dynamic_metadata_list_bool(EDM_FE filter_envoy_ptr,
                                                                       EDM_MB metadata_namespace, EDM_MB key,
                                                                       bool value);
bool envoy_dynamic_module_callback_http_get_metadata_list_size(EDM_FE filter_envoy_ptr,
                                                               envoy_dynamic_module_type_metadata_source source,
                                                               EDM_MB metadata_namespace, EDM_MB key, size_t* result);
bool envoy_dynamic_module_callback_http_get_metadata_list_number(EDM_FE filter_envoy_ptr,
                                                                 envoy_dynamic_module_type_metadata_source source,
                                                                 EDM_MB metadata_namespace, EDM_MB key, size_t index,
                                                                 double* result);
bool envoy_dynamic_module_callback_http_get_metadata_list_string(EDM_FE filter_envoy_ptr,
                                                                 envoy_dynamic_module_type_metadata_source source,
                                                                 EDM_MB metadata_namespace, EDM_MB key, size_t index,
                                                                 EDM_EB* result);
bool envoy_dynamic_module_callback_http_get_metadata_list_bool(EDM_FE filter_envoy_ptr,
                                                               envoy_dynamic_module_type_metadata_source source,
                                                               EDM_MB metadata_namespace, EDM_MB key, size_t index,
                                                               bool* result);
void envoy_dynamic_module_callback_http_set_dynamic_metadata_struct(EDM_FE filter_envoy_ptr, EDM_MB metadata_namespace,
                                                                    EDM_MB serialized_struct);
void envoy_dynamic_module_callback_http_set_dynamic_typed_metadata(EDM_FE filter_envoy_ptr, EDM_MB metadata_namespace,
                                                                   EDM_MB serialized_any);

/* filter state */
bool envoy_dynamic_module_callback_http_set_filter_state_bytes(EDM_FE filter_envoy_ptr, EDM_MB key, EDM_MB value);
bool envoy_dynamic_module_callback_http_get_filter_state_bytes(EDM_FE filter_envoy_ptr, EDM_MB key, EDM_EB* result);
bool envoy_dynamic_module_callback_http_set_filter_state_typed(EDM_FE filter_envoy_ptr, EDM_MB key, EDM_MB value);
bool envoy_dynamic_module_callback_http_get_filter_state_typed(EDM_FE filter_envoy_ptr, EDM_MB key, EDM_EB* result);

/* socket options (no sockets in the host: always unavailable) */
bool envoy_dynamic_module_callback_http_set_socket_option_int(EDM_FE filter_envoy_ptr, int64_t level, int64_t name,
                                                              envoy_dynamic_module_type_socket_option_state state,
                                                              envoy_dynamic_module_type_socket_direction direction,
                                                              int64_t value);
bool envoy_dynamic_module_callback_http_set_socket_option_bytes(EDM_FE filter_envoy_ptr, int64_t level, int64_t name,
                                                                envoy_dynamic_module_type_socket_option_state state,
                                                                envoy_dynamic_module_type_socket_direction direction,
                                                                EDM_MB value);
bool envoy_dynamic_module_callback_http_get_socket_option_int(EDM_FE filter_envoy_ptr, int64_t level, int64_t name,
                                                              envoy_dynamic_module_type_socket_option_state state,
                                                              envoy_dynamic_module_type_socket_direction direction,
                                                              int64_t* value_out);
bool envoy_dynamic_module_callback_http_get_socket_option_bytes(EDM_FE filter_envoy_ptr, int64_t level, int64_t name,
                                                                envoy_dynamic_module_type_socket_option_state state,
                                                                envoy_dynamic_module_type_socket_direction direction,
                                                                EDM_EB* value_out);

/* tracing: the host has no tracer, so there is never an active span */
envoy_dynamic_module_type_span_envoy_ptr envoy_dynamic_module_callback_http_get_active_span(EDM_FE filter_envoy_ptr);

/* generic secrets (the host serves static secrets only: a subscription with an SDS config fails) */
size_t envoy_dynamic_module_callback_http_filter_config_generic_secret_subscribe(EDM_CE filter_config_envoy_ptr,
                                                                                 EDM_MB name,
                                                                                 EDM_MB sds_config_source_json);
bool envoy_dynamic_module_callback_http_filter_get_generic_secret(EDM_FE filter_envoy_ptr, size_t secret_id,
                                                                  EDM_EB* result);
bool envoy_dynamic_module_callback_http_filter_config_get_generic_secret(EDM_CE filter_config_envoy_ptr,
                                                                         size_t secret_id, EDM_EB* result);

#undef EDM_FE
#undef EDM_CE
#undef EDM_MB
#undef EDM_EB
#undef EDM_MH
#undef EDM_EH

#ifdef __cplusplus
}
#endif

#endif /* ENVOYEXT_ABI_H */
