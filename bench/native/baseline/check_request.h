// ext_auth's gRPC check request, written by the C baseline: a gRPC-framed
// envoy.service.auth.v3.CheckRequest with the fields ext_auth's encoder writes (source and
// destination address, the source's certificate principal, the HTTP request's id, method, headers,
// path, host, scheme, size and protocol, and the SNI), read through the same ABI calls, so the bare
// gRPC callout sends the same bytes as the C# filter. No body: the baseline does not collect one.
#pragma once

#include <string>
#include <vector>

#include "envoyext/abi.h"

namespace cbaseline {

// Writes the framed message into `out` (its capacity reused from stream to stream). `copied_headers`
// empty: every request header goes into the check; otherwise the pseudo-headers and those names.
// False when the message would exceed the 2 MiB nested-message bound.
bool write_check_request(envoy_dynamic_module_type_http_filter_envoy_ptr fe,
                         const std::vector<std::string>& copied_headers, std::string& out);

// The OK verdict of a framed CheckResponse: exactly one uncompressed message whose status (field 1,
// google.rpc.Status) has code 0 or is absent. False for a denial or a malformed answer.
bool check_response_allows(const std::string& framed);

}  // namespace cbaseline
