// Shared helpers for the host tests: module directory, request builders, header lookups.
#pragma once

#include <string>

#include "host.h"

namespace envoyext::test {

// Points ENVOY_DYNAMIC_MODULES_SEARCH_PATH at the build's lib directory.
void use_test_module_dir();

host::RequestSpec get_request(const std::string& path = "/api/items");

// First value of `name` in `headers`, or "<absent>".
std::string header(const host::HeaderList& headers, const std::string& name);
size_t header_count(const host::HeaderList& headers, const std::string& name);

// A host with one module loaded and one filter of that module in the chain.
std::unique_ptr<host::Host> host_with_filter(const std::string& module, const std::string& filter,
                                             const std::string& config, uint32_t workers = 1);

}  // namespace envoyext::test
