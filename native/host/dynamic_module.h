// Loading a dynamic module the way Envoy 1.40's source/extensions/dynamic_modules/dynamic_modules.cc
// does: static-link probe, search path, RTLD_NOLOAD reuse, RTLD_NOW, RTLD_NODELETE for do_not_close,
// program init once per real load, warn-only version check.
#pragma once

#include <memory>
#include <string>

namespace envoyext::host {

class LogSink;

class DynamicModule {
 public:
  ~DynamicModule();
  // Resolves `symbol` (an envoy_dynamic_module_on_* name) in this module; nullptr when absent.
  void* symbol(const std::string& symbol) const;
  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }  // empty for a statically linked module
  const std::string& abi_version() const { return abi_version_; }
  bool version_matched() const { return version_matched_; }
  bool program_init_called() const { return program_init_called_; }
  bool statically_linked() const { return handle_ == nullptr; }

 private:
  friend struct ModuleLoader;
  std::string name_;
  std::string path_;
  std::string symbol_prefix_;  // "<name>_" for statically linked modules
  void* handle_ = nullptr;     // dlopen handle; nullptr = statically linked (global scope)
  std::string abi_version_;
  bool version_matched_ = false;
  bool program_init_called_ = false;
};

struct LoadOptions {
  bool do_not_close = true;
  bool load_globally = false;
};

struct ModuleLoader {
  // Loads module `name`. On failure returns nullptr and sets `error` to a message that says why.
  static std::unique_ptr<DynamicModule> load(const std::string& name, const LoadOptions& options, LogSink* log,
                                             std::string& error);
};

}  // namespace envoyext::host
