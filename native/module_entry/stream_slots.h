/* The per-stream slot the C# SDK and its native stream entry share (see stream_entry.c). Envoy's
 * per-stream module pointer is a slot; its layout is mirrored by StreamSlot in
 * src/EnvoyExt.DynamicModules/Sdk/StreamSlot.cs, and the two must change together. */
#ifndef ENVOYEXT_MODULE_ENTRY_STREAM_SLOTS_H
#define ENVOYEXT_MODULE_ENTRY_STREAM_SLOTS_H

#include <stdint.h>

/* Set by filter_new: the first hook that enters .NET begins the stream (binds or resets the filter). */
#define ENVOYEXT_SLOT_BEGIN 1u
/* Deliver stream_complete and destroy to .NET: the filter asked for them, or the SDK needs destroy
 * (a scheduler to delete, a faulted filter to drop). Without it both are answered here. */
#define ENVOYEXT_SLOT_END_HOOKS 2u
/* Set by .NET when beginning the stream failed: its later hooks pass it through. Cleared by filter_new. */
#define ENVOYEXT_SLOT_BEGIN_FAILED 4u

typedef struct envoyext_stream_slot {
  /* Shared with C#. */
  intptr_t stream_handle; /* GCHandle of the SDK's FilterStream bound to this slot; 0 while unbound */
  intptr_t config_handle; /* GCHandle of the filter config (ConfigHolder) */
  uint32_t flags;         /* ENVOYEXT_SLOT_* */
  uint32_t worker;        /* Envoy's worker index, or UINT32_MAX when the slot is not pooled */
  /* Native only. */
  struct envoyext_filter_config* owner;   /* the config whose idle lists take the slot back */
  struct envoyext_stream_slot* next_idle; /* while idle */
} envoyext_stream_slot;

#endif
