#include "result_json.h"

namespace envoyext::host {

using nlohmann::json;

json headers_to_json(const HeaderList& headers) {
  json out = json::array();
  for (const auto& [k, v] : headers) out.push_back(json::array({k, v}));
  return out;
}

json metadata_value_to_json(const MetadataValue& v) {
  switch (v.type) {
    case MetadataValue::Type::Null:
      return nullptr;
    case MetadataValue::Type::Number:
      return v.number;
    case MetadataValue::Type::String:
      return v.str;
    case MetadataValue::Type::Bool:
      return v.boolean;
    case MetadataValue::Type::List: {
      json out = json::array();
      for (const auto& item : v.list) out.push_back(metadata_value_to_json(item));
      return out;
    }
    case MetadataValue::Type::Struct: {
      json out = json::object();
      for (const auto& [key, field] : v.fields) out[key] = metadata_value_to_json(field);
      return out;
    }
  }
  return nullptr;
}

json result_to_json(const RequestResult& r, size_t index) {
  json j;
  j["index"] = index;
  j["worker"] = r.worker;
  if (r.local_reply) {
    j["local_reply"] = {{"status", r.local_reply->status},
                        {"headers", headers_to_json(r.local_reply->headers)},
                        {"body", r.local_reply->body},
                        {"details", r.local_reply->details}};
  } else {
    j["local_reply"] = nullptr;
  }
  if (r.upstream_request) {
    j["upstream_request"] = {
        {"headers", headers_to_json(r.upstream_request->headers)},
        {"body", r.upstream_request->body},
        {"trailers", r.upstream_request->trailers ? headers_to_json(*r.upstream_request->trailers) : json::array()}};
  } else {
    j["upstream_request"] = nullptr;
  }
  if (r.downstream_response) {
    const auto& d = *r.downstream_response;
    j["downstream_response"] = {{"status", d.status},
                                {"headers", headers_to_json(d.headers)},
                                {"body", d.body},
                                {"trailers", d.trailers ? headers_to_json(*d.trailers) : json::array()}};
  } else {
    j["downstream_response"] = nullptr;
  }
  j["reset"] = r.reset;
  if (r.reset) j["reset_details"] = r.reset_details;
  j["max_request_buffered"] = r.max_request_buffered;
  j["max_response_buffered"] = r.max_response_buffered;
  j["max_downstream_unread"] = r.max_downstream_unread;
  json metadata = json::object();
  for (const auto& [ns, entries] : r.dynamic_metadata) {
    json values = json::object();
    for (const auto& [key, value] : entries) values[key] = metadata_value_to_json(value);
    metadata[ns] = std::move(values);
  }
  j["dynamic_metadata"] = std::move(metadata);
  return j;
}

json metrics_to_json(const std::vector<MetricSample>& samples) {
  json out = json::array();
  for (const auto& s : samples) {
    json labels = json::object();
    for (const auto& [k, v] : s.labels) labels[k] = v;
    json m = {{"name", s.name}, {"type", metric_kind_name(s.kind)}, {"labels", labels}, {"value", s.value}};
    if (s.kind == MetricKind::Histogram) m["count"] = s.count;
    out.push_back(std::move(m));
  }
  return out;
}

json logs_to_json(const std::vector<LogRecord>& records) {
  json out = json::array();
  for (const auto& r : records) out.push_back({{"level", log_level_name(r.level)}, {"message", r.message}});
  return out;
}

}  // namespace envoyext::host
