#include "event_loop.h"

#include <algorithm>
#include <future>

namespace envoyext::host {

EventLoop::EventLoop(std::string name, uint32_t index) : name_(std::move(name)), index_(index) {
  thread_ = std::thread([this] { run(); });
}

EventLoop::~EventLoop() { stop(); }

bool EventLoop::post(Task task) {
  // Notify while holding the lock: once the task runs, the stream (and with it the last owner of
  // this loop) may be gone, so the poster must not touch the loop after releasing the lock.
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return false;
  tasks_.push_back(std::move(task));
  wake_.notify_one();
  return true;
}

uint64_t EventLoop::post_delayed(std::chrono::milliseconds delay, Task task) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return 0;
  uint64_t id = next_timer_id_++;
  timers_.push_back(Timer{Clock::now() + delay, id, std::move(task)});
  wake_.notify_one();
  return id;
}

void EventLoop::cancel_timer(uint64_t timer_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  timers_.erase(std::remove_if(timers_.begin(), timers_.end(), [&](const Timer& t) { return t.id == timer_id; }),
                timers_.end());
}

void EventLoop::defer(Task task) { deferred_.push_back(std::move(task)); }

void EventLoop::run_sync(const Task& task) {
  if (is_loop_thread()) {
    task();
    return;
  }
  std::promise<void> done;
  auto finished = done.get_future();
  if (!post([&] {
        task();
        done.set_value();
      })) {
    task();
    return;
  }
  finished.wait();
}

void EventLoop::run_deferred() {
  // A deferred task may defer more work (destroying a stream can release another object).
  while (!deferred_.empty()) {
    std::vector<Task> batch;
    batch.swap(deferred_);
    for (auto& t : batch) t();
  }
}

void EventLoop::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    auto now = Clock::now();
    // Fire due timers first, earliest first.
    auto due =
        std::min_element(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) { return a.due < b.due; });
    if (due != timers_.end() && due->due <= now) {
      Task task = std::move(due->task);
      timers_.erase(due);
      lock.unlock();
      task();
      run_deferred();
      lock.lock();
      continue;
    }
    if (!tasks_.empty()) {
      Task task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      run_deferred();
      lock.lock();
      continue;
    }
    if (stopping_) return;
    if (due != timers_.end()) {
      wake_.wait_until(lock, due->due);
    } else {
      wake_.wait(lock);
    }
  }
}

void EventLoop::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    timers_.clear();
    wake_.notify_one();
  }
  if (thread_.joinable() && !is_loop_thread()) thread_.join();
}

}  // namespace envoyext::host
