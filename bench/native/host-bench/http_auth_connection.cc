#include <strings.h>

#include <cstdlib>
#include <string_view>

#include "auth_connection.h"

namespace envoyext::bench {

namespace {

constexpr std::string_view kAllowed = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";

enum class Parse { NeedMore, Complete, Bad };

// One request at the front of `buffer`: complete (its length in `consumed`), incomplete, or one the
// server does not serve (no content-length framing it can trust, or over the size limits).
Parse parse_request(const std::string& buffer, size_t& consumed) {
  const size_t head_end = buffer.find("\r\n\r\n");
  if (head_end == std::string::npos) {
    return buffer.size() > kMaxRequestHeadBytes ? Parse::Bad : Parse::NeedMore;
  }
  if (head_end > kMaxRequestHeadBytes) return Parse::Bad;
  uint64_t body = 0;
  size_t line = buffer.find("\r\n");
  while (line < head_end) {
    const size_t start = line + 2;
    line = buffer.find("\r\n", start);
    const std::string_view header(buffer.data() + start, line - start);
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = header.substr(0, colon);
    std::string_view value = header.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    if (name.size() == 17 && strncasecmp(name.data(), "transfer-encoding", 17) == 0) return Parse::Bad;
    if (name.size() == 14 && strncasecmp(name.data(), "content-length", 14) == 0) {
      char* end = nullptr;
      const std::string digits(value);
      body = std::strtoull(digits.c_str(), &end, 10);
      if (digits.empty() || end == nullptr || (*end != '\0' && *end != ' ') || body > kMaxRequestBodyBytes)
        return Parse::Bad;
    }
  }
  if (buffer.size() - (head_end + 4) < body) return Parse::NeedMore;
  consumed = head_end + 4 + body;
  return Parse::Complete;
}

class HttpAuthConnection final : public AuthConnection {
 public:
  bool receive(const char* data, size_t size, std::string& out, uint64_t& allowed) override {
    buffer_.append(data, size);
    // Every complete request gets its answer, in order (pipelined requests included).
    size_t consumed = 0;
    Parse parse;
    while ((parse = parse_request(buffer_, consumed)) == Parse::Complete) {
      buffer_.erase(0, consumed);
      out.append(kAllowed);
      ++allowed;
    }
    return parse != Parse::Bad;
  }

 private:
  std::string buffer_;  // bytes of requests not answered yet
};

}  // namespace

std::unique_ptr<AuthConnection> http_auth_connection() { return std::make_unique<HttpAuthConnection>(); }

}  // namespace envoyext::bench
