// JSON helpers for the format parsers (see json_util.h); the parser itself is base/json.cc.
#include "format/json_util.h"

#include <limits>

namespace hb {

const char* JsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::Type::kNull:
      return "null";
    case Json::Type::kObject:
      return "an object";
    case Json::Type::kArray:
      return "an array";
    case Json::Type::kString:
      return "a string";
    case Json::Type::kBool:
      return "a boolean";
    case Json::Type::kInt:
    case Json::Type::kUint:
      return "an integer";
    default:
      return "a number";
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

std::string JsonBrief(const Json& value) {
  if (value.is_structured()) return JsonTypeName(value);
  // Scalars only (no recursion); invalid UTF-8 cannot occur in parsed strings, but replace
  // rather than throw in case a caller built the value by hand.
  return CutAt(value.dump(-1, Json::Utf8::kReplace), 40);
}

bool JsonToInt64(const Json& value, int64_t* out) {
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
