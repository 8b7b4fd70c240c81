// libFuzzer target: the configuration parser (fcgi/lib/core/config.cpp). The input
// is written as kosmo.conf next to a valid 0600 secrets file; any outcome but
// a Config or a ConfigError (another exception, a crash, a leak) is a bug.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "config.h"

namespace {
std::string dir() {
  static const std::string path = [] {
    // tmpfs when there is one: the file is rewritten for every input.
    std::string pattern = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm/kosmo-fuzz-config-XXXXXX"
                                                           : "/tmp/kosmo-fuzz-config-XXXXXX";
    const std::string made = ::mkdtemp(pattern.data());
    std::ofstream(made + "/secrets.conf") << "db.password = x\ncsrf_key = " << std::string(64, 'a') << "\n";
    ::chmod((made + "/secrets.conf").c_str(), 0600);
    return made;
  }();
  return path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string conf = dir() + "/kosmo.conf";
  {
    std::ofstream out(conf, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    // Lines that make the rest reachable when the input does not set them.
    out << "\n# fuzz\n";
  }
  try {
    const kosmo::Config config = kosmo::load_config(conf);
    if (config.public_base_url.empty() || config.db_hosts.empty()) std::abort();
    if (config.limits.login_lockout_max_seconds < config.limits.login_lockout_seconds) std::abort();
  } catch (const kosmo::ConfigError&) {
  }
  return 0;
}
