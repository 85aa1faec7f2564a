#include "dynamic_module.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "envoyext/abi.h"
#include "log_sink.h"

namespace envoyext::host {

namespace {

using ProgramInit = envoy_dynamic_module_type_abi_version_module_ptr (*)();

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string absolute(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) != nullptr) return buf;
  if (!path.empty() && path[0] == '/') return path;
  char cwd[PATH_MAX];
  if (::getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

void log_line(LogSink* log, int level, const std::string& msg) {
  if (log != nullptr) {
    log->write(level, msg);
  } else {
    std::fprintf(stderr, "%s\n", msg.c_str());
  }
}

// dlopen with the probe-first protocol. Returns the handle and whether it was already resident.
void* open_module(const std::string& path, const LoadOptions& options, bool& already_resident) {
  already_resident = false;
  void* handle = ::dlopen(path.c_str(), RTLD_NOLOAD | RTLD_LAZY);
  if (handle != nullptr) {
    already_resident = true;
    return handle;
  }
  int flags = RTLD_NOW | (options.load_globally ? RTLD_GLOBAL : RTLD_LOCAL);
  if (options.do_not_close) flags |= RTLD_NODELETE;
  return ::dlopen(path.c_str(), flags);
}

}  // namespace

DynamicModule::~DynamicModule() {
  // Envoy dlcloses when the last config goes away; RTLD_NODELETE (do_not_close) keeps it mapped.
  if (handle_ != nullptr) ::dlclose(handle_);
}

void* DynamicModule::symbol(const std::string& symbol) const {
  if (handle_ == nullptr) return ::dlsym(RTLD_DEFAULT, (symbol_prefix_ + symbol).c_str());
  return ::dlsym(handle_, symbol.c_str());
}

std::unique_ptr<DynamicModule> ModuleLoader::load(const std::string& name, const LoadOptions& options, LogSink* log,
                                                  std::string& error) {
  auto module = std::make_unique<DynamicModule>();
  module->name_ = name;
  bool resident = false;

  // 1. A module linked into the host binary exports "<name>_envoy_dynamic_module_on_program_init".
  const std::string static_init = name + "_envoy_dynamic_module_on_program_init";
  if (::dlsym(RTLD_DEFAULT, static_init.c_str()) != nullptr) {
    module->symbol_prefix_ = name + "_";
  } else {
    // 2. The search path (current directory when unset), made absolute: if the file is there, its
    //    load result is final. 3. Otherwise the dynamic linker's own search.
    const char* dir = std::getenv("ENVOY_DYNAMIC_MODULES_SEARCH_PATH");
    std::string candidate = absolute(std::string(dir != nullptr && *dir ? dir : ".") + "/lib" + name + ".so");
    std::string target = file_exists(candidate) ? candidate : "lib" + name + ".so";
    void* handle = open_module(target, options, resident);
    if (handle == nullptr) {
      const char* why = ::dlerror();
      error = "Unable to load dynamic module '" + name + "' from " + target + ": " + (why ? why : "unknown error");
      log_line(log, 4, error);
      return nullptr;
    }
    module->handle_ = handle;
    module->path_ = target;
  }

  auto init = reinterpret_cast<ProgramInit>(module->symbol("envoy_dynamic_module_on_program_init"));
  if (init == nullptr) {
    error = "dynamic module '" + name + "' does not export envoy_dynamic_module_on_program_init";
    log_line(log, 4, error);
    return nullptr;
  }
  if (resident) {
    // Envoy reuses a resident module without running program init again. The version string is not
    // available then; we report it as matched because it was checked on the first load.
    module->abi_version_ = ENVOY_DYNAMIC_MODULES_ABI_VERSION;
    module->version_matched_ = true;
    return module;
  }
  const char* version = init();
  module->program_init_called_ = true;
  if (version == nullptr) {
    error = "dynamic module '" + name + "': envoy_dynamic_module_on_program_init returned NULL (initialization failed)";
    log_line(log, 4, error);
    return nullptr;  // destructor dlcloses (unless NODELETE), as Envoy does
  }
  module->abi_version_ = version;  // copied at once (1.40 semantics)
  module->version_matched_ = module->abi_version_ == ENVOY_DYNAMIC_MODULES_ABI_VERSION;
  if (module->version_matched_) {
    log_line(log, 2, "dynamic module '" + name + "' ABI version " + module->abi_version_ + " matched");
  } else {
    log_line(log, 3,
             "dynamic module '" + name + "' ABI version mismatch: module " + module->abi_version_ + ", host " +
                 ENVOY_DYNAMIC_MODULES_ABI_VERSION + "; the module should be recompiled");
  }
  return module;
}

}  // namespace envoyext::host
