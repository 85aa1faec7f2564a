// `envoyext-host run`: a scenario document (docs/abi-host.md) in, a result document out.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "request_types.h"

namespace envoyext::host {

// Thrown for malformed scenarios; the message names the offending field.
struct ScenarioError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses a header list [[name, value], ...] at `field`.
HeaderList parse_header_list(const nlohmann::json& j, const std::string& field);
// A filter config given as a JSON string is passed verbatim; any other JSON value is serialized.
std::string config_bytes(const nlohmann::json& j);
RequestSpec parse_request(const nlohmann::json& j, const std::string& field);

// Runs the whole scenario. Throws ScenarioError on malformed input.
nlohmann::json run_scenario(const nlohmann::json& scenario);

}  // namespace envoyext::host
