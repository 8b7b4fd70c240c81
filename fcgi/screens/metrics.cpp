// metrics: GET /metrics in Prometheus text format, for the sysadmin's
// monitoring (issue 6). nginx serves it on loopback only. Requests and errors
// per screen and their latency come from each program's shared counters
// (fcgi/lib/http/stats), and so do the refused audit rows (D18) of the
// screens and of kosmo-mailer (screen="mailer", which has no request series);
// the mail queue, deliveries, failures, lockouts and the identity queue from
// the database, each by an index and bounded: the event
// counters from settled totals plus minutes of rows (audit_totals, issue 16).
// Nothing here names a member.
#include <array>
#include <string>

#include "audit_totals.h"
#include "identity_queue.h"
#include "outbox.h"
#include "screen.h"
#include "stats.h"

namespace kosmo {
namespace {

void add_metric_header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void add_sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(std::to_string(value)).append("\n");
}

std::string format_seconds(double seconds) {
  std::string text = std::to_string(seconds);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// The request series of the programs that answer requests: the mailer
// answers none, and rows of zeros would read as a screen nobody uses.
std::vector<ScreenFigures> request_servers(const std::vector<ScreenFigures>& programs) {
  std::vector<ScreenFigures> servers;
  for (const ScreenFigures& p : programs)
    if (p.kind == StatsKind::Screen) servers.push_back(p);
  return servers;
}

void add_request_figures(std::string& out, const std::vector<ScreenFigures>& screens) {
  add_metric_header(out, "kosmo_requests_total", "counter", "Requests answered by a screen program, by status class.");
  for (const ScreenFigures& s : screens)
    for (int cls = 1; cls <= 5; ++cls)
      add_sample(out, "kosmo_requests_total", "screen=\"" + s.screen + "\",code=\"" + std::to_string(cls) + "xx\"",
                 s.by_status_class[cls]);
  add_metric_header(out, "kosmo_request_errors_total", "counter", "Requests answered with a 5xx error page.");
  for (const ScreenFigures& s : screens)
    add_sample(out, "kosmo_request_errors_total", "screen=\"" + s.screen + "\"", s.by_status_class[5]);
  add_metric_header(out, "kosmo_request_duration_seconds", "histogram",
                    "Time from accepting a request to its last byte, in the program.");
  for (const ScreenFigures& s : screens) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
      cumulative += s.latency_buckets[i];
      const std::string le = i < std::size(kLatencyBuckets) ? format_seconds(kLatencyBuckets[i]) : "+Inf";
      add_sample(out, "kosmo_request_duration_seconds_bucket", "screen=\"" + s.screen + "\",le=\"" + le + "\"",
                 cumulative);
    }
    out.append("kosmo_request_duration_seconds_sum{screen=\"" + s.screen + "\"} " +
               format_seconds(static_cast<double>(s.latency_micros_sum) / 1e6) + "\n");
    add_sample(out, "kosmo_request_duration_seconds_count", "screen=\"" + s.screen + "\"", cumulative);
  }
}

// Every program that keeps counters, the mailer included (D18).
void add_audit_write_failures(std::string& out, const std::vector<ScreenFigures>& programs) {
  add_metric_header(out, "kosmo_audit_write_failures_total", "counter",
                    "Audit rows the database refused, by program (a screen, or mailer for kosmo-mailer); "
                    "each also wrote an audit_write_failed log line (D18).");
  for (const ScreenFigures& p : programs)
    add_sample(out, "kosmo_audit_write_failures_total", "screen=\"" + p.screen + "\"", p.audit_write_failures);
}

void add_database_figures(std::string& out, Transaction& tx) {
  const OutboxDepth outbox = outbox_depth(tx);
  add_metric_header(out, "kosmo_outbox_waiting", "gauge", "Mails queued or being sent.");
  add_sample(out, "kosmo_outbox_waiting", "", outbox.waiting);
  add_metric_header(out, "kosmo_outbox_oldest_waiting_seconds", "gauge", "Age of the oldest waiting mail (0: none).");
  add_sample(out, "kosmo_outbox_oldest_waiting_seconds", "", outbox.oldest_age_seconds);
  add_metric_header(out, "kosmo_mails_delivered_total", "counter", "Mails the SMTP relay accepted (audit events).");
  add_sample(out, "kosmo_mails_delivered_total", "", total_audit_events(tx, AuditEvent::MailSent));
  add_metric_header(out, "kosmo_mails_failed_total", "counter", "Mails given up on (audit events).");
  add_sample(out, "kosmo_mails_failed_total", "", total_audit_events(tx, AuditEvent::MailFailed));
  add_metric_header(out, "kosmo_login_lockouts_total", "counter", "Login lockouts started (D7).");
  add_sample(out, "kosmo_login_lockouts_total", "", total_audit_events(tx, LoginLockedOutcome::LockoutStarted));
  add_metric_header(out, "kosmo_email_changes_total", "counter",
                    "Address changes (D16): confirmation mails queued, and links that set the address.");
  add_sample(out, "kosmo_email_changes_total", "stage=\"requested\"",
             total_audit_events(tx, AuditEvent::EmailChangeRequested));
  add_sample(out, "kosmo_email_changes_total", "stage=\"confirmed\"",
             total_audit_events(tx, AuditEvent::EmailChangeConfirm, "confirmed"));
  add_metric_header(out, "kosmo_identity_checks_waiting", "gauge", "Identity checks queued behind their answers (D1).");
  add_sample(out, "kosmo_identity_checks_waiting", "", queued_identity_count(tx));
  add_metric_header(out, "kosmo_identity_checks_set_aside", "gauge",
                    "Queued identities whose check failed and that wait for an operator (identity_check fault).");
  add_sample(out, "kosmo_identity_checks_set_aside", "", set_aside_identity_count(tx));
}

Response show(Context& ctx) {
  std::string out;
  const std::vector<ScreenFigures> programs = read_all_stats(ctx.config.stats_dir);
  add_request_figures(out, request_servers(programs));
  add_audit_write_failures(out, programs);
  Transaction tx(ctx.db);
  add_database_figures(out, tx);
  tx.commit();
  Response response;
  response.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  response.body = std::move(out);
  return response;
}

}  // namespace
}  // namespace kosmo

int main(int argc, char** argv) {
  return kosmo::run_screen({.name = "metrics", .routes = {{"GET", "/metrics", kosmo::show}}, .templates = {}},
                           argc, argv);
}
