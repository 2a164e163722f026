#include "terminal/io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "errors.hpp"
#include "help/help_page.hpp"
#include "terminal/describe.hpp"
#include "terminal/layout.hpp"
#include "terminal/terminal.hpp"

namespace kneetriage::cli {

namespace {

std::string reason(int error) {
  return std::strerror(error);
}

// Closes a file descriptor on scope exit.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() { close(); }
  [[nodiscard]] int get() const { return fd_; }
  int close() {
    int result = 0;
    if (fd_ >= 0) result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

// Reads until end of file; returns errno, or 0.
int read_all(int fd, std::string& out) {
  std::array<char, 65536> buffer{};
  while (true) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
}

// Writes all of `text`; returns errno, or 0.
int write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Saving through a symbolic link updates the file it points to, not the link.
std::string resolve_link(const std::string& path) {
  struct stat link_status {};
  if (::lstat(path.c_str(), &link_status) == 0 && S_ISLNK(link_status.st_mode)) {
    std::array<char, PATH_MAX> resolved{};
    if (::realpath(path.c_str(), resolved.data()) != nullptr) return resolved.data();
  }
  return path;
}

// mkostemp's template for a temporary file next to `path`.
std::vector<char> temporary_template(const std::string& path) {
  const std::string temporary = path + ".XXXXXX";
  std::vector<char> name(temporary.begin(), temporary.end());
  name.push_back('\0');
  return name;
}

}  // namespace

std::string display_name(const std::string& path) {
  return path == "-" ? "<stdin>" : path;
}

std::string read_file(const std::string& path) {
  std::string text;
  if (path == "-") {
    if (const int error = read_all(STDIN_FILENO, text); error != 0)
      throw InputError(fmt::format("cannot read standard input: {}", reason(error)));
    return text;
  }
  const std::string shown = sanitize(path);
  if (path.empty()) throw InputError("cannot read '': an empty file name");
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw InputError(fmt::format("cannot read {}: {}", shown, reason(errno)));
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0)
    throw InputError(fmt::format("cannot read {}: {}", shown, reason(errno)));
  if (S_ISDIR(status.st_mode))
    throw InputError(fmt::format("cannot read {}: {}", shown, reason(EISDIR)));
  if (const int error = read_all(fd.get(), text); error != 0)
    throw InputError(fmt::format("cannot read {}: {}", shown, reason(error)));
  return text;
}

void write_stdout(std::string_view text) {
  const int error = write_all(STDOUT_FILENO, text);
  if (error == EPIPE) throw BrokenPipe();
  if (error != 0)
    throw OutputError(fmt::format("cannot write to standard output: {}", reason(error)));
}

void save_atomically(const std::string& requested_path, std::string_view text) {
  const std::string shown = sanitize(requested_path);
  const auto fail = [&](int error) {
    return OutputError(fmt::format("cannot write {}: {}", shown, reason(error)));
  };
  if (requested_path.empty()) throw OutputError("cannot write '': an empty file name");

  const std::string path = resolve_link(requested_path);
  mode_t mode = S_IRUSR | S_IWUSR;
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    if (S_ISDIR(existing.st_mode)) throw fail(EISDIR);
    if (!S_ISREG(existing.st_mode)) {
      // A device or a pipe (/dev/stdout, /dev/full, a FIFO) is written in place: renaming a
      // temporary file over it would replace the device itself, not write to it.
      FileDescriptor device(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
      if (device.get() < 0) throw fail(errno);
      if (const int error = write_all(device.get(), text); error != 0) throw fail(error);
      if (device.close() != 0) throw fail(errno);
      return;
    }
    mode = existing.st_mode & 07777;
  }

  const std::string directory = directory_of(path);
  std::vector<char> name = temporary_template(path);
  FileDescriptor fd(::mkostemp(name.data(), O_CLOEXEC));
  if (fd.get() < 0) throw fail(errno);
  const std::string temporary = name.data();
  const auto abandon = [&](int error) {
    fd.close();
    ::unlink(temporary.c_str());
    return fail(error);
  };
  if (::fchmod(fd.get(), mode) != 0) throw abandon(errno);
  if (const int error = write_all(fd.get(), text); error != 0) throw abandon(error);
  if (::fsync(fd.get()) != 0) throw abandon(errno);
  if (fd.close() != 0) throw abandon(errno);
  if (::rename(temporary.c_str(), path.c_str()) != 0) throw abandon(errno);
  // Make the rename itself durable; a failure here does not undo the save, so it is not reported.
  FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() >= 0) (void)::fsync(dir.get());
}

void check_writable(const std::string& requested_path) {
  const std::string shown = sanitize(requested_path);
  const auto fail = [&](int error) {
    return OutputError(fmt::format("cannot write {}: {}", shown, reason(error)));
  };
  if (requested_path.empty()) throw OutputError("cannot write '': an empty file name");
  const std::string path = resolve_link(requested_path);
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0) {
    if (S_ISDIR(existing.st_mode)) throw fail(EISDIR);
    // A device or a pipe is written in place; opening a pipe would wait for its reader.
    if (!S_ISREG(existing.st_mode)) {
      if (::access(path.c_str(), W_OK) != 0) throw fail(errno);
      return;
    }
  }
  // The save makes a temporary file beside the target and renames it: try the first half.
  std::vector<char> name = temporary_template(path);
  FileDescriptor fd(::mkostemp(name.data(), O_CLOEXEC));
  if (fd.get() < 0) throw fail(errno);
  fd.close();
  ::unlink(name.data());
}

std::string count_text(std::size_t n) {
  // Appended left to right rather than std::string::insert, which g++ 12 at -O2 flags with a
  // false -Wrestrict inside char_traits.
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

namespace {

// A detail line "  TERM  TEXT" (a flag and what it asks, as the missing answers are listed): the
// term and its text, split at the first run of two spaces after the indent.
std::optional<HelpItem> as_item(std::string_view line) {
  if (!line.starts_with("  ") || line.starts_with("   ")) return std::nullopt;
  const std::size_t gap = line.find("  ", 2);
  if (gap == std::string_view::npos) return std::nullopt;
  const std::size_t text = line.find_first_not_of(' ', gap);
  if (text == std::string_view::npos) return std::nullopt;
  return HelpItem{std::string(line.substr(2, gap - 2)), std::string(line.substr(text))};
}

}  // namespace

std::string message_text(std::string_view message, const std::vector<std::string>& details,
                         std::optional<std::size_t> width) {
  std::string out;
  if (!width) {
    if (!message.empty()) out += fmt::format("kneetriage: {}\n", message);
    for (const std::string& line : details) out += line + "\n";
    return out;
  }
  // As --help lays out its items: a hanging indent, and flags kept whole.
  if (!message.empty()) out += wrap(fmt::format("kneetriage: {}", message), *width, "", "  ");
  std::vector<HelpItem> items;
  const auto flush_items = [&] {
    out += items_text(items, *width);
    items.clear();
  };
  for (const std::string& line : details) {
    if (auto item = as_item(line)) {
      items.push_back(std::move(*item));
      continue;
    }
    flush_items();
    const std::size_t indent = std::min(line.find_first_not_of(' '), line.size());
    const std::string_view text = std::string_view(line).substr(indent);
    const std::string prefix(indent, ' ');
    if (text.starts_with("kneetriage ") && display_width(line) > *width)
      out += shell_wrap(text, *width, prefix) + "\n";
    else
      out += wrap(text, *width, prefix, prefix + "  ");
  }
  flush_items();
  return out;
}

std::optional<std::size_t> message_width() {
  if (!is_terminal(STDERR_FILENO)) return std::nullopt;
  return help_width(STDERR_FILENO);
}

void report(std::string_view message, const std::vector<std::string>& details) {
  const std::string text = message_text(message, details, message_width());
  std::fputs(text.c_str(), stderr);
}

void report(const Error& error) {
  if (std::string_view(error.what()).empty() && error.details().empty()) return;
  report(error.what(), error.details());
}

}  // namespace kneetriage::cli
