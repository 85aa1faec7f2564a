// Plain-text table for terminal output (the demo's burst table; reusable for other listings).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace envoyext::cli {

void print_table(std::ostream& out, const std::vector<std::string>& columns,
                 const std::vector<std::vector<std::string>>& rows);

}  // namespace envoyext::cli
