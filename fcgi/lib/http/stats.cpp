#include "stats.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <map>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace kosmo {
namespace {

// "kosmo1", layout version 3 (2: audit_write_failures, 3: kind). A file of
// another layout, left by a program of an older build still running during
// an upgrade, is skipped rather than misread.
constexpr std::uint64_t kMagic = 0x6b6f736d6f310003;

static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "shared counters need lock-free atomics");

std::size_t bucket_of(std::uint64_t micros) {
  for (std::size_t i = 0; i < std::size(kLatencyBuckets); ++i)
    if (static_cast<double>(micros) <= kLatencyBuckets[i] * 1e6) return i;
  return kBucketCount - 1;
}

// kill(pid, 0): 0 or EPERM (another user namespace under systemd) means the
// process still runs.
bool process_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

// The process's counters, for record_audit_write_failure(): set once at
// start, before the workers, and cleared when they are gone.
std::atomic<ScreenStats*> process_stats{nullptr};

StatsKind kind_of(std::uint64_t stored) {
  return stored == static_cast<std::uint64_t>(StatsKind::Daemon) ? StatsKind::Daemon : StatsKind::Screen;
}

}  // namespace

std::string_view to_string(StatsKind kind) {
  switch (kind) {
    case StatsKind::Screen: return "screen";
    case StatsKind::Daemon: return "daemon";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, StatsKind kind) { return out << to_string(kind); }

ScreenStats::ScreenStats(const std::string& dir, std::string_view screen, StatsKind kind) {
  if (dir.empty()) return;
  const std::string path = dir + "/" + std::string(screen) + "." + std::to_string(::getpid()) + ".stats";
  // Counters live as long as the process, as Prometheus counters do (a
  // restart is a reset it understands).
  const std::string tmp = path + ".new";
  const int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) throw std::runtime_error("stats file " + tmp + ": " + std::strerror(errno));
  // A constructor that throws runs no destructor: whatever fails below
  // takes the mapping and the half-made file with it, so a program that
  // cannot start leaves nothing in the directory kosmo-metrics reads.
  const auto fail = [&](const std::string& name, void* mapped, int error) {
    if (mapped != MAP_FAILED) ::munmap(mapped, sizeof(StatsBlock));
    ::unlink(tmp.c_str());
    return std::runtime_error("stats file " + name + ": " + std::strerror(error));
  };
  void* mapped = MAP_FAILED;
  if (::ftruncate(fd, sizeof(StatsBlock)) == 0)
    mapped = ::mmap(nullptr, sizeof(StatsBlock), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int map_error = errno;
  ::close(fd);
  if (mapped == MAP_FAILED) throw fail(tmp, mapped, map_error);
  auto* block = static_cast<StatsBlock*>(mapped);  // zero-filled by ftruncate
  block->kind.store(static_cast<std::uint64_t>(kind));
  block->magic.store(kMagic);
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw fail(path, mapped, errno);
  block_ = block;
  path_ = path;
  process_stats.store(this);
}

ScreenStats::~ScreenStats() {
  ScreenStats* self = this;
  process_stats.compare_exchange_strong(self, nullptr);
  if (!block_) return;
  ::munmap(block_, sizeof(StatsBlock));
  ::unlink(path_.c_str());
}

void ScreenStats::record(int status, std::uint64_t micros) {
  if (!block_) return;
  const int status_class = status / 100;
  if (status_class >= 1 && status_class <= 5) block_->by_status_class[status_class].fetch_add(1, std::memory_order_relaxed);
  block_->latency_buckets[bucket_of(micros)].fetch_add(1, std::memory_order_relaxed);
  block_->latency_micros_sum.fetch_add(micros, std::memory_order_relaxed);
}

void ScreenStats::record_audit_write_failure() {
  if (block_) block_->audit_write_failures.fetch_add(1, std::memory_order_relaxed);
}

void record_audit_write_failure() {
  if (ScreenStats* stats = process_stats.load()) stats->record_audit_write_failure();
}

std::vector<ScreenFigures> read_all_stats(const std::string& dir) {
  std::map<std::string, ScreenFigures> by_screen;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
    // <screen>.<pid>.stats
    if (entry.path().extension() != ".stats") continue;
    const std::filesystem::path stem = entry.path().stem();
    const std::string screen = stem.stem().string();
    const std::string pid_text = stem.extension().string();
    const long pid = pid_text.size() > 1 ? std::strtol(pid_text.c_str() + 1, nullptr, 10) : 0;
    if (!process_alive(pid)) {
      std::filesystem::remove(entry.path(), ignored);
      continue;
    }
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    void* mapped = MAP_FAILED;
    if (std::filesystem::file_size(entry.path(), ignored) == sizeof(StatsBlock))
      mapped = ::mmap(nullptr, sizeof(StatsBlock), PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (mapped == MAP_FAILED) continue;
    const auto* block = static_cast<const StatsBlock*>(mapped);
    if (block->magic.load() == kMagic) {
      const StatsKind kind = kind_of(block->kind.load());
      ScreenFigures& figures = by_screen[screen];
      // One name, several processes (a restart overlapping the old one):
      // if any of them answers requests, the name's request series show.
      if (figures.screen.empty() || kind == StatsKind::Screen) figures.kind = kind;
      figures.screen = screen;
      for (int i = 1; i <= 5; ++i) figures.by_status_class[i] += block->by_status_class[i].load();
      for (std::size_t i = 0; i < kBucketCount; ++i) figures.latency_buckets[i] += block->latency_buckets[i].load();
      figures.latency_micros_sum += block->latency_micros_sum.load();
      figures.audit_write_failures += block->audit_write_failures.load();
    }
    ::munmap(mapped, sizeof(StatsBlock));
  }
  std::vector<ScreenFigures> all;
  for (auto& [screen, figures] : by_screen) all.push_back(std::move(figures));
  return all;
}

}  // namespace kosmo
