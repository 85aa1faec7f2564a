/* The native part of libenvoyext.so: Envoy's stream-lifecycle hooks (filter_new, stream_complete,
 * destroy) and the filter config hooks that own their memory, answered in C so that a stream enters
 * .NET only for the hooks its filter has work in. Each entry into .NET costs a reverse P/Invoke
 * transition (about a hundred instructions with the runtime's thread lookup), and a typical stream
 * has five hooks where the filter works in two.
 *
 * A stream's module pointer is a slot (stream_slots.h). Slots are pooled per config and per worker,
 * and a pooled slot keeps its binding to the SDK's managed stream object, so filter_new and destroy
 * are a pop and a push on the worker's own list: no lock, no allocation, no managed code. The
 * managed side begins the stream at its first hook (ENVOYEXT_SLOT_BEGIN) and marks the slot when
 * stream_complete and destroy must reach it (ENVOYEXT_SLOT_END_HOOKS).
 *
 * Compiled and linked into the module by the NativeAOT build (src/EnvoyExt.DynamicModules/
 * DynamicModule.props); the managed functions it calls are the SDK's [UnmanagedCallersOnly] entries
 * of the same names (src/EnvoyExt.DynamicModules/Exports/StreamEntryExports.cs). */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>

#include "envoyext/abi.h"
#include "stream_slots.h"

#define ENVOYEXT_EXPORT __attribute__((visibility("default")))

/* Workers with a higher index get unpooled slots (correct, just allocating). */
#define POOLED_WORKERS 256
/* Idle slots kept per worker and config: the most streams a worker had open at once, up to this. */
#define MAX_IDLE_SLOTS 4096

/* ---- the SDK's managed entries ---- */
intptr_t envoyext_sdk_http_filter_config_new(envoy_dynamic_module_type_http_filter_config_envoy_ptr config_envoy,
                                             envoy_dynamic_module_type_envoy_buffer name,
                                             envoy_dynamic_module_type_envoy_buffer config);
void envoyext_sdk_http_filter_config_destroy(intptr_t config_handle);
void envoyext_sdk_http_filter_stream_complete(envoy_dynamic_module_type_http_filter_envoy_ptr envoy,
                                              envoyext_stream_slot* slot);
/* Returns true when the slot keeps its managed stream (only when keep_binding). */
bool envoyext_sdk_http_filter_destroy(envoyext_stream_slot* slot, bool keep_binding);

/* One worker's idle slots, alone on its cache line: each list is touched by its worker only. */
typedef struct idle_slots {
  envoyext_stream_slot* head;
  uint32_t count;
  char padding[64 - sizeof(envoyext_stream_slot*) - sizeof(uint32_t)];
} idle_slots;

typedef struct envoyext_filter_config {
  intptr_t config_handle;
  idle_slots* idle[POOLED_WORKERS]; /* created by each worker on its first stream */
} envoyext_filter_config;

typedef uint32_t (*get_worker_index_fn)(envoy_dynamic_module_type_http_filter_envoy_ptr);

/* Resolved by name like every callback the module uses (the module has no link-time imports of its
 * host); written by the first config_new on the main thread, before any stream exists. Without it
 * slots are not pooled: destroy then always hands the managed stream back to the SDK's own pool. */
static get_worker_index_fn get_worker_index;
static bool get_worker_index_resolved;

static idle_slots* idle_slots_of(envoyext_filter_config* config, uint32_t worker) {
  if (worker >= POOLED_WORKERS) {
    return NULL;
  }
  if (config->idle[worker] == NULL) {
    config->idle[worker] = aligned_alloc(64, sizeof(idle_slots));
    if (config->idle[worker] != NULL) {
      config->idle[worker]->head = NULL;
      config->idle[worker]->count = 0;
    }
  }
  return config->idle[worker];
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_filter_config_module_ptr envoy_dynamic_module_on_http_filter_config_new(
    envoy_dynamic_module_type_http_filter_config_envoy_ptr filter_config_envoy_ptr,
    envoy_dynamic_module_type_envoy_buffer name, envoy_dynamic_module_type_envoy_buffer config) {
  if (!get_worker_index_resolved) {
    get_worker_index =
        (get_worker_index_fn)dlsym(RTLD_DEFAULT, "envoy_dynamic_module_callback_http_filter_get_worker_index");
    get_worker_index_resolved = true;
  }
  intptr_t config_handle = envoyext_sdk_http_filter_config_new(filter_config_envoy_ptr, name, config);
  if (config_handle == 0) {
    return NULL; /* the SDK logged why */
  }
  envoyext_filter_config* created = calloc(1, sizeof(envoyext_filter_config));
  if (created == NULL) {
    envoyext_sdk_http_filter_config_destroy(config_handle);
    return NULL;
  }
  created->config_handle = config_handle;
  return created;
}

/* Envoy destroys a config after the last of its streams, so every slot is idle by now. */
ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_config_destroy(
    envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr) {
  envoyext_filter_config* config = (envoyext_filter_config*)filter_config_ptr;
  if (config == NULL) {
    return;
  }
  for (uint32_t worker = 0; worker < POOLED_WORKERS; worker++) {
    idle_slots* idle = config->idle[worker];
    if (idle == NULL) {
      continue;
    }
    while (idle->head != NULL) {
      envoyext_stream_slot* slot = idle->head;
      idle->head = slot->next_idle;
      if (slot->stream_handle != 0) {
        envoyext_sdk_http_filter_destroy(slot, false);
      }
      free(slot);
    }
    free(idle);
  }
  envoyext_sdk_http_filter_config_destroy(config->config_handle);
  free(config);
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_http_filter_module_ptr
envoy_dynamic_module_on_http_filter_new(envoy_dynamic_module_type_http_filter_config_module_ptr filter_config_ptr,
                                        envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr) {
  envoyext_filter_config* config = (envoyext_filter_config*)filter_config_ptr;
  uint32_t worker = get_worker_index != NULL ? get_worker_index(filter_envoy_ptr) : UINT32_MAX;
  idle_slots* idle = idle_slots_of(config, worker);
  envoyext_stream_slot* slot;
  if (idle != NULL && idle->head != NULL) {
    slot = idle->head;
    idle->head = slot->next_idle;
    idle->count--;
  } else {
    slot = malloc(sizeof(envoyext_stream_slot));
    if (slot == NULL) {
      return NULL; /* Envoy closes the stream */
    }
    slot->stream_handle = 0;
    slot->config_handle = config->config_handle;
    slot->owner = config;
  }
  slot->flags = ENVOYEXT_SLOT_BEGIN;
  slot->worker = idle != NULL ? worker : UINT32_MAX;
  slot->next_idle = NULL;
  return slot;
}

ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_stream_complete(
    envoy_dynamic_module_type_http_filter_envoy_ptr filter_envoy_ptr,
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr) {
  envoyext_stream_slot* slot = (envoyext_stream_slot*)filter_module_ptr;
  if (slot->flags & ENVOYEXT_SLOT_END_HOOKS) {
    envoyext_sdk_http_filter_stream_complete(filter_envoy_ptr, slot);
  }
}

/* Runs on the stream's worker (Envoy's deferred deletion), like filter_new: the worker's list is its own. */
ENVOYEXT_EXPORT void envoy_dynamic_module_on_http_filter_destroy(
    envoy_dynamic_module_type_http_filter_module_ptr filter_module_ptr) {
  envoyext_stream_slot* slot = (envoyext_stream_slot*)filter_module_ptr;
  idle_slots* idle = slot->worker < POOLED_WORKERS ? slot->owner->idle[slot->worker] : NULL;
  bool keep = idle != NULL && idle->count < MAX_IDLE_SLOTS;
  if ((slot->flags & ENVOYEXT_SLOT_END_HOOKS) || (!keep && slot->stream_handle != 0)) {
    envoyext_sdk_http_filter_destroy(slot, keep);
  }
  if (keep) {
    slot->flags = ENVOYEXT_SLOT_BEGIN; /* idle: nothing of the finished stream may run again */
    slot->next_idle = idle->head;
    idle->head = slot;
    idle->count++;
  } else {
    free(slot);
  }
}
