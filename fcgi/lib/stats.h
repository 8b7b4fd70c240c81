// stats: each screen program's request counters and latency histogram, kept
// in a small shared-memory file (<stats_dir>/<screen>.stats) so that the
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
  // Maps <dir>/<screen>.stats, created (or reset) by this program at start.
  // An empty dir disables the counters. Throws std::runtime_error on failure.
  ScreenStats(const std::string& dir, std::string_view screen);
  ~ScreenStats();
  ScreenStats(const ScreenStats&) = delete;
  ScreenStats& operator=(const ScreenStats&) = delete;

  void record(int status, std::uint64_t micros);

 private:
  StatsBlock* block_ = nullptr;
};

struct ScreenFigures {
  std::string screen;
  std::uint64_t by_status_class[6] = {};
  std::uint64_t latency_buckets[kBucketCount] = {};
  std::uint64_t latency_micros_sum = 0;
};

// Reads every <dir>/*.stats file (a snapshot; counters keep moving).
std::vector<ScreenFigures> read_all_stats(const std::string& dir);

}  // namespace kosmo
