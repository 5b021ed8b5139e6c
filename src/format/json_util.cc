// Hardened nlohmann-json parsing (see json_util.h). nlohmann's parser is iterative, but the DOM
// it builds has no depth or size limit; a SAX filter in front of the DOM builder adds both and
// stops the parse as soon as one is exceeded.
#include "format/json_util.h"

#include <limits>
#include <new>
#include <utility>

namespace hb {
namespace {

using nlohmann::json;

// nlohmann's DOM builder behind a SAX filter that counts depth and values. (The parser-callback
// variant of json::parse is quadratic in the number of sibling objects: it rescans the parent
// for discarded values after each object, which a header with 100k tensors turns into minutes.)
class LimitedDomBuilder {
 public:
  LimitedDomBuilder(json* out, const JsonLimits& limits, std::string_view what)
      : dom_(*out, /*allow_exceptions=*/true), limits_(limits), what_(what) {}

  const std::string& limit_error() const { return limit_error_; }

  bool null() { return Count() && dom_.null(); }
  bool boolean(bool v) { return Count() && dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return Count() && dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Count() && dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& s) {
    return Count() && dom_.number_float(v, s);
  }
  bool string(json::string_t& v) { return Count() && dom_.string(v); }
  bool binary(json::binary_t& v) { return Count() && dom_.binary(v); }
  bool key(json::string_t& v) { return Count() && dom_.key(v); }
  bool start_object(std::size_t n) { return Enter() && dom_.start_object(n); }
  bool start_array(std::size_t n) { return Enter() && dom_.start_array(n); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& e) {
    return dom_.parse_error(position, token, e);  // throws e (allow_exceptions)
  }

 private:
  bool Count() {
    if (++values_ <= limits_.max_values) return true;
    limit_error_ = std::string(what_) + " has more than " + std::to_string(limits_.max_values) +
                   " JSON values";
    return false;
  }
  bool Enter() {
    if (!Count()) return false;
    // The root container is depth 0.
    if (depth_++ <= limits_.max_depth) return true;
    limit_error_ = std::string(what_) + " is nested deeper than " +
                   std::to_string(limits_.max_depth) + " levels";
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  const JsonLimits& limits_;
  std::string_view what_;
  int depth_ = 0;
  size_t values_ = 0;
  std::string limit_error_;
};

}  // namespace

Status ParseJson(std::string_view text, std::string_view what, const JsonLimits& limits,
                 nlohmann::json* out) {
  try {
    json result;
    LimitedDomBuilder builder(&result, limits, what);
    const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json,
                                    /*strict=*/true,
                                    /*ignore_comments=*/false);
    if (!ok) {
      if (!builder.limit_error().empty()) return InvalidModel(builder.limit_error());
      return InvalidModel(std::string(what) + " is not valid JSON");  // not expected: errors throw
    }
    *out = std::move(result);
  } catch (const json::exception& e) {
    return InvalidModel(std::string(what) + " is not valid JSON: " + e.what());
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory parsing " + std::string(what));
  }
  return Status::Ok();
}

const char* JsonTypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
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
