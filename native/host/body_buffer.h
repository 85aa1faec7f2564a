// A body buffer made of slices, like Envoy's Buffer::OwnedImpl: modules read it as a list of chunks
// (zero-copy views), append at the end and drain from the front. A vector, not a deque: bodies
// have few slices and an empty vector costs no allocation per stream.
#pragma once

#include <cstddef>
#include <vector>
#include <string>
#include <string_view>

namespace envoyext::host {

class BodyBuffer {
 public:
  void append(std::string_view data) {
    if (data.empty()) return;
    slices_.emplace_back(data);
    size_ += data.size();
  }
  // Moves every slice of `other` to the end of this buffer.
  void move_from(BodyBuffer& other) {
    for (auto& s : other.slices_) slices_.push_back(std::move(s));
    size_ += other.size_;
    other.clear();
  }
  void drain(size_t n) {
    while (n > 0 && !slices_.empty()) {
      auto& front = slices_.front();
      if (front.size() <= n) {
        n -= front.size();
        size_ -= front.size();
        slices_.erase(slices_.begin());
      } else {
        front.erase(0, n);
        size_ -= n;
        n = 0;
      }
    }
  }
  void clear() {
    slices_.clear();
    size_ = 0;
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::vector<std::string>& slices() const { return slices_; }
  std::vector<std::string>& slices() { return slices_; }
  std::string to_string() const {
    std::string out;
    out.reserve(size_);
    for (const auto& s : slices_) out += s;
    return out;
  }

 private:
  std::vector<std::string> slices_;
  size_t size_ = 0;
};

}  // namespace envoyext::host
