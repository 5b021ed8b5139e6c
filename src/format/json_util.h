// Hardened nlohmann-json parsing shared by the format parsers: depth and size limits, and
// type-checked accessors, so hostile JSON yields a Status instead of an exception, a deep
// recursion or a huge allocation.
#ifndef HB_FORMAT_JSON_UTIL_H_
#define HB_FORMAT_JSON_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/status.h"

namespace hb {

struct JsonLimits {
  int max_depth = 64;            // nesting of arrays/objects; the root is depth 0
  size_t max_values = 1u << 22;  // keys + values + containers, a bound on the DOM's memory
};

// Parses `text` into *out. Errors (all kInvalidModel, messages start with "<what> is not valid
// JSON: " or name the exceeded limit); std::bad_alloc becomes kResourceExhausted. Never throws.
Status ParseJson(std::string_view text, std::string_view what, const JsonLimits& limits,
                 nlohmann::json* out);

// "a string", "an array", ... for error messages.
const char* JsonTypeName(const nlohmann::json& value);

// A short, single-line rendering of a scalar for error messages ("\"big\"", "-3", "1.5"), or the
// type name for containers; never longer than ~40 characters, whatever the input.
std::string JsonBrief(const nlohmann::json& value);

// `s` cut to at most max_bytes (at a UTF-8 boundary, ending in "...") for quoting
// file-provided names in messages.
std::string Shorten(const std::string& s, size_t max_bytes = 120);

// If `value` is an integer (not a float, not a bool) that fits in int64, stores it and returns
// true.
bool JsonToInt64(const nlohmann::json& value, int64_t* out);

}  // namespace hb

#endif  // HB_FORMAT_JSON_UTIL_H_
