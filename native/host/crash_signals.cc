#include "crash_signals.h"

#include <execinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>

namespace envoyext::host {

namespace {

constexpr int kSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
std::atomic<bool> installed{false};
char alt_stack[64 * 1024];

void write_str(const char* s) {
  ssize_t r = ::write(STDERR_FILENO, s, strlen(s));
  (void)r;
}

void on_fatal_signal(int sig, siginfo_t*, void*) {
  // Only async-signal-safe calls from here on (backtrace_symbols_fd writes directly to the fd).
  write_str("envoyext-host: caught fatal signal ");
  write_str(strsignal(sig));
  write_str(", backtrace:\n");
  void* frames[64];
  int n = backtrace(frames, 64);
  backtrace_symbols_fd(frames, n, STDERR_FILENO);
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigaction(sig, &dfl, nullptr);
  raise(sig);
}

}  // namespace

void install_crash_handlers() {
  if (installed.exchange(true)) return;
  // backtrace() loads libgcc lazily; do it now, not inside the handler.
  void* warm[1];
  backtrace(warm, 1);
  stack_t ss;
  memset(&ss, 0, sizeof ss);
  ss.ss_sp = alt_stack;
  ss.ss_size = sizeof alt_stack;
  sigaltstack(&ss, nullptr);
  for (int sig : kSignals) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fatal_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);
  }
}

}  // namespace envoyext::host
