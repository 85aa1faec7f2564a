#include "header_map.h"

#include <algorithm>

namespace envoyext::host {

namespace {
// Keys from callers are compared case-insensitively by lower-casing them once; stored keys are
// already lower-case.
bool equals_lower(const std::string& stored, std::string_view key) {
  if (stored.size() != key.size()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (stored[i] != c) return false;
  }
  return true;
}
}  // namespace

std::string HeaderMap::lower(std::string_view key) {
  std::string out(key);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void HeaderMap::add(std::string_view key, std::string_view value) { entries_.emplace_back(lower(key), value); }

void HeaderMap::set(std::string_view key, std::string_view value) {
  auto first =
      std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return equals_lower(e.first, key); });
  if (first == entries_.end()) {
    add(key, value);
    return;
  }
  first->second.assign(value.data(), value.size());
  auto next = first + 1;
  entries_.erase(std::remove_if(next, entries_.end(), [&](const Entry& e) { return equals_lower(e.first, key); }),
                 entries_.end());
}

void HeaderMap::remove(std::string_view key) {
  entries_.erase(
      std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return equals_lower(e.first, key); }),
      entries_.end());
}

size_t HeaderMap::count(std::string_view key) const {
  return static_cast<size_t>(
      std::count_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return equals_lower(e.first, key); }));
}

const std::string* HeaderMap::get(std::string_view key, size_t index) const {
  for (const auto& e : entries_) {
    if (equals_lower(e.first, key)) {
      if (index == 0) return &e.second;
      --index;
    }
  }
  return nullptr;
}

}  // namespace envoyext::host
