// The envoyext-host subcommands. Each returns the process exit code.
#pragma once

namespace envoyext::cli {

int run_command(int argc, char** argv);    // envoyext-host run <scenario.json|->
int bench_command(int argc, char** argv);  // envoyext-host bench --module M --filter F --config J ...
int demo_command(int argc, char** argv);   // envoyext-host demo --module M --config J --route P ...

}  // namespace envoyext::cli
