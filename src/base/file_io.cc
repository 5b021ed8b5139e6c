// Whole-file reading with Status errors (see file_io.h). Plain stdio, so it also works under
// Emscripten's NODERAWFS in the wasm test binaries.
#include "base/file_io.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>

namespace hb {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

std::string Reason(int err) { return err != 0 ? std::strerror(err) : "unknown error"; }

}  // namespace

Status ReadFileChunks(const std::string& path, size_t chunk_size,
                      const std::function<Status(const char* data, size_t size)>& consume) {
  errno = 0;
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return NotFound("file not found: '" + path + "'");
    return IoError("cannot open '" + path + "': " + Reason(err));
  }
  // Reading in chunks until EOF (rather than trusting a size from stat) also covers pipes and
  // files that change size while being read. fopen succeeds on a directory on Linux; fread then
  // fails with EISDIR, which is reported below.
  std::unique_ptr<char[]> chunk;
  try {
    chunk.reset(new char[chunk_size ? chunk_size : 1]);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory reading '" + path + "'");
  }
  for (;;) {
    errno = 0;
    const size_t n = std::fread(chunk.get(), 1, chunk_size ? chunk_size : 1, file.get());
    if (n > 0) HB_RETURN_IF_ERROR(consume(chunk.get(), n));
    if (n < chunk_size) {
      if (std::ferror(file.get())) return IoError("cannot read '" + path + "': " + Reason(errno));
      if (std::feof(file.get())) break;
    }
  }
  return Status::Ok();
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::string contents;
  try {
    HB_RETURN_IF_ERROR(ReadFileChunks(path, 1 << 16, [&](const char* data, size_t n) {
      contents.append(data, n);
      return Status::Ok();
    }));
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory reading '" + path + "'");
  } catch (const std::length_error&) {
    return ResourceExhausted("file too large to read into memory: '" + path + "'");
  }
  return contents;
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string JoinPath(const std::string& dir, const std::string& name) {
  if (dir.empty() || (!name.empty() && name.front() == '/')) return name;
  if (name.empty()) return dir;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

bool DirectoryExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return IoError("cannot create '" + tmp + "': " + std::strerror(errno));
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !written) {
    const int reason = written ? errno : saved;
    std::remove(tmp.c_str());
    return IoError("cannot write '" + tmp + "': " + std::strerror(reason));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int reason = errno;
    std::remove(tmp.c_str());
    return IoError("cannot rename '" + tmp + "' to '" + path + "': " + std::strerror(reason));
  }
  return Status::Ok();
}

}  // namespace hb
