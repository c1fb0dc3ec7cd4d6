// A real redis-server for tests: started as a child process on a free loopback port, in its own
// temporary directory, and killed when the object goes away (or when the test process dies).
// Needs the redis-server program on PATH (Debian package redis-server, scripts/install-deps.sh).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "alm/webhooks/redis/connection.hpp"

namespace redis_test {

/// How the server keeps its data.
enum class persistence {
  none,        ///< memory only (--save "" --appendonly no)
  always_sync  ///< append-only file fsync'ed before every reply: nothing acknowledged is lost
};

class redis_server {
 public:
  /// Starts the server; check running() (and failure() for why not).
  explicit redis_server(persistence mode = persistence::none) : mode_(mode) {
    char pattern[] = "alm-webhooks-redis-XXXXXX";
    const std::filesystem::path base = std::filesystem::temp_directory_path();
    std::string templ = (base / pattern).string();
    if (::mkdtemp(templ.data()) == nullptr) {
      failure_ = "cannot create a temporary directory for redis-server";
      return;
    }
    dir_ = templ;
    // A port found free may be taken before the server binds it: try a few.
    for (int attempt = 0; attempt < 5 && !running(); ++attempt) {
      port_ = free_port();
      if (port_ == 0) {
        failure_ = "cannot find a free loopback port";
        return;
      }
      if (!start() && missing_) return;
    }
  }

  ~redis_server() {
    kill();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  redis_server(const redis_server&) = delete;
  redis_server& operator=(const redis_server&) = delete;

  bool running() const { return pid_ > 0; }
  /// Why the server is not running, for INFO().
  const std::string& failure() const { return failure_; }
  int port() const { return port_; }

  /// Options for the SDK's connections to this server (short timeouts: loopback).
  alm::webhooks::redis::connection_options options() const {
    alm::webhooks::redis::connection_options o;
    o.host = "127.0.0.1";
    o.port = port_;
    o.connect_timeout = std::chrono::seconds(2);
    o.command_timeout = std::chrono::seconds(5);
    o.retry_interval = std::chrono::milliseconds(0);
    return o;
  }

  /// (Re)starts the server on the same port and directory (so a persistent one reloads its
  /// data) and waits until it answers PING. False, with failure(), if it did not come up.
  bool start() {
    if (running()) return true;
    const std::string port_text = std::to_string(port_);
    std::vector<std::string> args = {
        "redis-server", "--port", port_text,     "--bind", "127.0.0.1", "--dir", dir_,
        "--save",       "",       "--daemonize", "no",     "--logfile", "",      "--protected-mode",
        "yes"};
    if (mode_ == persistence::always_sync) {
      args.insert(args.end(), {"--appendonly", "yes", "--appendfsync", "always"});
    } else {
      args.insert(args.end(), {"--appendonly", "no"});
    }
    const std::string log = dir_ + "/redis.log";
    std::vector<char*> argv;
    for (std::string& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);

    int report[2];
    if (::pipe2(report, O_CLOEXEC) != 0) {
      failure_ = "pipe2 failed";
      return false;
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) {
      failure_ = "fork failed";
      ::close(report[0]);
      ::close(report[1]);
      return false;
    }
    if (pid == 0) {
      // Child: only async-signal-safe calls until exec. Die with the test process.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      if (out >= 0) {
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
      }
      ::execvp(argv[0], argv.data());
      const int code = errno;
      (void)!::write(report[1], &code, sizeof code);
      ::_exit(127);
    }
    ::close(report[1]);
    int exec_errno = 0;
    const ssize_t n = ::read(report[0], &exec_errno, sizeof exec_errno);
    ::close(report[0]);
    if (n == static_cast<ssize_t>(sizeof exec_errno)) {
      ::waitpid(pid, nullptr, 0);
      missing_ = exec_errno == ENOENT;
      failure_ = missing_ ? "redis-server is not installed (not found on PATH): the Redis tests "
                            "need a real server; install the Debian package redis-server "
                            "(scripts/install-deps.sh does)"
                          : std::string("cannot run redis-server: ") + std::strerror(exec_errno);
      return false;
    }
    pid_ = pid;
    if (wait_until_ready()) return true;
    kill();
    return false;
  }

  /// Kills the server at once (SIGKILL: no shutdown work, like a crash) and reaps it.
  void kill() { signal_and_reap(SIGKILL); }
  /// Freezes the server (SIGSTOP): connections stay open but nothing answers, as with a Redis
  /// stuck or unreachable behind a silent network. resume() continues it.
  void suspend() {
    if (pid_ > 0) ::kill(pid_, SIGSTOP);
  }
  void resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
  }

  /// Runs one command on a fresh connection and returns the reply as text (integers in decimal,
  /// nil as "(nil)"), for checks from the test itself.
  std::string query(const std::vector<std::string>& command) const {
    redisContext* c = redisConnectWithTimeout("127.0.0.1", port_, timeval{2, 0});
    if (c == nullptr || c->err != 0) {
      if (c != nullptr) redisFree(c);
      return "(no connection)";
    }
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const std::string& a : command) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()));
    std::string text = "(no reply)";
    if (r != nullptr) {
      if (r->type == REDIS_REPLY_INTEGER) {
        text = std::to_string(r->integer);
      } else if (r->type == REDIS_REPLY_NIL) {
        text = "(nil)";
      } else if (r->str != nullptr) {
        text.assign(r->str, r->len);
      } else if (r->type == REDIS_REPLY_ARRAY) {
        text = "(array of " + std::to_string(r->elements) + ")";
      }
      freeReplyObject(r);
    }
    redisFree(c);
    return text;
  }

 private:
  static int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
  }

  bool wait_until_ready() {
    // A start-up bound, not a timed assertion: a server that never answers fails the test.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        failure_ = "redis-server exited at start (port " + std::to_string(port_) +
                   " taken?); its log is " + dir_ + "/redis.log";
        return false;
      }
      if (query({"PING"}) == "PONG") return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    failure_ = "redis-server did not answer PING on port " + std::to_string(port_);
    return false;
  }

  void signal_and_reap(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    ::kill(pid_, SIGCONT);  // a suspended server must run to die of SIGTERM
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  persistence mode_;
  std::string dir_;
  std::string failure_;
  int port_{0};
  pid_t pid_{-1};
  bool missing_{false};
};

}  // namespace redis_test
