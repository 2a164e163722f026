// File and stream I/O with the program's error mapping: a file that cannot be read is an
// InputError (66), one that cannot be written an OutputError (74), a closed pipe on stdout a
// quiet BrokenPipe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kneetriage::cli {

// The whole file; "-" reads standard input. Throws InputError naming the path and the reason.
[[nodiscard]] std::string read_file(const std::string& path);

// The name a file is reported under in diagnostics: "<stdin>" for "-".
[[nodiscard]] std::string display_name(const std::string& path);

// Writes all of `text` to standard output. Throws BrokenPipe when the reader has gone (EPIPE;
// SIGPIPE must be ignored), OutputError on any other failure (a full disk, /dev/full).
void write_stdout(std::string_view text);

// Replaces `path` with `text` atomically: writes a temporary file in the same directory, syncs it
// to disk and renames it over `path`, so readers see the old file or the new one, never a part.
// On failure the temporary file is removed, `path` is left as it was, and OutputError is thrown.
// A new file gets mode 0600 (answers are health data); an existing one keeps its mode.
void save_atomically(const std::string& path, std::string_view text);

// Throws the OutputError save_atomically(path, ...) would throw if it cannot write there, so a
// questionnaire can fail before its first question rather than after its last. Leaves no trace:
// the temporary file it makes to prove the directory writable is removed at once, and an
// existing file is not opened, let alone truncated.
void check_writable(const std::string& path);

class Error;

// Prints an error as the program reports it: "kneetriage: WHAT" and its detail lines on stderr,
// in one write. An error with no message and no details (already reported) prints nothing.
void report(const Error& error);

// The same for a message that is not an error (batch's closing line); an empty `message` prints
// the details only. On a terminal the lines are wrapped as --help is (message_width()).
void report(std::string_view message, const std::vector<std::string>& details = {});

// The width messages on stderr are wrapped to: --help's (the terminal's, narrowed by COLUMNS,
// 40-80), read afresh each time so that a resized window is followed; nullopt when stderr is not
// a terminal, where lines stay whole for logs and grep.
[[nodiscard]] std::optional<std::size_t> message_width();

// The text report() writes: "kneetriage: " and the message with a hanging indent, detail lines
// that list a term and its text ("  --knees both|one  Does the pain…") laid out as --help's
// items, command lines broken with shell continuations; unwrapped when `width` is nullopt.
[[nodiscard]] std::string message_text(std::string_view message,
                                       const std::vector<std::string>& details,
                                       std::optional<std::size_t> width);

// A count with thousands separated: 380160 -> "380,160".
[[nodiscard]] std::string count_text(std::size_t n);

}  // namespace kneetriage::cli
