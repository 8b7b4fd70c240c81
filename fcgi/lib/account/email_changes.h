// email_changes: the registered address and its changes (D16, R1 イ/ウ). A
// change waits in email_changes until its link is pressed; until then
// members.email, the registered address, stays in force for everything. The
// link follows D2-D4 and R7-R9 like the ID mail's: 32 random bytes in the
// mail, only their SHA-256 stored, the newest request wins, and one
// conditional UPDATE consumes it and sets the address, so two presses (two
// tabs, a scanner, two web nodes, two Galera nodes) never both succeed.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "audit.h"
#include "db.h"

namespace kosmo {

// "t***@example.jp": what a page or a mail shows of an address that is not
// (yet) the reader's registered one (D16).
std::string mask_address(std::string_view address);

struct RequestedChange {
  std::string url_value;  // 43 characters: into the mail and nowhere else (D12)
  std::string expires_jst;  // "2026-12-03 13:05", for the mail
};

// Supersedes the member's open changes (newest wins) and stores a new one
// for `new_email`, valid ttl_seconds from the database clock. `old_email`
// is the registered address now (none for a first registration); the
// caller holds the member's row (lock_member).
RequestedChange request_email_change(Transaction& tx, std::uint64_t member_id, const std::string& new_email,
                                     const std::optional<std::string>& old_email, int ttl_seconds);

// The member's open change, for マイページ and kosmo-admin member show.
struct PendingChange {
  std::string new_email;
  std::string expires_jst;      // 「2026年12月2日 9時11分」, for members (issue 15 item 7)
  std::string expires_iso_jst;  // 2026-12-02 09:11, for kosmo-admin
};
std::optional<PendingChange> find_pending_change(Transaction& tx, std::uint64_t member_id);

// What a confirmation link stands for, in the order the invalid screen names
// causes (D3, R9).
enum class EmailConfirmation {
  Confirmed,       // usable (a lookup) or just consumed (a confirmation)
  AlreadyUsed,     // R7
  Superseded,      // R8: a newer request, or another change took effect
  Expired,         // R6: email_confirm.ttl
  AddressChanged,  // the registered address is no longer the one of the request
  Unknown,         // never issued, mistyped, cut off, or a disabled member: generic (D3)
};
std::string_view to_string(EmailConfirmation confirmation);
std::ostream& operator<<(std::ostream& out, EmailConfirmation confirmation);
AuditEvent audit_event_of(EmailConfirmation confirmation);  // email_change_confirm

struct ChangeState {
  EmailConfirmation confirmation = EmailConfirmation::Unknown;
  std::uint64_t member_id = 0;  // 0 for Unknown
  std::string new_email;
  std::optional<std::string> old_email;
};

// Reads without writing: GET and HEAD of the link never consume it (D2).
ChangeState look_up_email_change(Transaction& tx, std::string_view url_value);

// R7, D4, D16: one conditional multi-table UPDATE consumes the link and sets
// members.email (source 'member', confirmed now) only while the link is
// open and the registered address is still the one of the request; exactly
// one caller ever gets Confirmed. Then ends the member's other open changes.
ChangeState confirm_email_change(Transaction& tx, std::string_view url_value);

}  // namespace kosmo
