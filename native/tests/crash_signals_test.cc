// The host's fatal-signal handlers print a backtrace and still let the process die by the signal.
#include <gtest/gtest.h>

#include <csignal>

#include "crash_signals.h"

namespace {

TEST(CrashSignalsDeathTest, SegfaultPrintsBacktraceAndDiesBySignal) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        envoyext::host::install_crash_handlers();
        std::raise(SIGSEGV);
      },
      testing::KilledBySignal(SIGSEGV), "caught fatal signal .*backtrace");
}

TEST(CrashSignalsDeathTest, AbortIsReRaised) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        envoyext::host::install_crash_handlers();
        std::abort();
      },
      testing::KilledBySignal(SIGABRT), "caught fatal signal");
}

}  // namespace
