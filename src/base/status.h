// Status and StatusOr<T>: how every part of the core reports errors on user input.
// Nothing in src/ aborts or lets an exception escape on bad input; callers get a code and a
// message that names the problem.
#ifndef HB_BASE_STATUS_H_
#define HB_BASE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace hb {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,    // bad text, options or shapes passed by the caller
  kInvalidModel = 2,       // malformed, truncated or inconsistent model files
  kUnsupported = 3,        // well-formed but not supported (architecture, dtype, activation)
  kNotFound = 4,           // missing file or tensor
  kIoError = 5,            // reading a file failed
  kResourceExhausted = 6,  // over a configured limit or out of memory
  kInternal = 7,           // a bug in hummingbert
};

// Stable upper-case name of a code, as used by the JS HummingbertError ("INVALID_MODEL").
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "INVALID_MODEL: message"
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status InvalidModel(std::string m) { return {StatusCode::kInvalidModel, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status ResourceExhausted(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Holds either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : status_(status) {  // NOLINT: implicit by design
    if (status_.ok()) status_ = Internal("StatusOr constructed from an OK status without a value");
  }
  StatusOr(Status&& status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Internal("StatusOr constructed from an OK status without a value");
  }
  StatusOr(const T& value) : value_(value) {}        // NOLINT
  StatusOr(T&& value) : value_(std::move(value)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace hb

// Early return on error, for functions returning Status or StatusOr.
#define HB_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::hb::Status hb_status_ = (expr);        \
    if (!hb_status_.ok()) return hb_status_; \
  } while (0)

#define HB_CONCAT_INNER_(a, b) a##b
#define HB_CONCAT_(a, b) HB_CONCAT_INNER_(a, b)
#define HB_ASSIGN_OR_RETURN(lhs, expr) \
  HB_ASSIGN_OR_RETURN_IMPL_(HB_CONCAT_(hb_statusor_, __LINE__), lhs, expr)
#define HB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

#endif  // HB_BASE_STATUS_H_
