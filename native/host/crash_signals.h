// Fatal-signal handlers installed before any module is loaded, as Envoy does: print a backtrace,
// then restore the default action and re-raise so the process still dies with the same signal.
// A .NET runtime loaded later chains to handlers that already exist, so ours still run for faults
// outside managed code.
#pragma once

namespace envoyext::host {
void install_crash_handlers();  // idempotent
}
