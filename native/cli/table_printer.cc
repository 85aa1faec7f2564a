#include "table_printer.h"

#include <algorithm>

namespace envoyext::cli {

void print_table(std::ostream& out, const std::vector<std::string>& columns,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) width[c] = columns[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < columns.size() && c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    out << '|';
    for (size_t c = 0; c < columns.size(); ++c) {
      const std::string& v = c < cells.size() ? cells[c] : std::string();
      out << ' ' << v << std::string(width[c] - v.size(), ' ') << " |";
    }
    out << '\n';
  };
  line(columns);
  out << '|';
  for (size_t c = 0; c < columns.size(); ++c) out << std::string(width[c] + 2, '-') << '|';
  out << '\n';
  for (const auto& row : rows) line(row);
}

}  // namespace envoyext::cli
