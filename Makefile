# EnvoyExt's one entry point. `make demo` builds everything and runs the standalone demo;
# `make test` builds everything and runs every test (CTest for native/, xunit for src/).
SHELL := /bin/bash
CONFIG ?= Release
JOBS ?= 2
NATIVE_BUILD := build/native
MODULE_OUT := build/module
TEST_MODULE_OUT := build/test-module
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
# Where the integration tests, benchmarks and demo find the artifacts.
export ENVOYEXT_HOST_BIN := $(CURDIR)/$(NATIVE_BUILD)/bin/envoyext-host
export ENVOYEXT_MODULE_DIR := $(CURDIR)/$(MODULE_OUT)
export ENVOYEXT_TEST_MODULE_DIR := $(CURDIR)/$(TEST_MODULE_OUT)
export ENVOYEXT_BASELINE_DIR := $(CURDIR)/$(NATIVE_BUILD)/lib
export ENVOYEXT_HOST_BENCH_BIN := $(CURDIR)/$(NATIVE_BUILD)/bin/envoyext-host-bench

.PHONY: all native module test-module managed test test-native test-managed demo bench format check clean

all: native module test-module managed

native:
	cmake -S . -B $(NATIVE_BUILD) -DCMAKE_BUILD_TYPE=$(CONFIG) >/dev/null
	cmake --build $(NATIVE_BUILD) -j $(JOBS)

# NativeAOT publish of the production catalogue: produces build/module/libenvoyext.so.
module:
	dotnet publish src/EnvoyExt.Module/EnvoyExt.Module.csproj -c $(CONFIG) -r linux-x64 -o $(MODULE_OUT) -nologo -v quiet
	@test -f $(MODULE_OUT)/libenvoyext.so && echo "module: $(MODULE_OUT)/libenvoyext.so"

# NativeAOT publish of the test module (production filters + diagnostics + the benchmark's allocation
# probe): produces build/test-module/libenvoyext_test.so (Envoy module name envoyext_test).
test-module:
	dotnet publish tests/EnvoyExt.TestModule/EnvoyExt.TestModule.csproj -c $(CONFIG) -r linux-x64 -o $(TEST_MODULE_OUT) -nologo -v quiet
	@test -f $(TEST_MODULE_OUT)/libenvoyext_test.so && echo "test module: $(TEST_MODULE_OUT)/libenvoyext_test.so"

managed:
	dotnet build EnvoyExt.sln -c $(CONFIG) -nologo -v quiet

test: all test-native test-managed

test-native:
	ctest --test-dir $(NATIVE_BUILD) --output-on-failure -j $(JOBS)

test-managed:
	dotnet test EnvoyExt.sln -c $(CONFIG) --no-build -nologo

demo: all
	./examples/demo.sh

bench: all
	./bench/run.sh

NATIVE_SOURCES = find native bench/native \( -name '*.c' -o -name '*.cc' -o -name '*.h' \) -print0

format:
	dotnet format EnvoyExt.sln
	$(NATIVE_SOURCES) | xargs -0 clang-format -i

# What CI checks before it tests: C# formatting, native formatting, and a build with the analyzers
# (AnalysisMode=Recommended under src/, see src/Directory.Build.props) whose warnings are errors.
check:
	dotnet format EnvoyExt.sln --verify-no-changes
	$(NATIVE_SOURCES) | xargs -0 clang-format --dry-run -Werror
	dotnet build EnvoyExt.sln -c $(CONFIG) -nologo -v quiet

clean:
	rm -rf build artifacts
