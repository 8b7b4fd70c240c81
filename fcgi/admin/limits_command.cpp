// kosmo-admin limits: support staff clear the abuse counters (D7) of a
// member who is locked out or of an office address that hit its limit
// (reset); `show` and `key` print the limits in force and the stored key of
// a subject, so operators and the tests read them from the programs' own
// code instead of copying the defaults and the keyed hash.
// Subjects are stored only as keyed hashes, so the command hashes what it is
// given the way the screens do (normalised card fields, trimmed login ID).
#include <sysexits.h>

#include <array>
#include <iostream>
#include <optional>

#include "admin_commands.h"
#include "audit.h"
#include "crypto.h"
#include "rate_limits.h"
#include "normalize.h"

namespace kosmo {

const char* const kLimitsHelp = R"(NAME
    kosmo-admin limits - the abuse limits (D7): clear, show, name a counter

SYNOPSIS
    kosmo-admin [--config FILE] limits reset --card SYMBOL NUMBER | --login-id ID | --ip ADDRESS
    kosmo-admin [--config FILE] limits show
    kosmo-admin [--config FILE] limits key --scope SCOPE --subject SUBJECT
    kosmo-admin [--config FILE] limits key --card SYMBOL NUMBER

DESCRIPTION
    reset removes every counter and lockout of a card (identity attempts),
    a login ID (failed logins) or a client address (both), and writes an
    admin_action audit row.

    show prints the limits in force, one "key = value" line per limits.*
    key of the configuration, with the default where the file sets none.

    key prints the subject_hash under which the programs count SUBJECT in
    SCOPE (rate_limits, rate_limit_events), as lower-case hex: a keyed hash
    derived from the secrets file, so a row can be found for a known subject
    but the subject cannot be read back from a row. The secret itself is
    never printed. SCOPE is identity_ip or login_ip (SUBJECT an address; an
    IPv6 address counts as its /64), login_id (the login ID as stored, NFKC
    and trimmed) or identity_card (the normalised symbol and number joined
    by a line feed; --card SYMBOL NUMBER normalises them as the screen does)
    or email_change (the member_id in decimal: address confirmation mails,
    D16).
    show and key need no database.

EXIT STATUS
    0 done; 64 usage; 65 a subject that is not UTF-8; 69 database
    unavailable (reset); 78 configuration error.

EXAMPLE
    kosmo-admin limits key --scope login_ip --subject 192.0.2.1
    (then the rows of rate_limit_events whose subject_hash is UNHEX of it)
)";

namespace {

constexpr const char* kLimitsUsage =
    "usage: kosmo-admin limits reset --card SYMBOL NUMBER | --login-id ID | --ip ADDRESS\n"
    "       kosmo-admin limits show\n"
    "       kosmo-admin limits key --scope SCOPE --subject SUBJECT | --card SYMBOL NUMBER\n";

constexpr std::array kScopes{LimitScope::IdentityIp, LimitScope::IdentityCard, LimitScope::LoginIp,
                             LimitScope::LoginId, LimitScope::EmailChange};

std::optional<LimitScope> scope_named(std::string_view name) {
  for (const LimitScope scope : kScopes) {
    if (to_string(scope) == name) return scope;
  }
  return std::nullopt;
}

// The normalised card subject, as kosmo-forgot-id counts it; nullopt when a
// field is empty or not UTF-8.
std::optional<std::string> normalized_card(std::string_view symbol_text, std::string_view number_text) {
  const auto symbol = normalize_card_field(symbol_text);
  const auto number = normalize_card_field(number_text);
  if (!symbol || !number || symbol->empty() || number->empty()) return std::nullopt;
  return card_subject(*symbol, *number);
}

// The config keys of AbuseLimits (fcgi/lib/core/config.cpp), in the order of the README.
int show(const Config& config) {
  const AbuseLimits& l = config.limits;
  std::cout << "limits.identity_ip.max = " << l.identity_per_ip.max << "\n"
            << "limits.identity_ip.window = " << l.identity_per_ip.window_seconds << "\n"
            << "limits.identity_card.max = " << l.identity_per_card.max << "\n"
            << "limits.identity_card.window = " << l.identity_per_card.window_seconds << "\n"
            << "limits.login_ip.max_failures = " << l.login_failures_per_ip.max << "\n"
            << "limits.login_ip.window = " << l.login_failures_per_ip.window_seconds << "\n"
            << "limits.login_id.max_failures = " << l.login_failures_per_id.max << "\n"
            << "limits.login_id.window = " << l.login_failures_per_id.window_seconds << "\n"
            << "limits.login_id.lockout = " << l.login_lockout_seconds << "\n"
            << "limits.login_id.lockout_max = " << l.login_lockout_max_seconds << "\n"
            << "limits.email_change.max = " << l.email_changes_per_member.max << "\n"
            << "limits.email_change.window = " << l.email_changes_per_member.window_seconds << "\n";
  return 0;
}

int key(const Config& config, const std::vector<std::string>& args) {
  if (args.size() == 3 && args[0] == "--card") {
    const auto subject = normalized_card(args[1], args[2]);
    if (!subject) {
      std::cerr << "kosmo-admin limits key: the card symbol and number must be non-empty UTF-8\n";
      return EX_DATAERR;
    }
    std::cout << hex_encode(limit_subject_hash(config, LimitScope::IdentityCard, *subject)) << "\n";
    return 0;
  }
  if (args.size() != 4 || args[0] != "--scope" || args[2] != "--subject") {
    std::cerr << kLimitsUsage;
    return EX_USAGE;
  }
  const std::optional<LimitScope> scope = scope_named(args[1]);
  if (!scope) {
    std::cerr << "kosmo-admin limits key: SCOPE is identity_ip, identity_card, login_ip, login_id or email_change\n";
    return EX_USAGE;
  }
  // Hashed as given: the subject as the programs store it (see --help).
  std::cout << hex_encode(limit_subject_hash(config, *scope, args[3])) << "\n";
  return 0;
}

struct Target {
  LimitScope scope;
  std::string subject;
};

int reset(Connection& db, const Config& config, const std::vector<Target>& targets, std::string_view what) {
  int removed = 0;
  Transaction tx(db);
  std::string scopes;
  for (const Target& target : targets) {
    removed += reset_limit(tx, config, target.scope, target.subject);
    scopes += (scopes.empty() ? "" : ",") + std::string(to_string(target.scope));
  }
  // D7: every limit is audited, its reset too. The detail names the scopes
  // and the rows removed, never the subject: a card number, a login ID or an
  // address has no place in the audit trail's free text (D8).
  try_audit_system(tx, AdminActionOutcome::LimitsReset, std::nullopt,
                   "scopes=" + scopes + " removed=" + std::to_string(removed));
  tx.commit();
  std::cout << "limits reset for " << what << ": " << removed << " counter rows removed\n";
  return 0;
}

}  // namespace

std::optional<int> admin_limits_without_database(const Config& config, const std::vector<std::string>& args) {
  if (args.empty()) return std::nullopt;
  if (args[0] == "show" && args.size() == 1) return show(config);
  if (args[0] == "key") return key(config, {args.begin() + 1, args.end()});
  return std::nullopt;
}

int admin_limits(const Config& config, Connection& db, const std::vector<std::string>& args) {
  if (args.size() < 3 || args[0] != "reset") {
    std::cerr << kLimitsUsage;
    return EX_USAGE;
  }
  const std::string& option = args[1];
  if (option == "--card" && args.size() == 4) {
    const auto subject = normalized_card(args[2], args[3]);
    if (!subject) {
      std::cerr << "kosmo-admin limits reset: the card symbol and number must be non-empty UTF-8\n";
      return EX_DATAERR;
    }
    return reset(db, config, {{LimitScope::IdentityCard, *subject}}, "the card");
  }
  if (option == "--login-id" && args.size() == 3) {
    // The login screen's own normalisation: anything else would hash to
    // another subject and clear nothing (D7).
    const std::string login_id = normalize_login_id(args[2]);
    if (login_id.empty()) {
      std::cerr << "kosmo-admin limits reset: the login ID must be non-empty UTF-8\n";
      return EX_DATAERR;
    }
    return reset(db, config, {{LimitScope::LoginId, login_id}}, "login ID " + login_id);
  }
  if (option == "--ip" && args.size() == 3) {
    // Both address scopes: identity attempts and login failures.
    return reset(db, config, {{LimitScope::IdentityIp, args[2]}, {LimitScope::LoginIp, args[2]}}, "address " + args[2]);
  }
  std::cerr << kLimitsUsage;
  return EX_USAGE;
}

}  // namespace kosmo
