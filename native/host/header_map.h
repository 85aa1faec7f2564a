// An ordered HTTP header map with Envoy's semantics: keys are stored lower-case, a key may repeat
// (values kept in insertion order), pseudo-headers (":path", ":status", ...) are ordinary entries.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace envoyext::host {

class HeaderMap {
 public:
  using Entry = std::pair<std::string, std::string>;

  static std::string lower(std::string_view key);

  // Appends one value (Envoy's addCopy).
  void add(std::string_view key, std::string_view value);
  // Replaces every value of `key` with one value, keeping the position of the first one.
  void set(std::string_view key, std::string_view value);
  // Removes every value of `key`.
  void remove(std::string_view key);
  // Number of values of `key`.
  size_t count(std::string_view key) const;
  // The index-th value of `key`, or nullptr.
  const std::string* get(std::string_view key, size_t index = 0) const;

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const std::vector<Entry>& entries() const { return entries_; }
  void clear() { entries_.clear(); }

 private:
  std::vector<Entry> entries_;
};

}  // namespace envoyext::host
