// stats: each screen program's request counters and latency histogram, kept
// in a small shared-memory file (<stats_dir>/<screen>.<pid>.stats) so that the
// metrics page (kosmo-metrics) can read every program's figures without a
// request to each of them, and without a database write per request.
// Lock-free: every field is a 64-bit atomic in the mapped page.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kosmo {

// Upper bounds of the latency buckets in seconds (Prometheus "le"); the
// last bucket is +Inf.
inline constexpr double kLatencyBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};
inline constexpr std::size_t kBucketCount = std::size(kLatencyBuckets) + 1;

struct StatsBlock {
  std::atomic<std::uint64_t> magic;
  std::atomic<std::uint64_t> by_status_class[6];  // [1]=1xx .. [5]=5xx; [0] unused
  std::atomic<std::uint64_t> latency_buckets[kBucketCount];  // not cumulative
  std::atomic<std::uint64_t> latency_micros_sum;
};

class ScreenStats {
 public:
  // Maps <dir>/<screen>.<pid>.stats, created by this process at start and
  // removed at its exit; one file per process, so a second instance of a
  // screen (a restart overlapping the old one) never takes over another's
  // file. An empty dir disables the counters. Throws std::runtime_error.
  ScreenStats(const std::string& dir, std::string_view screen);
  ~ScreenStats();
  ScreenStats(const ScreenStats&) = delete;
  ScreenStats& operator=(const ScreenStats&) = delete;

  void record(int status, std::uint64_t micros);

 private:
  StatsBlock* block_ = nullptr;
  std::string path_;
};

struct ScreenFigures {
  std::string screen;
  std::uint64_t by_status_class[6] = {};
  std::uint64_t latency_buckets[kBucketCount] = {};
  std::uint64_t latency_micros_sum = 0;
};

// Reads every live process's file in `dir` and adds them up per screen (a
// snapshot; counters keep moving). Files of processes that are gone (a
// crash, SIGKILL) are skipped and removed: their counts leave the sums, which
// Prometheus treats as a counter reset.
std::vector<ScreenFigures> read_all_stats(const std::string& dir);

}  // namespace kosmo
