// kosmo-admin limits reset: support staff clear the abuse counters (D7) of a
// member who is locked out or of an office address that hit its limit.
// Subjects are stored only as keyed hashes, so the command hashes what it is
// given the way the screens do (normalised card fields, trimmed login ID).
#include <sysexits.h>

#include <iostream>

#include "admin_commands.h"
#include "rate_limits.h"
#include "normalize.h"

namespace kosmo {
namespace {

constexpr const char* kLimitsUsage =
    "usage: kosmo-admin limits reset --card SYMBOL NUMBER | --login-id ID | --ip ADDRESS\n";

struct Target {
  LimitScope scope;
  std::string subject;
};

int reset(Connection& db, const Config& config, const std::vector<Target>& targets, std::string_view what) {
  int removed = 0;
  Transaction tx(db);
  for (const Target& target : targets) removed += reset_limit(tx, config, target.scope, target.subject);
  tx.commit();
  std::cout << "limits reset for " << what << ": " << removed << " counter rows removed\n";
  return 0;
}

}  // namespace

int admin_limits(const Config& config, Connection& db, const std::vector<std::string>& args) {
  if (args.size() < 3 || args[0] != "reset") {
    std::cerr << kLimitsUsage;
    return EX_USAGE;
  }
  const std::string& option = args[1];
  if (option == "--card" && args.size() == 4) {
    const auto symbol = normalize_card_field(args[2]);
    const auto number = normalize_card_field(args[3]);
    if (!symbol || !number || symbol->empty() || number->empty()) {
      std::cerr << "kosmo-admin limits reset: the card symbol and number must be non-empty UTF-8\n";
      return EX_DATAERR;
    }
    return reset(db, config, {{LimitScope::IdentityCard, card_subject(*symbol, *number)}}, "the card");
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
