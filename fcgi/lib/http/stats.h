// stats: each screen program's request counters and latency histogram, kept
// in a small shared-memory file (<stats_dir>/<screen>.<pid>.stats) so that the
// metrics page (kosmo-metrics) can read every program's figures without a
// request to each of them, and without a database write per request.
// kosmo-mailer keeps the same file for its refused audit rows (D18).
// Lock-free: every field is a 64-bit atomic in the mapped page.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace kosmo {

// What a process's file counts. A screen program answers requests; the
// mailer answers none, so /metrics must not show request series of zeros
// for it as if it were a screen nobody used: it shows only its refused
// audit rows (D18). Stored in the file, so kosmo-metrics needs no list of
// program names.
enum class StatsKind : std::uint64_t { Screen = 1, Daemon = 2 };

std::string_view to_string(StatsKind kind);
std::ostream& operator<<(std::ostream& out, StatsKind kind);

// Upper bounds of the latency buckets in seconds (Prometheus "le"); the
// last bucket is +Inf.
inline constexpr double kLatencyBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
inline constexpr std::size_t kBucketCount = std::size(kLatencyBuckets) + 1;

struct StatsBlock {
  std::atomic<std::uint64_t> magic;
  std::atomic<std::uint64_t> by_status_class[6];  // [1]=1xx .. [5]=5xx; [0] unused
  std::atomic<std::uint64_t> latency_buckets[kBucketCount];  // not cumulative
  std::atomic<std::uint64_t> latency_micros_sum;
  std::atomic<std::uint64_t> audit_write_failures;  // audit rows the database refused (D18)
  std::atomic<std::uint64_t> kind;  // StatsKind
};

class ScreenStats {
 public:
  // Maps <dir>/<screen>.<pid>.stats, created by this process at start and
  // removed at its exit; one file per process, so a second instance of a
  // screen (a restart overlapping the old one) never takes over another's
  // file. An empty dir disables the counters. Throws std::runtime_error.
  // `screen` names the program in /metrics' screen label ("mailer").
  ScreenStats(const std::string& dir, std::string_view screen, StatsKind kind);
  ~ScreenStats();
  ScreenStats(const ScreenStats&) = delete;
  ScreenStats& operator=(const ScreenStats&) = delete;

  void record(int status, std::uint64_t micros);
  void record_audit_write_failure();

 private:
  StatsBlock* block_ = nullptr;
  std::string path_;
};

struct ScreenFigures {
  std::string screen;
  StatsKind kind = StatsKind::Screen;
  std::uint64_t by_status_class[6] = {};
  std::uint64_t latency_buckets[kBucketCount] = {};
  std::uint64_t latency_micros_sum = 0;
  std::uint64_t audit_write_failures = 0;
};

// Counts an audit row the database refused (D18) in this process's
// counters: the ScreenStats a screen program made at start, from any of its
// threads, or the one kosmo-mailer made; a no-op in programs without
// counters (kosmo-admin: a one-shot command, it tells its operator on stderr).
void record_audit_write_failure();

// Reads every live process's file in `dir` and adds them up per screen (a
// snapshot; counters keep moving). Files of processes that are gone (a
// crash, SIGKILL) are skipped and removed: their counts leave the sums, which
// Prometheus treats as a counter reset.
std::vector<ScreenFigures> read_all_stats(const std::string& dir);

}  // namespace kosmo
