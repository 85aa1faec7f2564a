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

bool EventLoop::take_ready(Task& task, Clock::time_point& next_due) {
  const auto now = Clock::now();
  // Due timers first, earliest first.
  auto due =
      std::min_element(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) { return a.due < b.due; });
  if (due != timers_.end() && due->due <= now) {
    task = std::move(due->task);
    timers_.erase(due);
    return true;
  }
  if (!tasks_.empty()) {
    task = std::move(tasks_.front());
    tasks_.pop_front();
    return true;
  }
  next_due = due != timers_.end() ? due->due : Clock::time_point::max();
  return false;
}

void EventLoop::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    Task task;
    Clock::time_point next_due;
    if (take_ready(task, next_due)) {
      lock.unlock();
      task();
      run_deferred();
      lock.lock();
      continue;
    }
    if (stopping_) return;
    if (next_due != Clock::time_point::max()) {
      wake_.wait_until(lock, next_due);
    } else {
      wake_.wait(lock);
    }
  }
}

bool EventLoop::run_nested_until(const std::function<bool()>& done, Clock::time_point deadline) {
  while (!done()) {
    Task task;
    Clock::time_point next_due;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!take_ready(task, next_due)) {
        if (stopping_ || Clock::now() >= deadline) return false;
        wake_.wait_until(lock, std::min(next_due, deadline));
        continue;
      }
    }
    task();
    run_deferred();
  }
  return true;
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
