// smtp_sender: libcurl SMTP submission of one composed message (see
// smtp_sender.h). Every curl_easy_setopt result is checked: an option the
// library refuses is a fault of this build, not of the mail.
#include "smtp_sender.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace kosmo {
namespace {

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistFree>;

// What CURLOPT_READFUNCTION reads from: the composed message, in pieces.
struct Upload {
  const std::string& message;
  std::size_t offset = 0;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* userdata) {
  auto* upload = static_cast<Upload*>(userdata);
  const std::size_t room = size * count;
  const std::size_t left = upload->message.size() - upload->offset;
  const std::size_t n = std::min(room, left);
  std::memcpy(buffer, upload->message.data() + upload->offset, n);
  upload->offset += n;
  return n;  // 0 ends the DATA; libcurl adds the final "." line and dot-stuffs
}

template <typename Value>
void set_option(CURL* handle, CURLoption option, Value value) {
  const CURLcode result = curl_easy_setopt(handle, option, value);
  if (result != CURLE_OK)
    throw std::runtime_error("curl_easy_setopt(" + std::to_string(static_cast<int>(option)) +
                             ") failed: " + curl_easy_strerror(result));
}

long use_ssl_level(const std::string& starttls) {
  if (starttls == "required") return CURLUSESSL_ALL;
  if (starttls == "try") return CURLUSESSL_TRY;
  return CURLUSESSL_NONE;  // "off"; config.cpp accepts no other value
}

// RFC 4954 section 6: 530, 534, 535 and 538 are about our login, not this
// mail. Failing the mail for good would fail every queued mail the same way
// while the password is wrong, so they are retried like a 4xx.
bool is_login_reply(long code) { return code == 530 || code == 534 || code == 535 || code == 538; }

SmtpOutcome classify(CURLcode curl_code, long smtp_code) {
  if (curl_code == CURLE_OK) return SmtpOutcome::Accepted;
  switch (curl_code) {
    case CURLE_LOGIN_DENIED:    // our user or password
    case CURLE_AUTH_ERROR:      // no common authentication mechanism
    case CURLE_USE_SSL_FAILED:  // STARTTLS required but not offered
      return SmtpOutcome::TemporaryFailure;
    default:
      break;
  }
  if (smtp_code >= 500 && smtp_code <= 599 && !is_login_reply(smtp_code)) return SmtpOutcome::PermanentFailure;
  return SmtpOutcome::TemporaryFailure;  // no connection, timeout, TLS trouble, 4xx
}

}  // namespace

std::string_view to_string(SmtpOutcome outcome) {
  switch (outcome) {
    case SmtpOutcome::Accepted: return "accepted";
    case SmtpOutcome::TemporaryFailure: return "temporary_failure";
    case SmtpOutcome::PermanentFailure: return "permanent_failure";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, SmtpOutcome outcome) { return out << to_string(outcome); }

std::string SmtpResult::reason() const {
  // curl_easy_strerror() is a fixed text per code; the error buffer and the
  // server's reply are not used because they can quote the address.
  return "smtp " + std::to_string(smtp_code) + " curl " + std::to_string(static_cast<int>(curl_code)) + " (" +
         curl_easy_strerror(curl_code) + ")";
}

SmtpSender::SmtpSender(const Config& config) : config_(config), curl_(curl_easy_init()) {
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

SmtpResult SmtpSender::send(const std::string& from_address, const std::string& to_address,
                            const std::string& message) {
  CURL* handle = curl_.get();
  Slist recipients(curl_slist_append(nullptr, ("<" + to_address + ">").c_str()));
  if (!recipients) throw std::runtime_error("curl_slist_append failed");
  const std::string mail_from = "<" + from_address + ">";
  Upload upload{message};

  set_option(handle, CURLOPT_URL, config_.smtp_url.c_str());
  // Only SMTP: a mistyped URL must not make the mailer read a file or an HTTP page.
  set_option(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  set_option(handle, CURLOPT_MAIL_FROM, mail_from.c_str());
  set_option(handle, CURLOPT_MAIL_RCPT, recipients.get());
  set_option(handle, CURLOPT_READFUNCTION, read_message);
  set_option(handle, CURLOPT_READDATA, static_cast<void*>(&upload));
  set_option(handle, CURLOPT_UPLOAD, 1L);
  set_option(handle, CURLOPT_USE_SSL, use_ssl_level(config_.smtp_starttls));
  if (!config_.smtp_user.empty()) {
    set_option(handle, CURLOPT_USERNAME, config_.smtp_user.c_str());
    set_option(handle, CURLOPT_PASSWORD, config_.smtp_password.c_str());
  }
  set_option(handle, CURLOPT_TIMEOUT, static_cast<long>(config_.smtp_timeout));
  set_option(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(config_.smtp_timeout, 10)));
  // No SIGALRM for DNS timeouts: signals belong to the stop logic (and threads).
  set_option(handle, CURLOPT_NOSIGNAL, 1L);

  SmtpResult result{SmtpOutcome::TemporaryFailure};
  result.curl_code = curl_easy_perform(handle);
  long code = 0;
  if (curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK) result.smtp_code = code;
  result.outcome = classify(result.curl_code, result.smtp_code);

  // The list and the upload die with this call: leave no pointer to them behind.
  set_option(handle, CURLOPT_MAIL_RCPT, static_cast<curl_slist*>(nullptr));
  set_option(handle, CURLOPT_READDATA, static_cast<void*>(nullptr));
  return result;
}

}  // namespace kosmo
