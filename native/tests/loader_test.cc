// Loading modules as Envoy 1.40 does (docs/abi-host.md "Loading").
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "dynamic_module.h"
#include "log_sink.h"
#include "test_support.h"

using namespace envoyext;

// A "statically linked module": its program init is part of this executable (exported with
// ENABLE_EXPORTS), named with the module-name prefix as Envoy expects.
extern "C" __attribute__((visibility("default"))) const char* linkedin_envoy_dynamic_module_on_program_init() {
  return "v0.2.0";
}

namespace {

bool logs_contain(host::Host& h, const std::string& needle) {
  for (const auto& r : h.logs().snapshot()) {
    if (r.message.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(Loader, LoadsFromSearchPathAndReportsVersion) {
  test::use_test_module_dir();
  host::Host h(host::HostOptions{});
  host::ModuleInfo info;
  auto m = h.load_module("test_minimal", host::LoadOptions{}, &info);
  ASSERT_TRUE(m) << info.error;
  EXPECT_EQ(info.abi_version, "v0.2.0");
  EXPECT_TRUE(info.version_matched);
  EXPECT_EQ(m->path(), std::string(ENVOYEXT_TEST_LIB_DIR) + "/libtest_minimal.so");
}

TEST(Loader, StaticallyLinkedModuleIsFoundInTheGlobalScopeFirst) {
  test::use_test_module_dir();
  std::string error;
  auto m = host::ModuleLoader::load("linkedin", host::LoadOptions{}, nullptr, error);
  ASSERT_TRUE(m) << error;
  EXPECT_TRUE(m->statically_linked());
  EXPECT_TRUE(m->version_matched());
  EXPECT_EQ(m->symbol("envoy_dynamic_module_on_program_init"),
            reinterpret_cast<void*>(&linkedin_envoy_dynamic_module_on_program_init));
}

TEST(Loader, UnsetSearchPathMeansCurrentDirectory) {
  ::unsetenv("ENVOY_DYNAMIC_MODULES_SEARCH_PATH");
  char old[PATH_MAX];
  ASSERT_NE(::getcwd(old, sizeof old), nullptr);
  ASSERT_EQ(::chdir(ENVOYEXT_TEST_LIB_DIR), 0);
  std::string error;
  auto m = host::ModuleLoader::load("test_minimal", host::LoadOptions{}, nullptr, error);
  ASSERT_EQ(::chdir(old), 0);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->path(), std::string(ENVOYEXT_TEST_LIB_DIR) + "/libtest_minimal.so");
}

TEST(Loader, MissingModuleFailsWithMessageNamingIt) {
  test::use_test_module_dir();
  std::string error;
  auto m = host::ModuleLoader::load("does_not_exist", host::LoadOptions{}, nullptr, error);
  EXPECT_FALSE(m);
  EXPECT_NE(error.find("does_not_exist"), std::string::npos) << error;
}

TEST(Loader, UnresolvedImportFailsTheLoadUnderRtldNow) {
  test::use_test_module_dir();
  std::string error;
  auto m = host::ModuleLoader::load("test_unresolved", host::LoadOptions{}, nullptr, error);
  EXPECT_FALSE(m);
  EXPECT_NE(error.find("envoy_dynamic_module_callback_from_the_future"), std::string::npos) << error;
}

TEST(Loader, VersionMismatchWarnsButLoads) {
  test::use_test_module_dir();
  host::Host h(host::HostOptions{});
  host::ModuleInfo info;
  auto m = h.load_module("test_old_version", host::LoadOptions{}, &info);
  ASSERT_TRUE(m) << info.error;
  EXPECT_EQ(info.abi_version, "v0.0.9");
  EXPECT_FALSE(info.version_matched);
  EXPECT_TRUE(logs_contain(h, "ABI version mismatch"));
  bool warned = false;
  for (const auto& r : h.logs().snapshot()) warned |= r.level == 3 && r.message.find("mismatch") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST(Loader, NullProgramInitRejectsTheModule) {
  test::use_test_module_dir();
  host::Host h(host::HostOptions{});
  host::ModuleInfo info;
  auto m = h.load_module("test_null_init", host::LoadOptions{false, false}, &info);
  EXPECT_FALSE(m);
  EXPECT_FALSE(info.loaded);
  EXPECT_NE(info.error.find("returned NULL"), std::string::npos) << info.error;
  // Without do_not_close the failed module is unloaded again.
  std::string path = std::string(ENVOYEXT_TEST_LIB_DIR) + "/libtest_null_init.so";
  EXPECT_EQ(::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY), nullptr);
}

TEST(Loader, ResidentModuleIsReusedWithoutSecondProgramInit) {
  test::use_test_module_dir();
  std::string error;
  auto first = host::ModuleLoader::load("test_minimal_reuse", host::LoadOptions{true, false}, nullptr, error);
  ASSERT_TRUE(first) << error;
  EXPECT_TRUE(first->program_init_called());
  auto calls = reinterpret_cast<int (*)()>(first->symbol("test_program_init_calls"));
  ASSERT_NE(calls, nullptr);
  EXPECT_EQ(calls(), 1);
  auto second = host::ModuleLoader::load("test_minimal_reuse", host::LoadOptions{true, false}, nullptr, error);
  ASSERT_TRUE(second) << error;
  EXPECT_FALSE(second->program_init_called());
  EXPECT_EQ(calls(), 1);
}

TEST(Loader, DoNotCloseKeepsTheModuleMapped) {
  test::use_test_module_dir();
  std::string path = std::string(ENVOYEXT_TEST_LIB_DIR) + "/libtest_minimal.so";
  {
    std::string error;
    auto m = host::ModuleLoader::load("test_minimal", host::LoadOptions{true, false}, nullptr, error);
    ASSERT_TRUE(m) << error;
  }
  void* still = ::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY);
  EXPECT_NE(still, nullptr);
  if (still) ::dlclose(still);
}

TEST(Loader, MissingRequiredHookRejectsConfigNamingTheSymbol) {
  test::use_test_module_dir();
  host::Host h(host::HostOptions{});
  ASSERT_TRUE(h.load_module("test_missing_hook", host::LoadOptions{}));
  std::string error;
  auto cfg = h.create_filter_config("test_missing_hook", "any", "{}", error);
  EXPECT_FALSE(cfg);
  EXPECT_NE(error.find("envoy_dynamic_module_on_http_filter_scheduled"), std::string::npos) << error;
}

TEST(Loader, ConfigNewReturningNullRejectsTheConfig) {
  test::use_test_module_dir();
  host::Host h(host::HostOptions{});
  ASSERT_TRUE(h.load_module("test_minimal", host::LoadOptions{}));
  std::string error;
  EXPECT_FALSE(h.create_filter_config("test_minimal", "any", "reject", error));
  EXPECT_NE(error.find("config_new returned NULL"), std::string::npos) << error;
  EXPECT_TRUE(h.create_filter_config("test_minimal", "any", "fine", error)) << error;
}

}  // namespace
