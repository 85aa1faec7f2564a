// One HTTP stream on one worker: the filter chain and the stop/continue state machine of Envoy's
// FilterManager, a simulated router (records what goes upstream and plays the scenario's upstream
// response) and the downstream side (records what the client gets).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "body_buffer.h"
#include "envoyext/abi.h"
#include "header_map.h"
#include "request_types.h"

namespace envoyext::host {

class EventLoop;
class FilterConfig;
class Host;
struct Route;
class Stream;
class Exchange;

// The `filter_envoy_ptr` handed to the module: one per filter instance.
struct FilterSlot {
  Stream* stream = nullptr;
  size_t index = 0;
  FilterConfig* config = nullptr;
  const void* module_filter = nullptr;  // what filter_new returned
  uint64_t next_callout_id = 1;         // shared by one-shot and streaming callouts, as in Envoy
  // Streaming callouts still open (no complete/reset delivered yet), by id.
  std::map<uint64_t, std::shared_ptr<Exchange>> http_streams;
};

class Stream : public std::enable_shared_from_this<Stream> {
 public:
  using Done = std::function<void(RequestResult&&)>;

  Stream(Host& host, std::shared_ptr<EventLoop> loop, uint64_t id, std::shared_ptr<const RequestSpec> spec,
         const std::vector<std::shared_ptr<FilterConfig>>& chain, Done done);
  ~Stream();

  // Worker thread: builds the chain and feeds the request frames. `inline_upstream` answers from the
  // simulated upstream synchronously (benchmarks); otherwise the answer is a separate loop event.
  void start(bool inline_upstream);

  // ---- called from the ABI callbacks (worker thread) ----
  HeaderMap* header_map(int header_type);
  BodyBuffer* body(int body_type);
  bool received_is_buffered(bool request) const;
  uint64_t buffer_limit() const { return buffer_limit_; }
  void set_buffer_limit(uint64_t v) {
    buffer_limit_ = v;
    maybe_resume_request();  // a higher limit may put the held request body below the low watermark
  }
  void send_local_reply(uint32_t status, HeaderList headers, std::string body, std::string details);
  void send_response_headers(HeaderList headers, bool end_stream);
  void send_response_data(std::string data, bool end_stream);
  void send_response_trailers(HeaderList trailers);
  void reset(std::string details);
  void continue_decoding(size_t slot);
  // A filter drained the request body it had buffered: reading the client may resume.
  void request_body_drained() { maybe_resume_request(); }
  void continue_encoding(size_t slot);
  void on_scheduled(size_t slot, uint64_t event_id);
  const Route* route();
  void clear_route_cache() { route_resolved_ = false; }
  EventLoop& loop() { return *loop_; }
  const std::shared_ptr<EventLoop>& loop_ptr() const { return loop_; }
  Host& host() { return host_; }
  uint64_t id() const { return id_; }
  const RequestSpec& spec() const { return *spec_; }
  const std::string& request_id();
  bool finished() const { return finished_; }
  bool destroyed() const { return destroyed_; }
  FilterSlot& slot(size_t i) { return slots_[i]; }
  size_t slot_count() const { return slots_.size(); }
  // Kept in the result, so the scenario output reports what the filters wrote.
  DynamicMetadata& dynamic_metadata() { return result_.dynamic_metadata; }
  std::map<std::string, std::string>& filter_state() { return filter_state_; }
  std::vector<std::string>& custom_flags() { return custom_flags_; }
  // Scratch storage for views handed to the module that are not backed by a map or buffer.
  std::string& scratch() { return scratch_; }
  uint32_t response_code() const { return response_code_; }
  const std::string& response_code_details() const { return response_code_details_; }
  void record_event(std::string e) { result_.events.push_back(std::move(e)); }

 private:
  // Iteration state of one direction (decode = request, encode = response).
  struct Direction {
    bool request = true;
    bool headers_seen = false;     // headers arrived from the codec / router
    bool end_stream_seen = false;  // the last frame arrived
    bool trailers_seen = false;
    bool headers_passed = false;  // headers went past the last filter
    bool trailers_passed = false;
    bool end_sent = false;  // end of stream delivered to the sink
    bool data_seen = false;
    int stopped_at = -1;  // position of the filter holding iteration
    enum class Stop { None, Headers, All, Data, Trailers } stop = Stop::None;
    bool buffer_fails = false;  // StopAll/StopIteration...AndBuffer (413/500 on overflow) vs watermark
    BodyBuffer buffered;
    BodyBuffer* received = nullptr;  // the frame being delivered to a body hook
    int iterating = 0;
    bool aborted = false;  // a local reply or reset ended this direction
  };

  size_t slot_at(const Direction& d, size_t pos) const { return d.request ? pos : slots_.size() - 1 - pos; }
  bool halted(const Direction& d) const { return d.aborted || finished_; }

  void on_headers(Direction& d, bool end_stream);
  void on_data(Direction& d, BodyBuffer& frame, bool end_stream);
  void on_trailers(Direction& d);
  bool iterate_headers(Direction& d, size_t from);
  bool iterate_data(Direction& d, size_t from, BodyBuffer* frame, bool end_stream);
  bool iterate_trailers(Direction& d, size_t from);
  void common_continue(Direction& d, size_t from);
  bool check_buffer_limit(Direction& d);

  int call_headers_hook(Direction& d, size_t pos, bool end_stream);
  int call_body_hook(Direction& d, size_t pos, bool end_stream);
  int call_trailers_hook(Direction& d, size_t pos);

  // Sinks: the router for requests, the downstream client for responses.
  void sink_headers(Direction& d, bool end_stream);
  void sink_data(Direction& d, BodyBuffer& data, bool end_stream);
  void sink_trailers(Direction& d);
  void request_complete_upstream();
  void play_upstream_response();
  void downstream_complete();
  void finalize();
  void destroy_filters();
  void downstream_body_written();
  // Request flow control: the client's body frames are read while the filter chain holds no more
  // than the buffer limit; above it Envoy read-disables the downstream connection.
  void pump_request_body();
  void note_request_buffered();
  void maybe_resume_request();
  // Response flow control: the router reads upstream frames while neither the filter chain's
  // buffer nor the client's unread bytes are above the high watermark (the buffer limit).
  void pump_upstream_body();
  void note_response_buffered();
  void maybe_resume_upstream();
  void downstream_stall_write(uint64_t bytes);
  void downstream_resumes_reading();
  void on_idle_timeout();
  void local_reply_internal(uint32_t status, HeaderList headers, std::string body, std::string details,
                            bool from_filter);

  Host& host_;
  std::shared_ptr<EventLoop> loop_;
  uint64_t id_;
  std::shared_ptr<const RequestSpec> spec_;
  Done done_;
  std::vector<FilterSlot> slots_;
  std::vector<std::shared_ptr<FilterConfig>> configs_;  // keeps configs alive while the stream lives
  HeaderMap request_headers_, request_trailers_, response_headers_, response_trailers_;
  Direction dec_, enc_;
  RequestResult result_;
  uint64_t buffer_limit_ = 1024 * 1024;  // Envoy's default per_connection_buffer_limit_bytes
  bool inline_upstream_ = false;
  bool finished_ = false;
  bool destroyed_ = false;
  bool backpressure_reported_ = false;  // downstream_backpressure: watermarks reported once
  bool downstream_headers_sent_ = false;
  bool upstream_started_ = false;
  size_t request_next_frame_ = 0;       // next request body frame the client sends
  bool request_read_disabled_ = false;  // the filter chain holds more than the buffer limit
  bool request_resume_posted_ = false;
  size_t upstream_next_frame_ = 0;          // next upstream body frame the router reads
  bool upstream_paused_by_buffer_ = false;  // the filter chain holds more than the buffer limit
  bool upstream_paused_by_client_ = false;  // the client's unread bytes are above the high watermark
  bool upstream_resume_posted_ = false;
  bool client_stalled_ = false;  // downstream_stall_ms: the client is not reading now
  bool client_stall_started_ = false;
  uint64_t downstream_unread_ = 0;
  uint64_t idle_timer_ = 0;
  const Route* route_ = nullptr;
  bool route_resolved_ = false;
  std::string request_id_;
  uint32_t response_code_ = 0;
  std::string response_code_details_;
  std::map<std::string, std::string> filter_state_;
  std::vector<std::string> custom_flags_;
  std::string scratch_;
};

}  // namespace envoyext::host
