// Decodes a protobuf-binary google.protobuf.Struct (what set_dynamic_metadata_struct receives) into
// the host's metadata values, so the scenario output shows nested metadata as Envoy would hold it.
// The host carries no protobuf runtime: this reads the wire format of Struct/Value/ListValue alone.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "request_types.h"

namespace envoyext::host {

// Nesting beyond this is refused, as protobuf's parser refuses deep recursion.
constexpr int kMaxStructDepth = 100;

// The Struct's fields; false (and `out` unspecified) when the bytes are not a valid Struct.
bool decode_struct(std::string_view bytes, std::map<std::string, MetadataValue>& out);

}  // namespace envoyext::host
