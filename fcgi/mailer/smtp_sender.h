// smtp_sender: hands one composed message to the SMTP server with libcurl and
// says whether the server took it, refused it for good (5xx), or failed in a
// way worth retrying (no connection, timeout, 4xx) (D11). It never sees the
// outbox; its result names codes only, never the server's reply text, which
// can echo the recipient's address.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "config.h"

namespace kosmo {

enum class SmtpOutcome {
  Accepted,          // 250 after DATA: the server has the mail
  TemporaryFailure,  // connection refused, timeout, 4xx, our own login/TLS trouble: retry later
  PermanentFailure,  // a 5xx reply about this mail: retrying cannot help
};
std::string_view to_string(SmtpOutcome outcome);
std::ostream& operator<<(std::ostream& out, SmtpOutcome outcome);

struct SmtpResult {
  SmtpOutcome outcome;
  long smtp_code = 0;       // last reply code (CURLINFO_RESPONSE_CODE), 0 when none came
  CURLcode curl_code = CURLE_OK;
  std::string reason() const;  // "smtp 550 (Failed sending data to the peer)": codes only, no address
};

// Curl handles the SMTP session: a sender kept between mails lets libcurl
// reuse the connection (delivery_loop.cpp keeps one per delivery thread while
// mail keeps coming). One sender belongs to one thread.
class SmtpSender {
 public:
  explicit SmtpSender(const Config& config);
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  // Blocks for at most smtp_timeout seconds. Signals are blocked in the mailer,
  // so a SIGTERM waits for this mail to finish instead of cutting it off.
  SmtpResult send(const std::string& from_address, const std::string& to_address, const std::string& message);

 private:
  struct CurlCleanup {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
  };
  const Config& config_;
  std::unique_ptr<CURL, CurlCleanup> curl_;
};

}  // namespace kosmo
