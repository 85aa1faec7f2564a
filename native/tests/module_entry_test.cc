// The module's native stream entry (native/module_entry/stream_entry.c) against a scripted stand-in for
// the SDK's managed entries: slots pooled per worker with their binding, end hooks delivered only when
// the slot asks, the idle bound, and the config teardown that releases every binding.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "envoyext/abi.h"

extern "C" {
#include "stream_slots.h"
}

namespace {

// What the stand-in for the SDK saw.
struct SdkCalls {
  intptr_t next_config_handle = 0;  // 0: config_new fails
  std::vector<intptr_t> destroyed_configs;
  int stream_completes = 0;
  std::vector<std::pair<envoyext_stream_slot*, bool>> destroys;  // slot, keep_binding
  bool reusable = true;
};
SdkCalls sdk;

// The worker each fake Envoy stream pointer stands for: the pointer's value.
envoy_dynamic_module_type_http_filter_envoy_ptr on_worker(uintptr_t worker) {
  return reinterpret_cast<envoy_dynamic_module_type_http_filter_envoy_ptr>(worker);
}

}  // namespace

extern "C" {
// Envoy's callback, found by the entry through dlsym (the test binary exports its symbols).
__attribute__((visibility("default"))) uint32_t envoy_dynamic_module_callback_http_filter_get_worker_index(
    envoy_dynamic_module_type_http_filter_envoy_ptr envoy) {
  return static_cast<uint32_t>(reinterpret_cast<uintptr_t>(envoy));
}

intptr_t envoyext_sdk_http_filter_config_new(envoy_dynamic_module_type_http_filter_config_envoy_ptr,
                                             envoy_dynamic_module_type_envoy_buffer,
                                             envoy_dynamic_module_type_envoy_buffer) {
  return sdk.next_config_handle;
}
void envoyext_sdk_http_filter_config_destroy(intptr_t handle) { sdk.destroyed_configs.push_back(handle); }
void envoyext_sdk_http_filter_stream_complete(envoy_dynamic_module_type_http_filter_envoy_ptr, envoyext_stream_slot*) {
  sdk.stream_completes++;
}
// Like the SDK: keeps the binding when asked and reusable, else unbinds.
bool envoyext_sdk_http_filter_destroy(envoyext_stream_slot* slot, bool keep_binding) {
  sdk.destroys.emplace_back(slot, keep_binding);
  if (keep_binding && sdk.reusable) {
    return true;
  }
  slot->stream_handle = 0;
  return false;
}
}

namespace {

class ModuleEntryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sdk = SdkCalls{};
    sdk.next_config_handle = 4242;
    config_ = envoy_dynamic_module_on_http_filter_config_new(nullptr, {"f", 1}, {"", 0});
    ASSERT_NE(config_, nullptr);
  }
  void TearDown() override {
    if (config_ != nullptr) envoy_dynamic_module_on_http_filter_config_destroy(config_);
  }

  envoyext_stream_slot* New(uintptr_t worker) {
    return static_cast<envoyext_stream_slot*>(
        const_cast<void*>(envoy_dynamic_module_on_http_filter_new(config_, on_worker(worker))));
  }
  // What the SDK does at the stream's first managed hook: bind an object, clear BEGIN.
  static void Begin(envoyext_stream_slot* slot, intptr_t handle, uint32_t flags = 0) {
    if (slot->stream_handle == 0) slot->stream_handle = handle;
    slot->flags = flags;
  }
  static void Destroy(envoyext_stream_slot* slot) { envoy_dynamic_module_on_http_filter_destroy(slot); }

  envoy_dynamic_module_type_http_filter_config_module_ptr config_ = nullptr;
};

TEST_F(ModuleEntryTest, ANewSlotBeginsUnboundOnItsConfig) {
  envoyext_stream_slot* slot = New(3);
  EXPECT_EQ(slot->flags, ENVOYEXT_SLOT_BEGIN);
  EXPECT_EQ(slot->stream_handle, 0);
  EXPECT_EQ(slot->config_handle, 4242);
  EXPECT_EQ(slot->worker, 3u);
  Destroy(slot);
  EXPECT_TRUE(sdk.destroys.empty());  // nothing managed to release
}

TEST_F(ModuleEntryTest, ASlotKeepsItsBindingAcrossStreamsOfItsWorkerWithoutEnteringTheSdk) {
  envoyext_stream_slot* first = New(0);
  Begin(first, 77);
  envoy_dynamic_module_on_http_filter_stream_complete(on_worker(0), first);
  Destroy(first);

  envoyext_stream_slot* second = New(0);
  EXPECT_EQ(second, first);
  EXPECT_EQ(second->stream_handle, 77);
  EXPECT_EQ(second->flags, ENVOYEXT_SLOT_BEGIN);
  EXPECT_EQ(sdk.stream_completes, 0);
  EXPECT_TRUE(sdk.destroys.empty());
  Destroy(second);
}

TEST_F(ModuleEntryTest, IdleSlotsStayWithTheirWorker) {
  envoyext_stream_slot* on_one = New(1);
  Begin(on_one, 11);
  Destroy(on_one);

  envoyext_stream_slot* on_zero = New(0);
  EXPECT_NE(on_zero, on_one);
  EXPECT_EQ(on_zero->stream_handle, 0);
  envoyext_stream_slot* again_on_one = New(1);
  EXPECT_EQ(again_on_one, on_one);
  Destroy(on_zero);
  Destroy(again_on_one);
}

TEST_F(ModuleEntryTest, EndHooksReachTheSdkOnlyWhenTheSlotAsks) {
  envoyext_stream_slot* slot = New(0);
  Begin(slot, 5, ENVOYEXT_SLOT_END_HOOKS);
  envoy_dynamic_module_on_http_filter_stream_complete(on_worker(0), slot);
  Destroy(slot);
  EXPECT_EQ(sdk.stream_completes, 1);
  ASSERT_EQ(sdk.destroys.size(), 1u);
  EXPECT_EQ(sdk.destroys[0].first, slot);
  EXPECT_TRUE(sdk.destroys[0].second);  // pooled: the SDK may keep the binding

  // The next stream on the slot starts clean: its end hooks stay native again.
  envoyext_stream_slot* next = New(0);
  EXPECT_EQ(next, slot);
  EXPECT_EQ(next->flags, ENVOYEXT_SLOT_BEGIN);
  Begin(next, 5);
  envoy_dynamic_module_on_http_filter_stream_complete(on_worker(0), next);
  Destroy(next);
  EXPECT_EQ(sdk.stream_completes, 1);
  EXPECT_EQ(sdk.destroys.size(), 1u);
}

TEST_F(ModuleEntryTest, AnUnreusableStreamLeavesAnUnboundSlot) {
  sdk.reusable = false;
  envoyext_stream_slot* slot = New(0);
  Begin(slot, 9, ENVOYEXT_SLOT_END_HOOKS);
  Destroy(slot);
  envoyext_stream_slot* next = New(0);
  EXPECT_EQ(next, slot);
  EXPECT_EQ(next->stream_handle, 0);  // the next stream gets another object
  Destroy(next);
}

TEST_F(ModuleEntryTest, PastTheIdleBoundABindingGoesBackToTheSdkAndTheSlotIsFreed) {
  constexpr int kBound = 4096;
  std::vector<envoyext_stream_slot*> open;
  for (int i = 0; i <= kBound; i++) {
    open.push_back(New(2));
    Begin(open.back(), 1000 + i);
  }
  for (envoyext_stream_slot* slot : open) Destroy(slot);

  ASSERT_EQ(sdk.destroys.size(), 1u);  // only the one past the bound
  EXPECT_EQ(sdk.destroys[0].first, open.back());
  EXPECT_FALSE(sdk.destroys[0].second);
}

TEST_F(ModuleEntryTest, ConfigDestroyReleasesEveryIdleBindingThenTheConfig) {
  envoyext_stream_slot* a = New(0);
  envoyext_stream_slot* b = New(0);
  envoyext_stream_slot* c = New(7);
  Begin(a, 1);
  Begin(c, 3);  // b never reached managed code: nothing to release
  Destroy(a);
  Destroy(b);
  Destroy(c);

  envoy_dynamic_module_on_http_filter_config_destroy(config_);
  config_ = nullptr;
  EXPECT_EQ(sdk.destroys.size(), 2u);
  for (const auto& [slot, keep] : sdk.destroys) EXPECT_FALSE(keep);
  EXPECT_EQ(sdk.destroyed_configs, std::vector<intptr_t>{4242});
}

TEST(ModuleEntryConfig, ARejectedConfigIsNull) {
  sdk = SdkCalls{};
  sdk.next_config_handle = 0;
  EXPECT_EQ(envoy_dynamic_module_on_http_filter_config_new(nullptr, {"f", 1}, {"", 0}), nullptr);
  EXPECT_TRUE(sdk.destroyed_configs.empty());
}

}  // namespace
