// Hardened nlohmann-json parsing (see json_util.h). nlohmann's parser is iterative, but the DOM
// it builds has no size limit; the parser callback enforces depth and value-count limits by
// throwing, which aborts the parse early.
#include "format/json_util.h"

#include <limits>
#include <new>

namespace hb {
namespace {

struct LimitExceeded {
  std::string message;
};

}  // namespace

Status ParseJson(std::string_view text, std::string_view what, const JsonLimits& limits,
                 nlohmann::json* out) {
  size_t values = 0;
  auto callback = [&](int depth, nlohmann::json::parse_event_t /*event*/,
                      nlohmann::json& /*parsed*/) -> bool {
    if (depth > limits.max_depth) {
      throw LimitExceeded{std::string(what) + " is nested deeper than " +
                          std::to_string(limits.max_depth) + " levels"};
    }
    if (++values > limits.max_values) {
      throw LimitExceeded{std::string(what) + " has more than " +
                          std::to_string(limits.max_values) + " JSON values"};
    }
    return true;
  };
  try {
    *out = nlohmann::json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true,
                                 /*ignore_comments=*/false);
  } catch (const LimitExceeded& e) {
    return InvalidModel(e.message);
  } catch (const nlohmann::json::exception& e) {
    return InvalidModel(std::string(what) + " is not valid JSON: " + e.what());
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory parsing " + std::string(what));
  }
  return Status::Ok();
}

const char* JsonTypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "an integer";
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "a binary value";
  }
}

namespace {

std::string CutAt(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return s.substr(0, cut) + "...";
}

}  // namespace

std::string Shorten(const std::string& s, size_t max_bytes) {
  return CutAt(s, max_bytes < 4 ? 4 : max_bytes);
}

std::string JsonBrief(const nlohmann::json& value) {
  if (value.is_structured() || value.is_binary()) return JsonTypeName(value);
  // Scalars only (no recursion); invalid UTF-8 cannot occur in parsed strings, but replace
  // rather than throw in case a caller built the value by hand.
  return CutAt(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 40);
}

bool JsonToInt64(const nlohmann::json& value, int64_t* out) {
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    *out = static_cast<int64_t>(u);
    return true;
  }
  if (value.is_number_integer()) {
    *out = value.get<int64_t>();
    return true;
  }
  return false;
}

}  // namespace hb
