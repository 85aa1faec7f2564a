// JSON shapes of docs/abi-host.md "Result": one request result, metrics, logs.
#pragma once

#include <nlohmann/json.hpp>

#include "log_sink.h"
#include "metrics_registry.h"
#include "request_types.h"

namespace envoyext::host {

nlohmann::json headers_to_json(const HeaderList& headers);
nlohmann::json result_to_json(const RequestResult& r, size_t index);
nlohmann::json metrics_to_json(const std::vector<MetricSample>& samples);
nlohmann::json logs_to_json(const std::vector<LogRecord>& records);

}  // namespace envoyext::host
