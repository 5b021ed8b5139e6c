// JSON helpers shared by the format parsers: the hardened parser (ParseJson, JsonLimits, from
// base/json.h: depth and size limits, so hostile JSON yields a Status instead of an exception, a
// deep recursion or a huge allocation) and type-checked accessors for error messages.
#ifndef HB_FORMAT_JSON_UTIL_H_
#define HB_FORMAT_JSON_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/status.h"

namespace hb {

// "a string", "an array", ... for error messages.
const char* JsonTypeName(const Json& value);

// A short, single-line rendering of a scalar for error messages ("\"big\"", "-3", "1.5"), or the
// type name for containers; never longer than ~40 characters, whatever the input.
std::string JsonBrief(const Json& value);

// `s` cut to at most max_bytes (at a UTF-8 boundary, ending in "...") for quoting
// file-provided names in messages.
std::string Shorten(const std::string& s, size_t max_bytes = 120);

// If `value` is an integer (not a float, not a bool) that fits in int64, stores it and returns
// true.
bool JsonToInt64(const Json& value, int64_t* out);

}  // namespace hb

#endif  // HB_FORMAT_JSON_UTIL_H_
