namespace EnvoyExt.DynamicModules.Sdk;

/// <summary><c>envoy_dynamic_module_type_attribute_id</c> (v1.40 numbering). Not every id is available
/// as every type: Envoy answers false for unsupported combinations.</summary>
public enum AttributeId
{
    /// <summary>Envoy attribute <c>request.path</c>.</summary>
    RequestPath = 0,
    /// <summary>Envoy attribute <c>request.url_path</c>.</summary>
    RequestUrlPath = 1,
    /// <summary>Envoy attribute <c>request.host</c>.</summary>
    RequestHost = 2,
    /// <summary>Envoy attribute <c>request.scheme</c>.</summary>
    RequestScheme = 3,
    /// <summary>Envoy attribute <c>request.method</c>.</summary>
    RequestMethod = 4,
    /// <summary>Envoy attribute <c>request.headers</c>.</summary>
    RequestHeaders = 5,
    /// <summary>Envoy attribute <c>request.referer</c>.</summary>
    RequestReferer = 6,
    /// <summary>Envoy attribute <c>request.user_agent</c>.</summary>
    RequestUserAgent = 7,
    /// <summary>Envoy attribute <c>request.time</c>.</summary>
    RequestTime = 8,
    /// <summary>Envoy attribute <c>request.id</c>.</summary>
    RequestId = 9,
    /// <summary>Envoy attribute <c>request.protocol</c>.</summary>
    RequestProtocol = 10,
    /// <summary>Envoy attribute <c>request.query</c>.</summary>
    RequestQuery = 11,
    /// <summary>Envoy attribute <c>request.duration</c>.</summary>
    RequestDuration = 12,
    /// <summary>Envoy attribute <c>request.size</c>.</summary>
    RequestSize = 13,
    /// <summary>Envoy attribute <c>request.total_size</c>.</summary>
    RequestTotalSize = 14,
    /// <summary>Envoy attribute <c>response.code</c>.</summary>
    ResponseCode = 15,
    /// <summary>Envoy attribute <c>response.code_details</c>.</summary>
    ResponseCodeDetails = 16,
    /// <summary>Envoy attribute <c>response.flags</c>.</summary>
    ResponseFlags = 17,
    /// <summary>Envoy attribute <c>response.grpc_status</c>.</summary>
    ResponseGrpcStatus = 18,
    /// <summary>Envoy attribute <c>response.headers</c>.</summary>
    ResponseHeaders = 19,
    /// <summary>Envoy attribute <c>response.trailers</c>.</summary>
    ResponseTrailers = 20,
    /// <summary>Envoy attribute <c>response.size</c>.</summary>
    ResponseSize = 21,
    /// <summary>Envoy attribute <c>response.total_size</c>.</summary>
    ResponseTotalSize = 22,
    /// <summary>Envoy attribute <c>response.backend_latency</c>.</summary>
    ResponseBackendLatency = 23,
    /// <summary>"ip:port" from 1.40.</summary>
    SourceAddress = 24,
    /// <summary>Envoy attribute <c>source.port</c>.</summary>
    SourcePort = 25,
    /// <summary>Envoy attribute <c>destination.address</c>.</summary>
    DestinationAddress = 26,
    /// <summary>Envoy attribute <c>destination.port</c>.</summary>
    DestinationPort = 27,
    /// <summary>Envoy attribute <c>connection.id</c>.</summary>
    ConnectionId = 28,
    /// <summary>Envoy attribute <c>connection.mtls</c>.</summary>
    ConnectionMtls = 29,
    /// <summary>Envoy attribute <c>connection.requested_server_name</c>.</summary>
    ConnectionRequestedServerName = 30,
    /// <summary>Envoy attribute <c>connection.tls_version</c>.</summary>
    ConnectionTlsVersion = 31,
    /// <summary>Envoy attribute <c>connection.subject_local_certificate</c>.</summary>
    ConnectionSubjectLocalCertificate = 32,
    /// <summary>Envoy attribute <c>connection.subject_peer_certificate</c>.</summary>
    ConnectionSubjectPeerCertificate = 33,
    /// <summary>Envoy attribute <c>connection.dns_san_local_certificate</c>.</summary>
    ConnectionDnsSanLocalCertificate = 34,
    /// <summary>Envoy attribute <c>connection.dns_san_peer_certificate</c>.</summary>
    ConnectionDnsSanPeerCertificate = 35,
    /// <summary>Envoy attribute <c>connection.uri_san_local_certificate</c>.</summary>
    ConnectionUriSanLocalCertificate = 36,
    /// <summary>Envoy attribute <c>connection.uri_san_peer_certificate</c>.</summary>
    ConnectionUriSanPeerCertificate = 37,
    /// <summary>Envoy attribute <c>connection.sha256_peer_certificate_digest</c>.</summary>
    ConnectionSha256PeerCertificateDigest = 38,
    /// <summary>Envoy attribute <c>connection.transport_failure_reason</c>.</summary>
    ConnectionTransportFailureReason = 39,
    /// <summary>Envoy attribute <c>connection.termination_details</c>.</summary>
    ConnectionTerminationDetails = 40,
    /// <summary>Envoy attribute <c>upstream.address</c>.</summary>
    UpstreamAddress = 41,
    /// <summary>Envoy attribute <c>upstream.port</c>.</summary>
    UpstreamPort = 42,
    /// <summary>Envoy attribute <c>upstream.tls_version</c>.</summary>
    UpstreamTlsVersion = 43,
    /// <summary>Envoy attribute <c>upstream.subject_local_certificate</c>.</summary>
    UpstreamSubjectLocalCertificate = 44,
    /// <summary>Envoy attribute <c>upstream.subject_peer_certificate</c>.</summary>
    UpstreamSubjectPeerCertificate = 45,
    /// <summary>Envoy attribute <c>upstream.dns_san_local_certificate</c>.</summary>
    UpstreamDnsSanLocalCertificate = 46,
    /// <summary>Envoy attribute <c>upstream.dns_san_peer_certificate</c>.</summary>
    UpstreamDnsSanPeerCertificate = 47,
    /// <summary>Envoy attribute <c>upstream.uri_san_local_certificate</c>.</summary>
    UpstreamUriSanLocalCertificate = 48,
    /// <summary>Envoy attribute <c>upstream.uri_san_peer_certificate</c>.</summary>
    UpstreamUriSanPeerCertificate = 49,
    /// <summary>Envoy attribute <c>upstream.sha256_peer_certificate_digest</c>.</summary>
    UpstreamSha256PeerCertificateDigest = 50,
    /// <summary>Envoy attribute <c>upstream.local_address</c>.</summary>
    UpstreamLocalAddress = 51,
    /// <summary>Envoy attribute <c>upstream.transport_failure_reason</c>.</summary>
    UpstreamTransportFailureReason = 52,
    /// <summary>Envoy attribute <c>upstream.request_attempt_count</c>.</summary>
    UpstreamRequestAttemptCount = 53,
    /// <summary>Envoy attribute <c>upstream.cx_pool_ready_duration</c>.</summary>
    UpstreamCxPoolReadyDuration = 54,
    /// <summary>Envoy attribute <c>upstream.locality</c>.</summary>
    UpstreamLocality = 55,
    /// <summary>Envoy attribute <c>xds.node</c>.</summary>
    XdsNode = 56,
    /// <summary>Envoy attribute <c>xds.cluster_name</c>.</summary>
    XdsClusterName = 57,
    /// <summary>Envoy attribute <c>xds.cluster_metadata</c>.</summary>
    XdsClusterMetadata = 58,
    /// <summary>Envoy attribute <c>xds.listener_direction</c>.</summary>
    XdsListenerDirection = 59,
    /// <summary>Envoy attribute <c>xds.listener_metadata</c>.</summary>
    XdsListenerMetadata = 60,
    /// <summary>Envoy attribute <c>xds.route_name</c>.</summary>
    XdsRouteName = 61,
    /// <summary>Envoy attribute <c>xds.route_metadata</c>.</summary>
    XdsRouteMetadata = 62,
    /// <summary>Envoy attribute <c>xds.virtual_host_name</c>.</summary>
    XdsVirtualHostName = 63,
    /// <summary>Envoy attribute <c>xds.virtual_host_metadata</c>.</summary>
    XdsVirtualHostMetadata = 64,
    /// <summary>Envoy attribute <c>xds.upstream_host_metadata</c>.</summary>
    XdsUpstreamHostMetadata = 65,
    /// <summary>Envoy attribute <c>xds.filter_chain_name</c>.</summary>
    XdsFilterChainName = 66,
    /// <summary>Envoy attribute <c>health.check</c>.</summary>
    HealthCheck = 67,
    /// <summary>Envoy attribute <c>upstream.requested_server_name</c>.</summary>
    UpstreamRequestedServerName = 68,
    /// <summary>Envoy attribute <c>xds.virtual_cluster_name</c>.</summary>
    XdsVirtualClusterName = 69,
    /// <summary>Envoy attribute <c>upstream.protocol</c>.</summary>
    UpstreamProtocol = 70,
}
