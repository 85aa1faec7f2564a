#include "stream.h"

#include <cstdio>
#include <cstdlib>

#include "event_loop.h"
#include "filter_config.h"
#include "host.h"
#include "exchange.h"

namespace envoyext::host {

namespace {

// Envoy's FilterHeadersStatus / FilterDataStatus / FilterTrailersStatus numbering (same for both
// directions, see abi.h).
constexpr int kHeadersContinue = 0;
constexpr int kHeadersStopIteration = 1;
constexpr int kHeadersContinueAndDontEndStream = 2;
constexpr int kHeadersStopAllBuffer = 3;
constexpr int kHeadersStopAllWatermark = 4;
constexpr int kDataContinue = 0;
constexpr int kDataStopBuffer = 1;
constexpr int kDataStopWatermark = 2;
constexpr int kDataStopNoBuffer = 3;
constexpr int kTrailersContinue = 0;

const char* dir_name(bool request) { return request ? "request" : "response"; }

}  // namespace

Stream::Stream(Host& host, std::shared_ptr<EventLoop> loop, uint64_t id, std::shared_ptr<const RequestSpec> spec,
               const std::vector<std::shared_ptr<FilterConfig>>& chain, Done done)
    : host_(host), loop_(std::move(loop)), id_(id), spec_(std::move(spec)), done_(std::move(done)), configs_(chain) {
  dec_.request = true;
  enc_.request = false;
  result_.worker = loop_->index();
}

const std::string& Stream::request_id() {
  // Generated on first use only: most streams never ask for it.
  if (request_id_.empty()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx-%04x", static_cast<unsigned long long>(id_), loop_->index());
    request_id_ = buf;
  }
  return request_id_;
}

Stream::~Stream() {
  // A stream torn down without destroy_filters (host shutdown) must not leave exchanges running.
  for (auto& s : slots_) {
    for (auto& [id, exchange] : s.http_streams) exchange->cancel();
  }
}

const Route* Stream::route() {
  if (!route_resolved_) {
    const std::string* path = request_headers_.get(":path");
    route_ = host_.match_route(path ? *path : std::string());
    route_resolved_ = true;
  }
  return route_;
}

void Stream::start(bool inline_upstream) {
  inline_upstream_ = inline_upstream;
  for (const auto& h : spec_->headers) request_headers_.add(h.first, h.second);

  // The chain is built when headers arrive, as Envoy's filter factory callbacks run.
  slots_.resize(configs_.size());
  for (size_t i = 0; i < configs_.size(); ++i) {
    slots_[i].stream = this;
    slots_[i].index = i;
    slots_[i].config = configs_[i].get();
  }
  for (size_t i = 0; i < slots_.size(); ++i) {
    auto* cfg = slots_[i].config;
    slots_[i].module_filter = cfg->hooks().filter_new(cfg->module_config(), &slots_[i]);
    if (slots_[i].module_filter == nullptr) {
      // Envoy cannot build the chain: the stream is closed before any filter runs.
      slots_.resize(i);
      host_.logs().write(4,
                         "filter '" + cfg->filter_name() + "': on_http_filter_new returned NULL; closing the stream");
      reset("filter_chain_not_created");
      return;
    }
  }
  if (!inline_upstream_ && host_.options().stream_timeout_ms > 0) {
    std::weak_ptr<Stream> weak = shared_from_this();
    idle_timer_ = loop_->post_delayed(std::chrono::milliseconds(host_.options().stream_timeout_ms), [weak] {
      if (auto s = weak.lock()) s->on_idle_timeout();
    });
  }

  const bool has_body = !spec_->body.empty();
  const bool has_trailers = spec_->trailers.has_value();
  on_headers(dec_, !has_body && !has_trailers);
  pump_request_body();
}

// The codec hands the client's frames to the filter chain one after another, then the trailers,
// while the downstream connection is read-enabled. A chain that never holds more than the buffer
// limit gets the whole request in this loop event; past it Envoy read-disables the connection and
// the rest waits until the held bytes have drained to half the limit (maybe_resume_request).
void Stream::pump_request_body() {
  const bool has_trailers = spec_->trailers.has_value();
  while (request_next_frame_ < spec_->body.size() && !halted(dec_)) {
    if (request_read_disabled_) return;
    const size_t i = request_next_frame_++;
    BodyBuffer frame;
    frame.append(spec_->body[i]);
    on_data(dec_, frame, i + 1 == spec_->body.size() && !has_trailers);
    note_request_buffered();
  }
  if (request_read_disabled_) return;
  if (has_trailers && !halted(dec_) && !dec_.trailers_seen) {
    for (const auto& t : *spec_->trailers) request_trailers_.add(t.first, t.second);
    on_trailers(dec_);
  }
}

// The stream's buffered request body is a watermark buffer: above the buffer limit a filter that
// stopped with a watermark status makes Envoy read-disable the client (one that stopped with
// ...AndBuffer got its 413 in check_buffer_limit instead); at half the limit or less it is read again.
void Stream::note_request_buffered() {
  const uint64_t held = dec_.buffered.size();
  if (held > result_.max_request_buffered) result_.max_request_buffered = held;
  if (held > buffer_limit_) {
    request_read_disabled_ = true;
  } else if (request_read_disabled_ && held <= buffer_limit_ / 2) {
    request_read_disabled_ = false;
  }
}

// Reading resumes in a later loop event, as the codec reads again after readDisable(false).
void Stream::maybe_resume_request() {
  if (!request_read_disabled_ || halted(dec_)) return;
  note_request_buffered();
  if (request_read_disabled_ || request_resume_posted_) return;
  request_resume_posted_ = true;
  std::weak_ptr<Stream> weak = weak_from_this();
  loop_->post([weak] {
    auto self = weak.lock();
    if (!self || self->destroyed_) return;
    self->request_resume_posted_ = false;
    self->pump_request_body();
  });
}

// ------------------------------------------------------------------ accessors for callbacks

HeaderMap* Stream::header_map(int header_type) {
  switch (header_type) {
    case envoy_dynamic_module_type_http_header_type_RequestHeader:
      return dec_.headers_seen ? &request_headers_ : nullptr;
    case envoy_dynamic_module_type_http_header_type_RequestTrailer:
      return dec_.trailers_seen ? &request_trailers_ : nullptr;
    case envoy_dynamic_module_type_http_header_type_ResponseHeader:
      return enc_.headers_seen ? &response_headers_ : nullptr;
    case envoy_dynamic_module_type_http_header_type_ResponseTrailer:
      return enc_.trailers_seen ? &response_trailers_ : nullptr;
    default:
      return nullptr;
  }
}

BodyBuffer* Stream::body(int body_type) {
  switch (body_type) {
    case envoy_dynamic_module_type_http_body_type_ReceivedRequestBody:
      return dec_.received;  // only inside a request body hook
    case envoy_dynamic_module_type_http_body_type_BufferedRequestBody:
      return &dec_.buffered;
    case envoy_dynamic_module_type_http_body_type_ReceivedResponseBody:
      return enc_.received;
    case envoy_dynamic_module_type_http_body_type_BufferedResponseBody:
      return &enc_.buffered;
    default:
      return nullptr;
  }
}

bool Stream::received_is_buffered(bool request) const {
  const Direction& d = request ? dec_ : enc_;
  return d.received != nullptr && d.received == &d.buffered;
}

// ------------------------------------------------------------------ hook calls

int Stream::call_headers_hook(Direction& d, size_t pos, bool end_stream) {
  FilterSlot& s = slots_[slot_at(d, pos)];
  const auto& h = s.config->hooks();
  ++d.iterating;
  int status = d.request ? static_cast<int>(h.request_headers(&s, s.module_filter, end_stream))
                         : static_cast<int>(h.response_headers(&s, s.module_filter, end_stream));
  --d.iterating;
  return status;
}

int Stream::call_body_hook(Direction& d, size_t pos, bool end_stream) {
  FilterSlot& s = slots_[slot_at(d, pos)];
  const auto& h = s.config->hooks();
  ++d.iterating;
  int status = d.request ? static_cast<int>(h.request_body(&s, s.module_filter, end_stream))
                         : static_cast<int>(h.response_body(&s, s.module_filter, end_stream));
  --d.iterating;
  return status;
}

int Stream::call_trailers_hook(Direction& d, size_t pos) {
  FilterSlot& s = slots_[slot_at(d, pos)];
  const auto& h = s.config->hooks();
  ++d.iterating;
  int status = d.request ? static_cast<int>(h.request_trailers(&s, s.module_filter))
                         : static_cast<int>(h.response_trailers(&s, s.module_filter));
  --d.iterating;
  return status;
}

// ------------------------------------------------------------------ frames from the codec/router

void Stream::on_headers(Direction& d, bool end_stream) {
  d.headers_seen = true;
  d.end_stream_seen = end_stream;
  iterate_headers(d, 0);
}

void Stream::on_data(Direction& d, BodyBuffer& frame, bool end_stream) {
  if (halted(d)) return;
  d.data_seen = true;
  if (end_stream) d.end_stream_seen = true;
  if (d.stopped_at >= 0 && d.stop == Direction::Stop::All) {
    // A filter stopped all iteration: Envoy buffers the frame without calling anyone.
    d.buffered.move_from(frame);
    check_buffer_limit(d);
    return;
  }
  iterate_data(d, 0, &frame, end_stream);
}

void Stream::on_trailers(Direction& d) {
  if (halted(d)) return;
  d.trailers_seen = true;
  d.end_stream_seen = true;
  iterate_trailers(d, 0);
}

// ------------------------------------------------------------------ iteration

bool Stream::iterate_headers(Direction& d, size_t from) {
  for (size_t pos = from; pos < slots_.size(); ++pos) {
    const bool eos = d.end_stream_seen && d.buffered.empty() && !d.trailers_seen;
    int status = call_headers_hook(d, pos, eos);
    if (halted(d)) return false;
    switch (status) {
      case kHeadersContinue:
      case kHeadersContinueAndDontEndStream:  // no body-inject in the ABI; behaves as Continue here
        continue;
      case kHeadersStopIteration:
        d.stopped_at = static_cast<int>(pos);
        d.stop = Direction::Stop::Headers;
        return false;
      case kHeadersStopAllBuffer:
      case kHeadersStopAllWatermark:
        d.stopped_at = static_cast<int>(pos);
        d.stop = Direction::Stop::All;
        d.buffer_fails = status == kHeadersStopAllBuffer;
        return false;
      default:
        host_.logs().write(4, std::string("invalid ") + dir_name(d.request) + " headers status " +
                                  std::to_string(status) + " from filter '" +
                                  slots_[slot_at(d, pos)].config->filter_name() + "'; treated as Continue");
        continue;
    }
  }
  d.headers_passed = true;
  sink_headers(d, d.end_stream_seen && d.buffered.empty() && !d.trailers_seen);
  return !halted(d);
}

bool Stream::iterate_data(Direction& d, size_t from, BodyBuffer* frame, bool end_stream) {
  for (size_t pos = from; pos < slots_.size(); ++pos) {
    BodyBuffer* previous = d.received;
    d.received = frame;
    int status = call_body_hook(d, pos, end_stream);
    d.received = previous;
    if (halted(d)) return false;
    const bool this_filter_stopped = d.stopped_at == static_cast<int>(pos);
    switch (status) {
      case kDataContinue:
        if (this_filter_stopped) {
          // The stopped filter lets go: what it buffered plus this frame travels on as one buffer.
          if (frame != &d.buffered) d.buffered.move_from(*frame);
          d.stopped_at = -1;
          d.stop = Direction::Stop::None;
          common_continue(d, pos + 1);
          return false;
        }
        continue;
      case kDataStopBuffer:
      case kDataStopWatermark:
        if (frame != &d.buffered) d.buffered.move_from(*frame);
        d.stopped_at = static_cast<int>(pos);
        d.stop = Direction::Stop::Data;
        d.buffer_fails = status == kDataStopBuffer;
        check_buffer_limit(d);
        return false;
      case kDataStopNoBuffer:
        if (frame != &d.buffered) frame->clear();
        d.stopped_at = static_cast<int>(pos);
        d.stop = Direction::Stop::Data;
        return false;
      default:
        host_.logs().write(4, std::string("invalid ") + dir_name(d.request) + " body status " + std::to_string(status) +
                                  "; treated as Continue");
        continue;
    }
  }
  sink_data(d, *frame, end_stream);
  if (frame == &d.buffered) d.buffered.clear();
  return !halted(d);
}

bool Stream::iterate_trailers(Direction& d, size_t from) {
  for (size_t pos = from; pos < slots_.size(); ++pos) {
    const bool this_filter_stopped = d.stopped_at == static_cast<int>(pos);
    if (this_filter_stopped && d.stop == Direction::Stop::All) return false;  // held until continue
    int status = call_trailers_hook(d, pos);
    if (halted(d)) return false;
    if (status == kTrailersContinue) {
      if (this_filter_stopped) {
        d.stopped_at = -1;
        d.stop = Direction::Stop::None;
        common_continue(d, pos + 1);
        return false;
      }
      continue;
    }
    d.stopped_at = static_cast<int>(pos);
    d.stop = Direction::Stop::Trailers;
    return false;
  }
  d.trailers_passed = true;
  sink_trailers(d);
  return !halted(d);
}

// Resumes iteration at position `from` with whatever the stopped filter held back: headers if
// they have not passed yet, then the buffered body, then trailers (Envoy's commonContinue).
void Stream::common_continue(Direction& d, size_t from) {
  if (halted(d)) return;
  if (!d.headers_passed) {
    if (!iterate_headers(d, from)) return;
  }
  const bool eos_in_data = d.end_stream_seen && !d.trailers_seen;
  if (!d.buffered.empty() || (eos_in_data && d.data_seen && !d.end_sent)) {
    if (!iterate_data(d, from, &d.buffered, eos_in_data)) return;
  }
  if (d.trailers_seen && !d.trailers_passed) iterate_trailers(d, from);
}

void Stream::continue_decoding(size_t slot) {
  Direction& d = dec_;
  // No-op while the direction is running, when nothing is stopped, or when another filter holds it.
  if (halted(d) || d.iterating > 0 || d.stopped_at < 0 || slot_at(d, d.stopped_at) != slot) return;
  const size_t from = static_cast<size_t>(d.stopped_at) + 1;
  d.stopped_at = -1;
  d.stop = Direction::Stop::None;
  common_continue(d, from);
  maybe_resume_request();
}

void Stream::continue_encoding(size_t slot) {
  Direction& d = enc_;
  if (halted(d) || d.iterating > 0 || d.stopped_at < 0 || slot_at(d, d.stopped_at) != slot) return;
  const size_t from = static_cast<size_t>(d.stopped_at) + 1;
  d.stopped_at = -1;
  d.stop = Direction::Stop::None;
  common_continue(d, from);
  maybe_resume_upstream();
}

bool Stream::check_buffer_limit(Direction& d) {
  if (!d.buffer_fails || d.buffered.size() <= buffer_limit_) return true;
  if (d.request) {
    local_reply_internal(413, {}, "Payload Too Large", "request_payload_too_large", false);
  } else {
    // Response already under way: Envoy answers 500 if nothing was sent downstream yet.
    local_reply_internal(500, {}, "Internal Server Error", "response_payload_too_large", false);
  }
  return false;
}

// ------------------------------------------------------------------ sinks

void Stream::sink_headers(Direction& d, bool end_stream) {
  const bool record = host_.options().record_results;
  if (d.request) {
    result_.upstream_request.emplace();
    if (record) result_.upstream_request->headers = request_headers_.entries();
    if (end_stream) {
      d.end_sent = true;
      request_complete_upstream();
    }
    return;
  }
  downstream_headers_sent_ = true;
  result_.downstream_response.emplace();
  if (record) result_.downstream_response->headers = response_headers_.entries();
  const std::string* status = response_headers_.get(":status");
  result_.downstream_response->status = status ? static_cast<uint32_t>(std::strtoul(status->c_str(), nullptr, 10)) : 0;
  if (end_stream) {
    d.end_sent = true;
    downstream_complete();
  }
}

void Stream::sink_data(Direction& d, BodyBuffer& data, bool end_stream) {
  if (!host_.options().record_results) {
    // nothing to keep
  } else if (d.request) {
    if (result_.upstream_request) result_.upstream_request->body += data.to_string();
  } else if (result_.downstream_response) {
    result_.downstream_response->body += data.to_string();
  }
  if (!d.request && !data.empty()) {
    downstream_body_written();
    downstream_stall_write(data.size());
  }
  if (end_stream) {
    d.end_sent = true;
    d.request ? request_complete_upstream() : downstream_complete();
  }
}

void Stream::sink_trailers(Direction& d) {
  d.end_sent = true;
  if (d.request) {
    if (result_.upstream_request) result_.upstream_request->trailers = request_trailers_.entries();
    request_complete_upstream();
  } else {
    if (result_.downstream_response) result_.downstream_response->trailers = response_trailers_.entries();
    downstream_complete();
  }
}

// ------------------------------------------------------------------ the simulated router

void Stream::request_complete_upstream() {
  if (upstream_started_ || finished_) return;
  upstream_started_ = true;
  if (inline_upstream_) {
    play_upstream_response();
    return;
  }
  std::weak_ptr<Stream> weak = shared_from_this();
  auto answer = [weak] {
    if (auto s = weak.lock()) s->play_upstream_response();
  };
  if (spec_->upstream.delay_ms > 0) {
    loop_->post_delayed(std::chrono::milliseconds(spec_->upstream.delay_ms), std::move(answer));
  } else {
    loop_->post(std::move(answer));
  }
}

void Stream::play_upstream_response() {
  if (finished_ || enc_.headers_seen) return;  // a local reply may have answered meanwhile
  const UpstreamSpec& up = spec_->upstream;
  response_headers_.add(":status", std::to_string(up.status));
  for (const auto& h : up.headers) response_headers_.add(h.first, h.second);
  response_code_ = up.status;
  response_code_details_ = "via_upstream";
  const bool has_body = !up.body.empty();
  const bool has_trailers = up.trailers.has_value();
  on_headers(enc_, !has_body && !has_trailers);
  pump_upstream_body();
}

// The router reads the upstream's frames one after another while nothing downstream of it is
// above its high watermark (Envoy's readDisable on the upstream connection); paused, it goes on
// in a later loop event once the filter chain or the client has drained (maybe_resume_upstream).
void Stream::pump_upstream_body() {
  const UpstreamSpec& up = spec_->upstream;
  const bool has_trailers = up.trailers.has_value();
  while (upstream_next_frame_ < up.body.size() && !halted(enc_)) {
    if (upstream_paused_by_buffer_ || upstream_paused_by_client_) return;
    const size_t i = upstream_next_frame_++;
    BodyBuffer frame;
    frame.append(up.body[i]);
    on_data(enc_, frame, i + 1 == up.body.size() && !has_trailers);
    note_response_buffered();
  }
  if (upstream_paused_by_buffer_ || upstream_paused_by_client_) return;
  if (has_trailers && !halted(enc_) && !enc_.trailers_seen) {
    for (const auto& t : *up.trailers) response_trailers_.add(t.first, t.second);
    on_trailers(enc_);
  }
}

// Envoy's per-stream buffer limit is the high watermark of what a stopped filter holds; the low
// watermark is half of it.
void Stream::note_response_buffered() {
  const uint64_t held = enc_.buffered.size();
  if (held > result_.max_response_buffered) result_.max_response_buffered = held;
  if (held > buffer_limit_) {
    upstream_paused_by_buffer_ = true;
  } else if (upstream_paused_by_buffer_ && held <= buffer_limit_ / 2) {
    upstream_paused_by_buffer_ = false;
  }
}

void Stream::maybe_resume_upstream() {
  note_response_buffered();
  if (upstream_paused_by_buffer_ || upstream_paused_by_client_ || upstream_resume_posted_) return;
  if (finished_ || halted(enc_) || !enc_.headers_seen) return;
  const UpstreamSpec& up = spec_->upstream;
  if (upstream_next_frame_ >= up.body.size() && (!up.trailers || enc_.trailers_seen)) return;
  upstream_resume_posted_ = true;
  std::weak_ptr<Stream> weak = weak_from_this();
  loop_->post([weak] {
    auto self = weak.lock();
    if (!self || self->destroyed_) return;
    self->upstream_resume_posted_ = false;
    self->pump_upstream_body();
  });
}

// downstream_stall_ms: bytes written while the client is not reading stay in the connection's
// write buffer. Past the high watermark the terminal filters hear above-high and the router stops
// reading the upstream; when the client reads again the buffer empties, they hear below-low and
// the upstream is read again.
void Stream::downstream_stall_write(uint64_t bytes) {
  if (spec_->downstream_stall_ms == 0 || bytes == 0) return;
  if (!client_stall_started_) {
    client_stall_started_ = true;
    client_stalled_ = true;
    std::weak_ptr<Stream> weak = weak_from_this();
    loop_->post_delayed(std::chrono::milliseconds(spec_->downstream_stall_ms), [weak] {
      if (auto self = weak.lock()) self->downstream_resumes_reading();
    });
  }
  if (!client_stalled_) return;
  downstream_unread_ += bytes;
  if (downstream_unread_ > result_.max_downstream_unread) result_.max_downstream_unread = downstream_unread_;
  if (downstream_unread_ > buffer_limit_ && !upstream_paused_by_client_) {
    upstream_paused_by_client_ = true;
    for (auto& s : slots_) {
      if (s.config->terminal_filter()) s.config->hooks().above_high_watermark(&s, s.module_filter);
    }
  }
}

void Stream::downstream_resumes_reading() {
  client_stalled_ = false;
  downstream_unread_ = 0;
  if (!upstream_paused_by_client_) return;
  upstream_paused_by_client_ = false;
  // A stream already complete has unregistered its watermark callbacks.
  if (finished_ || destroyed_) return;
  for (auto& s : slots_) {
    if (s.config->terminal_filter()) s.config->hooks().below_low_watermark(&s, s.module_filter);
  }
  maybe_resume_upstream();
}

// ------------------------------------------------------------------ local replies and resets

void Stream::send_local_reply(uint32_t status, HeaderList headers, std::string body, std::string details) {
  local_reply_internal(status, std::move(headers), std::move(body), std::move(details), true);
}

void Stream::local_reply_internal(uint32_t status, HeaderList headers, std::string body, std::string details,
                                  bool from_filter) {
  if (finished_) return;
  if (from_filter) {
    result_.local_reply = LocalReplyRecord{status, headers, body, details};
  }
  response_code_ = status;
  response_code_details_ = details;
  // Every filter hears about the reply first; any of them may turn it into a reset.
  bool reset_requested = false;
  for (auto& s : slots_) {
    if (s.config->hooks().local_reply == nullptr) continue;
    envoy_dynamic_module_type_envoy_buffer det{const_cast<char*>(details.data()), details.size()};
    auto r = s.config->hooks().local_reply(&s, s.module_filter, status, det, downstream_headers_sent_);
    if (finished_) return;
    if (r == envoy_dynamic_module_type_on_http_filter_local_reply_status_ContinueAndResetStream) reset_requested = true;
  }
  if (reset_requested || downstream_headers_sent_) {
    reset(reset_requested ? "local_reply_reset_by_filter" : "local_reply_after_response_started");
    return;
  }
  // The request direction ends here; nothing more goes upstream.
  dec_.aborted = true;
  upstream_started_ = true;

  HeaderMap reply;
  reply.add(":status", std::to_string(status));
  for (const auto& h : headers) reply.add(h.first, h.second);
  if (!body.empty()) {
    if (reply.count("content-type") == 0) reply.add("content-type", "text/plain");
    reply.set("content-length", std::to_string(body.size()));
  }

  const bool encoding_started = enc_.headers_seen;
  if (encoding_started) {
    // Response headers exist but were not sent downstream: Envoy sends the reply directly,
    // bypassing the encoder filters.
    enc_.aborted = true;
    result_.downstream_response.emplace();
    result_.downstream_response->status = status;
    result_.downstream_response->headers = reply.entries();
    result_.downstream_response->body = body;
    downstream_headers_sent_ = true;
    if (!body.empty()) downstream_body_written();
    downstream_complete();
    return;
  }
  // Otherwise the reply goes through the whole encoder chain, including the filter that sent it.
  response_headers_ = reply;
  if (body.empty()) {
    on_headers(enc_, true);
  } else {
    on_headers(enc_, false);
    BodyBuffer frame;
    frame.append(body);
    on_data(enc_, frame, true);
  }
}

void Stream::send_response_headers(HeaderList headers, bool end_stream) {
  if (finished_ || downstream_headers_sent_) return;
  // Streaming replies from a terminal filter go to the client without re-entering our encode hooks.
  dec_.aborted = true;
  upstream_started_ = true;
  enc_.headers_seen = true;
  enc_.aborted = true;
  response_headers_.clear();
  for (const auto& h : headers) response_headers_.add(h.first, h.second);
  downstream_headers_sent_ = true;
  result_.downstream_response.emplace();
  result_.downstream_response->headers = response_headers_.entries();
  const std::string* status = response_headers_.get(":status");
  result_.downstream_response->status = status ? static_cast<uint32_t>(std::strtoul(status->c_str(), nullptr, 10)) : 0;
  response_code_ = result_.downstream_response->status;
  if (end_stream) downstream_complete();
}

void Stream::send_response_data(std::string data, bool end_stream) {
  if (finished_ || !downstream_headers_sent_ || !result_.downstream_response) return;
  result_.downstream_response->body += data;
  if (!data.empty()) downstream_body_written();
  if (end_stream) downstream_complete();
}

void Stream::send_response_trailers(HeaderList trailers) {
  if (finished_ || !downstream_headers_sent_ || !result_.downstream_response) return;
  result_.downstream_response->trailers = std::move(trailers);
  downstream_complete();
}

void Stream::reset(std::string details) {
  if (finished_) return;
  result_.reset = true;
  result_.reset_details = std::move(details);
  dec_.aborted = true;
  enc_.aborted = true;
  finalize();
}

void Stream::on_idle_timeout() {
  idle_timer_ = 0;
  if (finished_) return;
  host_.logs().write(3, "stream " + std::to_string(id_) + " idle timeout");
  local_reply_internal(408, {}, "stream timeout", "stream_idle_timeout", false);
}

void Stream::on_scheduled(size_t slot, uint64_t event_id) {
  if (destroyed_ || slot >= slots_.size()) return;
  FilterSlot& s = slots_[slot];
  s.config->hooks().scheduled(&s, s.module_filter, event_id);
}

// ------------------------------------------------------------------ end of stream

void Stream::downstream_complete() { finalize(); }

// Envoy's connection manager tells every stream's registered watermark callbacks (here: the
// terminal filters, in chain order) when the downstream write buffer crosses its watermarks. The
// high mark is reported inside the write that crossed it; the low mark when the client has read,
// which the simulated client does one loop event later. A stream already destroyed by then has
// unregistered its callbacks and hears nothing.
void Stream::downstream_body_written() {
  if (!spec_->downstream_backpressure || backpressure_reported_) return;
  backpressure_reported_ = true;
  for (auto& s : slots_) {
    if (s.config->terminal_filter()) s.config->hooks().above_high_watermark(&s, s.module_filter);
  }
  std::weak_ptr<Stream> weak = weak_from_this();
  loop_->post([weak] {
    auto self = weak.lock();
    if (!self || self->destroyed_) return;
    for (auto& s : self->slots_) {
      if (s.config->terminal_filter()) s.config->hooks().below_low_watermark(&s, s.module_filter);
    }
  });
}

void Stream::finalize() {
  if (finished_) return;
  finished_ = true;
  if (idle_timer_ != 0) loop_->cancel_timer(idle_timer_);
  idle_timer_ = 0;
  for (auto& s : slots_) {
    s.config->hooks().stream_complete(&s, s.module_filter);
    if (host_.options().record_events) result_.events.push_back("stream_complete:" + std::to_string(s.index));
  }
  // 1.40: the filter objects are destroyed by deferred deletion, after the current loop event.
  auto self = shared_from_this();
  loop_->defer([self] { self->destroy_filters(); });
}

void Stream::destroy_filters() {
  if (destroyed_) return;
  destroyed_ = true;
  for (auto& s : slots_) {
    s.config->hooks().destroy(s.module_filter);
    if (host_.options().record_events) result_.events.push_back("destroy:" + std::to_string(s.index));
    // Envoy resets the filter's open streaming callouts after destroy; nothing reaches the module.
    for (auto& [id, exchange] : s.http_streams) exchange->cancel();
    s.http_streams.clear();
  }
  host_.unregister_stream(loop_->index(), id_);
  if (done_) {
    auto done = std::move(done_);
    done(std::move(result_));
  }
}

}  // namespace envoyext::host
