// What a caller asks the host to do with one request, and what the host reports back.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace envoyext::host {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct UpstreamSpec {
  uint32_t status = 200;
  HeaderList headers;
  std::vector<std::string> body;  // one data frame per item
  std::optional<HeaderList> trailers;
  uint64_t delay_ms = 0;
};

struct RequestSpec {
  HeaderList headers;
  std::vector<std::string> body;  // one data frame per item
  std::optional<HeaderList> trailers;
  std::string source_address = "127.0.0.1:40000";
  UpstreamSpec upstream;
  // The simulated client reads slowly: the first response body bytes written to it push the
  // connection's write buffer above its high watermark; it drains (below low) one loop event later.
  bool downstream_backpressure = false;
  // The simulated client stops reading when the first response body bytes reach it and reads
  // again (everything written so far) this many milliseconds later. Meanwhile the bytes stay in
  // the connection's write buffer; past its high watermark (the stream's buffer limit) the
  // terminal filters hear above-high and the router stops reading the upstream, as Envoy does.
  uint64_t downstream_stall_ms = 0;
};

struct LocalReplyRecord {
  uint32_t status = 0;
  HeaderList headers;  // as the filter passed them
  std::string body;
  std::string details;
};

struct UpstreamRequestRecord {
  HeaderList headers;
  std::string body;
  std::optional<HeaderList> trailers;
};

struct DownstreamResponseRecord {
  uint32_t status = 0;
  HeaderList headers;  // every header as sent downstream, ":status" included
  std::string body;
  std::optional<HeaderList> trailers;
};

// One dynamic-metadata value as google.protobuf.Value holds it: scalars, lists (written with the
// list setters or inside a struct) and structs (written with set_dynamic_metadata_struct).
struct MetadataValue {
  enum class Type { Null, Number, String, Bool, List, Struct } type = Type::String;
  double number = 0;
  std::string str;
  bool boolean = false;
  std::vector<MetadataValue> list;
  std::map<std::string, MetadataValue> fields;
};

// Namespace -> key -> value: the stream's dynamic metadata.
using DynamicMetadata = std::map<std::string, std::map<std::string, MetadataValue>>;

struct RequestResult {
  uint32_t worker = 0;
  std::optional<LocalReplyRecord> local_reply;
  std::optional<UpstreamRequestRecord> upstream_request;
  std::optional<DownstreamResponseRecord> downstream_response;
  bool reset = false;
  std::string reset_details;
  // Flow-control high-water marks: the most request and response bytes the filter chain held
  // buffered at once, and the most bytes written to the client but not read yet
  // (downstream_stall_ms).
  uint64_t max_request_buffered = 0;
  uint64_t max_response_buffered = 0;
  uint64_t max_downstream_unread = 0;
  // Hook-level trace of what happened, for tests: e.g. "destroy:0" after stream_complete.
  std::vector<std::string> events;
  DynamicMetadata dynamic_metadata;  // what the filters wrote, as Envoy's access log would see it
};

}  // namespace envoyext::host
