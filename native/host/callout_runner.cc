#include "callout_runner.h"

#include "exchange.h"

namespace envoyext::host {

CalloutRunner::~CalloutRunner() { shutdown(); }

void CalloutRunner::reap() {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if (it->done.load()) {
      it->thread.join();
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

void CalloutRunner::start(Upstream upstream, HeaderList headers, std::string body, uint64_t timeout_ms,
                          std::function<void(CalloutResponse&&)> on_done) {
  run([upstream = std::move(upstream), headers = std::move(headers), body = std::move(body), timeout_ms,
       on_done = std::move(on_done)](const std::atomic<bool>& cancelled) {
    auto exchange = make_exchange(upstream, headers, body, /*end_stream=*/true, timeout_ms);
    CalloutResponse r;
    ExchangeSink sink;
    sink.headers = [&r](HeaderList&& h, bool) { r.headers = std::move(h); };
    sink.data = [&r](std::string&& d, bool) { r.body += d; };
    sink.trailers = [](HeaderList&&) {};  // a one-shot callout's done hook gets headers and body only
    sink.complete = [&r] { r.ok = true; };
    sink.reset = [&r] { r = CalloutResponse{}; };
    exchange->run(sink, cancelled);
    if (!cancelled.load()) on_done(std::move(r));
  });
}

void CalloutRunner::run(std::function<void(const std::atomic<bool>& cancelled)> job_fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  reap();
  jobs_.emplace_back();
  Job& job = jobs_.back();
  job.thread = std::thread([this, &job, job_fn = std::move(job_fn)] {
    job_fn(cancelled_);
    job.done.store(true);
  });
}

void CalloutRunner::wait_all() {
  std::list<Job> jobs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs.splice(jobs.end(), jobs_);
  }
  for (auto& j : jobs) {
    if (j.thread.joinable()) j.thread.join();
  }
}

void CalloutRunner::shutdown() {
  cancelled_.store(true);
  std::list<Job> jobs;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs.splice(jobs.end(), jobs_);
  }
  for (auto& j : jobs) {
    if (j.thread.joinable()) j.thread.join();
  }
}

}  // namespace envoyext::host
