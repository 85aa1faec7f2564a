// Process-level callbacks: logging, concurrency, runtime, function/shared-data registries.
#include <cstdio>
#include <string>

#include "callback_support.h"
#include "host.h"

using namespace envoyext::host;

namespace {
void write_log(int level, std::string msg) {
  if (Host* h = Host::current()) {
    h->logs().write(level, std::move(msg));
  } else {
    std::fprintf(stderr, "[%s][dynamic_modules] %s\n", log_level_name(level), msg.c_str());
  }
}
}  // namespace

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_log(envoy_dynamic_module_type_log_level level,
                                                       envoy_dynamic_module_type_module_buffer message) {
  write_log(level, std::string(view(message)));
}

ENVOYEXT_EXPORT void envoy_dynamic_module_callback_log_v2(envoy_dynamic_module_type_log_level level,
                                                          envoy_dynamic_module_type_module_buffer message,
                                                          envoy_dynamic_module_type_module_buffer source_file,
                                                          uint32_t source_line) {
  // Envoy prefixes the source location when one is given; the message stays intact for matching.
  std::string msg(view(message));
  if (source_file.length > 0)
    msg = "[" + std::string(view(source_file)) + ":" + std::to_string(source_line) + "] " + msg;
  write_log(level, std::move(msg));
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_log_enabled(envoy_dynamic_module_type_log_level level) {
  Host* h = Host::current();
  int threshold = h ? h->logs().level() : 2;
  return level >= threshold && level < envoy_dynamic_module_type_log_level_Off;
}

ENVOYEXT_EXPORT envoy_dynamic_module_type_log_level envoy_dynamic_module_callback_get_log_level(void) {
  Host* h = Host::current();
  return static_cast<envoy_dynamic_module_type_log_level>(h ? h->logs().level() : 2);
}

ENVOYEXT_EXPORT uint32_t envoy_dynamic_module_callback_get_concurrency(void) {
  Host* h = Host::current();
  return h ? h->worker_count() : 1;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_is_validation_mode(void) { return false; }

// The host has no runtime layer: every key reads as its default, as in an Envoy without overrides.
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_get_runtime_bool(envoy_dynamic_module_type_module_buffer,
                                                                    bool default_value) {
  return default_value;
}
ENVOYEXT_EXPORT uint64_t envoy_dynamic_module_callback_get_runtime_int(envoy_dynamic_module_type_module_buffer,
                                                                       uint64_t default_value) {
  return default_value;
}
ENVOYEXT_EXPORT double envoy_dynamic_module_callback_get_runtime_number(envoy_dynamic_module_type_module_buffer,
                                                                        double default_value) {
  return default_value;
}

ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_register_function(envoy_dynamic_module_type_module_buffer key,
                                                                     void* function_ptr) {
  Host* h = Host::current();
  return h != nullptr && key.length > 0 && h->register_pointer(false, std::string(view(key)), function_ptr);
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_get_function(envoy_dynamic_module_type_module_buffer key,
                                                                void** out) {
  Host* h = Host::current();
  return h != nullptr && out != nullptr && h->lookup_pointer(false, std::string(view(key)), out);
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_register_shared_data(envoy_dynamic_module_type_module_buffer key,
                                                                        void* data_ptr) {
  Host* h = Host::current();
  return h != nullptr && key.length > 0 && h->register_pointer(true, std::string(view(key)), data_ptr);
}
ENVOYEXT_EXPORT bool envoy_dynamic_module_callback_get_shared_data(envoy_dynamic_module_type_module_buffer key,
                                                                   void** out) {
  Host* h = Host::current();
  return h != nullptr && out != nullptr && h->lookup_pointer(true, std::string(view(key)), out);
}
