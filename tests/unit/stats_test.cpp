// stats: the shared counters files kosmo-metrics adds up per program. A
// refused audit row is counted by the program that made it (D18), the mailer
// too, whose file says that it answers no requests.
#define BOOST_TEST_MODULE stats
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "stats.h"

using namespace kosmo;

namespace {

// An empty directory of its own for one test, removed after it.
struct StatsDir {
  std::string path;
  StatsDir() {
    path = (std::filesystem::temp_directory_path() / ("kosmo-stats-test." + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(path);
    std::filesystem::create_directory(path);
  }
  ~StatsDir() { std::filesystem::remove_all(path); }
};

const ScreenFigures* figures_of(const std::vector<ScreenFigures>& all, const std::string& screen) {
  for (const ScreenFigures& f : all)
    if (f.screen == screen) return &f;
  return nullptr;
}

}  // namespace

// D18: the mailer's refused rows are counted under its name, and its file
// says it answers no requests, so /metrics shows no request series for it.
BOOST_AUTO_TEST_CASE(d18_the_mailer_counts_its_refused_audit_rows_as_a_daemon) {
  const StatsDir dir;
  {
    ScreenStats mailer(dir.path, "mailer", StatsKind::Daemon);
    record_audit_write_failure();
    record_audit_write_failure();
    const std::vector<ScreenFigures> all = read_all_stats(dir.path);
    BOOST_TEST_REQUIRE(all.size() == 1u);
    const ScreenFigures* figures = figures_of(all, "mailer");
    BOOST_TEST_REQUIRE(figures != nullptr);
    BOOST_TEST(figures->kind == StatsKind::Daemon);
    BOOST_TEST(figures->audit_write_failures == 2u);
  }
  // Its file goes with it.
  BOOST_TEST(read_all_stats(dir.path).empty());
}

BOOST_AUTO_TEST_CASE(a_screen_program_counts_requests_and_refused_rows) {
  const StatsDir dir;
  ScreenStats login(dir.path, "login", StatsKind::Screen);
  login.record(200, 1000);
  login.record(503, 3'000'000);
  record_audit_write_failure();
  const std::vector<ScreenFigures> all = read_all_stats(dir.path);
  const ScreenFigures* figures = figures_of(all, "login");
  BOOST_TEST_REQUIRE(figures != nullptr);
  BOOST_TEST(figures->kind == StatsKind::Screen);
  BOOST_TEST(figures->by_status_class[2] == 1u);
  BOOST_TEST(figures->by_status_class[5] == 1u);
  BOOST_TEST(figures->latency_micros_sum == 3'001'000u);
  BOOST_TEST(figures->audit_write_failures == 1u);
}

BOOST_AUTO_TEST_CASE(an_empty_stats_dir_keeps_no_file_and_counts_nothing) {
  ScreenStats mailer("", "mailer", StatsKind::Daemon);
  record_audit_write_failure();  // a no-op, no crash
  BOOST_TEST(read_all_stats("").empty());
}

// A program whose counters file cannot be put in place refuses to start
// (exit 73) and leaves no half-made file behind for kosmo-metrics to find:
// here the name is taken by a directory, so the rename fails.
BOOST_AUTO_TEST_CASE(a_counters_file_that_cannot_be_put_in_place_leaves_nothing_behind) {
  const StatsDir dir;
  const std::string taken = dir.path + "/login." + std::to_string(::getpid()) + ".stats";
  std::filesystem::create_directory(taken);
  std::filesystem::create_directory(taken + "/busy");
  BOOST_CHECK_THROW(ScreenStats(dir.path, "login", StatsKind::Screen), std::runtime_error);
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path)) {
    BOOST_TEST(entry.path().string() == taken);
    ++entries;
  }
  BOOST_TEST(entries == 1u);
  record_audit_write_failure();  // no counters registered: a no-op, no crash
}
