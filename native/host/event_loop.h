// One dispatcher thread: a task queue plus timers, like an Envoy worker's event loop.
// Tasks posted from any thread run in order on the loop thread; deferred tasks run right after the
// task that queued them finishes (Envoy clears its deferred-delete list after each loop iteration).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace envoyext::host {

class EventLoop {
 public:
  using Task = std::function<void()>;
  using Clock = std::chrono::steady_clock;

  EventLoop(std::string name, uint32_t index);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Thread-safe. Tasks posted after stop() are dropped (returns false).
  bool post(Task task);
  // Thread-safe. Runs `task` on the loop after `delay`; returns a timer id for cancel_timer.
  uint64_t post_delayed(std::chrono::milliseconds delay, Task task);
  void cancel_timer(uint64_t timer_id);
  // Loop thread only: runs after the current task returns.
  void defer(Task task);
  // Blocks until `task` ran on the loop (runs inline on the loop thread, or once the loop has
  // stopped, so teardown paths never wait for a loop that will not run again).
  void run_sync(const Task& task);
  // Loop thread only: runs deferred work now (benchmarks drive many streams inside one task).
  void run_pending_deferred() { run_deferred(); }
  // Loop thread only, from inside a task: runs the queued tasks and due timers (each followed by its
  // deferred work) until `done()` holds, waiting for new ones meanwhile, or until `deadline`. A
  // benchmark burst uses it for a stream that stopped and resumes on a later event (a scheduler
  // event posted from another thread). Returns done().
  bool run_nested_until(const std::function<bool()>& done, Clock::time_point deadline);

  bool is_loop_thread() const { return std::this_thread::get_id() == thread_.get_id(); }
  uint32_t index() const { return index_; }
  const std::string& name() const { return name_; }
  // Drains queued tasks and joins the thread; timers that have not fired are dropped.
  void stop();

 private:
  struct Timer {
    Clock::time_point due;
    uint64_t id;
    Task task;
  };
  void run();
  void run_deferred();
  // Holds mutex_: moves the next due timer's or queued task's work into `task`; otherwise sets
  // `next_due` to the earliest timer (Clock::time_point::max() without one).
  bool take_ready(Task& task, Clock::time_point& next_due);

  std::string name_;
  uint32_t index_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  std::vector<Timer> timers_;  // small; linear scan keeps the code obvious
  std::vector<Task> deferred_;
  uint64_t next_timer_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace envoyext::host
