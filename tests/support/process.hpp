// Runs the project's programs from tests: a child process with its standard streams in files.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace test_support {

inline std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// A fresh file name under the system's temporary directory.
inline std::string temp_path(const std::string& stem) {
  static int counter = 0;
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/alm-webhooks-test-" +
         std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" + stem;
}

/// A child process whose stdin, stdout and stderr are files.
class child_process {
 public:
  child_process(const std::vector<std::string>& argv, const std::string& stdin_text = {})
      : in_(temp_path("in")), out_(temp_path("out")), err_(temp_path("err")) {
    write_file(in_, stdin_text);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in_.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<char*> args;
    for (const auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    if (posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~child_process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    std::remove(in_.c_str());
    std::remove(out_.c_str());
    std::remove(err_.c_str());
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  bool started() const { return pid_ > 0; }
  void signal(int sig) const { ::kill(pid_, sig); }
  /// Waits for the exit; the exit status, or -1 when it did not exit normally.
  int wait() {
    int status = 0;
    if (!exited_ && ::waitpid(pid_, &status, 0) == pid_) {
      exited_ = true;
      code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return code_;
  }
  std::string out() const { return read_file(out_); }
  std::string err() const { return read_file(err_); }

  /// Polls stdout until it contains `text` or `timeout` passes.
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout) const {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (out().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  std::string in_, out_, err_;
  pid_t pid_{-1};
  bool exited_{false};
  int code_{-1};
};

/// The result of running a program to completion.
struct run_result {
  int code;
  std::string out;
  std::string err;
};

inline run_result run(const std::vector<std::string>& argv, const std::string& stdin_text = {}) {
  child_process child(argv, stdin_text);
  const int code = child.wait();
  return {code, child.out(), child.err()};
}

}  // namespace test_support
