// listen_socket: see listen_socket.h. Every system call's result is checked
// (issue 12): an unchecked setsockopt on a failed socket() or a blocking
// listening socket would show up only later, as a hung stop.
#include "listen_socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sysexits.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>

#include "log.h"

namespace kosmo {
namespace {

int bind_unix_socket(const std::string& path, int mode) {
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path))
    die(EX_CONFIG, "listen_failed", {{"reason", "socket path too long"}, {"path", path}});
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  // A socket left by a killed predecessor would make bind() fail; anything
  // that is not a socket is left alone.
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0 || ::listen(fd, 128) != 0)
    die(EX_UNAVAILABLE, "listen_failed", {{"path", path}, {"errno", std::strerror(errno)}});
  return fd;
}

int bind_tcp_socket(const std::string& spec) {
  const auto colon = spec.rfind(':');
  const std::string host = spec.substr(0, colon);
  int port = 0;
  const std::string port_text = spec.substr(colon + 1);
  std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (port <= 0 || port > 65535 || ::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1)
    die(EX_USAGE, "listen_failed", {{"reason", "expected IPv4:PORT"}, {"listen", spec}});
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  // The fd is checked before it is used (issue 12).
  if (fd < 0) die(EX_UNAVAILABLE, "listen_failed", {{"listen", spec}, {"errno", std::strerror(errno)}});
  const int on = 1;
  // Without SO_REUSEADDR a restart within TIME_WAIT could not bind.
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || ::listen(fd, 128) != 0)
    die(EX_UNAVAILABLE, "listen_failed", {{"listen", spec}, {"errno", std::strerror(errno)}});
  return fd;
}

bool is_socket(int fd) {
  struct stat st{};
  return ::fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

int take_listen_socket(const ScreenOptions& options) {
  if (!options.listen.empty())
    return options.listen.find('/') != std::string::npos ? bind_unix_socket(options.listen, options.socket_mode)
                                                         : bind_tcp_socket(options.listen);
  const char* listen_pid = std::getenv("LISTEN_PID");
  const char* listen_fds = std::getenv("LISTEN_FDS");
  if (listen_pid && listen_fds && std::atol(listen_pid) == static_cast<long>(::getpid()) && std::atoi(listen_fds) >= 1) {
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    return 3;  // SD_LISTEN_FDS_START
  }
  if (is_socket(0)) return 0;
  die(EX_USAGE, "no_listen_socket",
      {{"reason", "fd 0 is not a socket and neither --listen nor LISTEN_FDS was given"}});
}

}  // namespace

int acquire_listen_socket(const ScreenOptions& options) {
  const int fd = take_listen_socket(options);
  // Non-blocking accept: when several processes share one socket, the loser
  // of a race gets EAGAIN and waits again instead of blocking the stop.
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0)
    die(EX_OSERR, "listen_failed", {{"reason", "fcntl O_NONBLOCK"}, {"errno", std::strerror(errno)}});
  return fd;
}

}  // namespace kosmo
