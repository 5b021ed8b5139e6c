// Whole-file reading for the native CLI and the tests. The core parsers take bytes, never paths,
// so the wasm build (no file system) does not need this.
#ifndef HB_BASE_FILE_IO_H_
#define HB_BASE_FILE_IO_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hb {

// Reads a whole file into memory. Errors: kNotFound (no such file or directory), kIoError (any
// other failure, e.g. a directory or a read error; the message includes the OS reason),
// kResourceExhausted (out of memory).
StatusOr<std::string> ReadFile(const std::string& path);

// Reads a file in chunks of at most `chunk_size` bytes (one buffer, reused), passing each to
// `consume` (never empty) until the end of the file or an error from `consume`, which is
// returned as is. Errors otherwise as ReadFile. For readers that must not hold a whole file.
Status ReadFileChunks(const std::string& path, size_t chunk_size,
                      const std::function<Status(const char* data, size_t size)>& consume);

// Writes `bytes` to path + ".tmp" and renames it to `path`, so a failed write never leaves a
// truncated file. Errors: kIoError naming the file and the OS reason.
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

// True if `path` names an existing regular file (not a directory).
bool FileExists(const std::string& path);

// True if `path` names an existing directory.
bool DirectoryExists(const std::string& path);

// "dir" + "/" + "name" with exactly one separator; an empty `dir` gives `name`, and an absolute
// `name` is returned unchanged.
std::string JoinPath(const std::string& dir, const std::string& name);

}  // namespace hb

#endif  // HB_BASE_FILE_IO_H_
