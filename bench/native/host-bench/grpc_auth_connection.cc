// The gRPC side of the benchmark's authorization service: an nghttp2 server session per connection,
// fed from memory (the server's epoll loop owns the socket).
#include <nghttp2/nghttp2.h>

#include <cstring>
#include <string_view>
#include <unordered_map>

#include "auth_connection.h"

namespace envoyext::bench {

namespace {

constexpr std::string_view kCheckPath = "/envoy.service.auth.v3.Authorization/Check";
// One uncompressed gRPC message: CheckResponse { status (1): {} (code OK), ok_response (3): {} }.
constexpr uint8_t kAllowedFrame[] = {0, 0, 0, 0, 4, 0x0a, 0x00, 0x1a, 0x00};

nghttp2_nv nv(std::string_view name, std::string_view value) {
  return {reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(), value.size(),
          NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
}

// One RPC on the connection, from its request headers to the stream's close.
struct Call {
  bool check_path = false;
  bool grpc_content_type = false;
  bool answered_ok = false;
  std::string request;  // the request's DATA bytes
};

class GrpcAuthConnection final : public AuthConnection {
 public:
  GrpcAuthConnection() {
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, on_frame_send);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
    nghttp2_session_server_new(&session_, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    if (session_ != nullptr) nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, nullptr, 0);
  }
  ~GrpcAuthConnection() override { nghttp2_session_del(session_); }
  GrpcAuthConnection(const GrpcAuthConnection&) = delete;
  GrpcAuthConnection& operator=(const GrpcAuthConnection&) = delete;

  bool receive(const char* data, size_t size, std::string& out, uint64_t& allowed) override {
    if (session_ == nullptr) return false;
    if (nghttp2_session_mem_recv(session_, reinterpret_cast<const uint8_t*>(data), size) < 0) return false;
    allowed_ = 0;
    for (;;) {
      const uint8_t* bytes = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &bytes);
      if (n < 0) return false;
      if (n == 0) break;
      out.append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(n));
    }
    allowed += allowed_;
    return nghttp2_session_want_read(session_) != 0 || nghttp2_session_want_write(session_) != 0;
  }

 private:
  static GrpcAuthConnection& self(void* user) { return *static_cast<GrpcAuthConnection*>(user); }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      self(user).calls_[frame->hd.stream_id] = Call{};
    }
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
                       const uint8_t* value, size_t valuelen, uint8_t, void* user) {
    auto it = self(user).calls_.find(frame->hd.stream_id);
    if (it == self(user).calls_.end() || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    const std::string_view n(reinterpret_cast<const char*>(name), namelen);
    const std::string_view v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":path") it->second.check_path = v == kCheckPath;
    if (n == "content-type") it->second.grpc_content_type = v.rfind("application/grpc", 0) == 0;
    return 0;
  }

  static int on_data_chunk(nghttp2_session* session, uint8_t, int32_t stream_id, const uint8_t* data, size_t len,
                           void* user) {
    auto it = self(user).calls_.find(stream_id);
    if (it == self(user).calls_.end()) return 0;
    if (it->second.request.size() + len > kMaxRequestBodyBytes) {
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_REFUSED_STREAM);
      self(user).calls_.erase(it);
      return 0;
    }
    it->second.request.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }

  static int on_frame_recv(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
    const bool request_ends = (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
                              (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
    if (!request_ends) return 0;
    auto it = self(user).calls_.find(frame->hd.stream_id);
    if (it == self(user).calls_.end()) return 0;
    return answer(session, frame->hd.stream_id, it->second);
  }

  // The complete answer goes out as HEADERS, one DATA frame and trailers; the call counts as
  // allowed when its trailers (END_STREAM) are framed.
  static int on_frame_send(nghttp2_session*, const nghttp2_frame* frame, void* user) {
    if (frame->hd.type != NGHTTP2_HEADERS || (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) return 0;
    auto it = self(user).calls_.find(frame->hd.stream_id);
    if (it != self(user).calls_.end() && it->second.answered_ok) ++self(user).allowed_;
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t stream_id, uint32_t, void* user) {
    self(user).calls_.erase(stream_id);
    return 0;
  }

  // Exactly one uncompressed, non-empty message.
  static bool one_message(const std::string& request) {
    if (request.size() <= 5 || request[0] != 0) return false;
    const auto* b = reinterpret_cast<const uint8_t*>(request.data());
    const uint32_t length = (uint32_t{b[1]} << 24) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 8) | b[4];
    return length == request.size() - 5;
  }

  static int answer(nghttp2_session* session, int32_t stream_id, Call& call) {
    if (!call.check_path || !call.grpc_content_type || !one_message(call.request)) {
      // Trailers-only: the status in the only header block, UNIMPLEMENTED (12) for another method,
      // INVALID_ARGUMENT (3) for a request that is not one message.
      const nghttp2_nv error[] = {nv(":status", "200"), nv("content-type", "application/grpc"),
                                  nv("grpc-status", call.check_path ? "3" : "12")};
      return nghttp2_submit_response(session, stream_id, error, 3, nullptr) == 0 ? 0 : NGHTTP2_ERR_CALLBACK_FAILURE;
    }
    call.answered_ok = true;
    static const nghttp2_nv headers[] = {nv(":status", "200"), nv("content-type", "application/grpc")};
    nghttp2_data_provider body{};
    body.read_callback = read_allowed_frame;
    return nghttp2_submit_response(session, stream_id, headers, 2, &body) == 0 ? 0 : NGHTTP2_ERR_CALLBACK_FAILURE;
  }

  // The DATA frame holds the whole message; the trailers carry grpc-status 0.
  static ssize_t read_allowed_frame(nghttp2_session* session, int32_t stream_id, uint8_t* buf, size_t length,
                                    uint32_t* flags, nghttp2_data_source*, void*) {
    if (length < sizeof kAllowedFrame) return NGHTTP2_ERR_CALLBACK_FAILURE;
    std::memcpy(buf, kAllowedFrame, sizeof kAllowedFrame);
    *flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
    static const nghttp2_nv trailers[] = {nv("grpc-status", "0")};
    if (nghttp2_submit_trailer(session, stream_id, trailers, 1) != 0) return NGHTTP2_ERR_CALLBACK_FAILURE;
    return sizeof kAllowedFrame;
  }

  nghttp2_session* session_ = nullptr;
  std::unordered_map<int32_t, Call> calls_;
  uint64_t allowed_ = 0;  // allowing answers framed during the current receive()
};

}  // namespace

std::unique_ptr<AuthConnection> grpc_auth_connection() { return std::make_unique<GrpcAuthConnection>(); }

}  // namespace envoyext::bench
