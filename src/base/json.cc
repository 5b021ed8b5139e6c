// JSON DOM, parser and writer (see json.h).
#include "base/json.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <string>

#include "base/decimal_text.h"

namespace hb {
namespace {

const char* TypeWord(Json::Type t) {  // nlohmann-json's type names, for JsonError messages
  switch (t) {
    case Json::Type::kNull:
      return "null";
    case Json::Type::kBool:
      return "boolean";
    case Json::Type::kString:
      return "string";
    case Json::Type::kArray:
      return "array";
    case Json::Type::kObject:
      return "object";
    default:
      return "number";
  }
}

[[noreturn]] void TypeError(const char* expected, Json::Type got) {
  throw JsonError(std::string("[json.exception.type_error.302] type must be ") + expected +
                  ", but is " + TypeWord(got));
}

const Json& NullJson() {
  static const Json null_json;
  return null_json;
}

const Json::Object& EmptyObject() {
  static const Json::Object empty;
  return empty;
}

// Length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no overlongs, no surrogates,
// at most U+10FFFF), or 0 if it is not one.
size_t Utf8SequenceLength(const unsigned char* s, size_t n) {
  const unsigned c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if ((s[k] & 0xC0) != 0x80) return 0;
  }
  return len;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void DumpString(const std::string& s, Json::Utf8 utf8, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const size_t len = Utf8SequenceLength(p + i, s.size() - i);
      if (len == 0) {
        if (utf8 == Json::Utf8::kStrict) {
          static const char kUpperHex[] = "0123456789ABCDEF";
          throw JsonError("[json.exception.type_error.316] invalid UTF-8 byte at index " +
                          std::to_string(i) + ": 0x" + kUpperHex[c >> 4] + kUpperHex[c & 15]);
        }
        out->append("\xEF\xBF\xBD");  // U+FFFD
        ++i;
        continue;
      }
      out->append(s, i, len);
      i += len;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

// The shortest decimal that reads back as v, laid out as nlohmann-json does: plain notation for
// decimal exponents in (-5, 15] ("0.0001", "123.5", "2.0"), otherwise "1.5e-07" / "1e+21".
void DumpDouble(double v, std::string* out) {
  if (!std::isfinite(v)) {
    out->append("null");
    return;
  }
  if (std::signbit(v)) {
    out->push_back('-');
    v = -v;
  }
  if (v == 0) {
    out->append("0.0");
    return;
  }
  // Shortest correctly rounded digits that read back as v.
  const std::string shortest = FormatExponential(v, -1);
  const char* buf = shortest.c_str();
  // buf is "d[.ddd]e[+-]xx": collect the digits and the exponent.
  char digits[20];
  int k = 0;
  const char* p = buf;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits[k++] = *p;
  }
  const int precision = k;
  int n = std::atoi(p + 1) + 1;  // the decimal point goes after n digits
  // An exact tie (v is halfway between two such decimals) rounds up in magnitude, as
  // nlohmann-json's Grisu2 does, where printf rounds to even.
  const std::string exact_text = FormatExponential(v, 60);
  const char* exact = exact_text.c_str();
  const char* tail = exact + 1 + precision;  // the first digit after the chosen ones
  bool tie = *tail == '5';
  for (const char* t = tail + 1; tie && *t != 'e'; ++t) tie = *t == '0';
  if (tie) {
    char up[20];
    int m = 0;
    for (const char* t = exact; m < precision; ++t) {
      if (*t != '.') up[m++] = *t;
    }
    int carry_at = m - 1;
    while (carry_at >= 0 && up[carry_at] == '9') up[carry_at--] = '0';
    int up_n = std::atoi(std::strchr(exact, 'e') + 1) + 1;
    if (carry_at < 0) {  // 99..9 -> 100..0
      up[0] = '1';
      ++up_n;
    } else {
      ++up[carry_at];
    }
    std::string check(1, up[0]);
    check.push_back('.');
    check.append(up + 1, static_cast<size_t>(m - 1));
    check.push_back('e');
    check.append(std::to_string(up_n - 1));
    if (ParseDecimal(check.c_str()) == v) {
      std::memcpy(digits, up, static_cast<size_t>(m));
      k = m;
      n = up_n;
    }
  }
  while (k > 1 && digits[k - 1] == '0') --k;
  std::string& o = *out;
  if (k <= n && n <= 15) {  // digits[000].0
    o.append(digits, static_cast<size_t>(k));
    o.append(static_cast<size_t>(n - k), '0');
    o.append(".0");
  } else if (0 < n && n <= 15) {  // dig.its
    o.append(digits, static_cast<size_t>(n));
    o.push_back('.');
    o.append(digits + n, static_cast<size_t>(k - n));
  } else if (-4 < n && n <= 0) {  // 0.[000]digits
    o.append("0.");
    o.append(static_cast<size_t>(-n), '0');
    o.append(digits, static_cast<size_t>(k));
  } else {  // d[.igits]e+XX
    o.push_back(digits[0]);
    if (k > 1) {
      o.push_back('.');
      o.append(digits + 1, static_cast<size_t>(k - 1));
    }
    const int e = n - 1;
    o.push_back('e');
    o.push_back(e < 0 ? '-' : '+');
    const int a = e < 0 ? -e : e;
    if (a < 10) o.push_back('0');
    o.append(std::to_string(a));
  }
}

// ---------------------------------------------------------------- parser

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  bool Parse(Json* out, std::string* error, bool* limit_exceeded) {
    // A UTF-8 byte order mark is skipped, as nlohmann-json does.
    if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
    SkipSpace();
    bool ok = Value(out, 0);
    if (ok) {
      SkipSpace();
      if (pos_ != text_.size()) ok = Fail("expected end of input");
    }
    if (!ok) {
      *error = error_;
      *limit_exceeded = limit_;
    }
    return ok;
  }

 private:
  bool Fail(const char* what) {
    if (!error_.empty()) return false;
    // Line and column (in bytes, 1-based) of the offending position.
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    error_ = "parse error at line " + std::to_string(line) + ", column " + std::to_string(column) +
             ": " + what;
    return false;
  }
  bool LimitFail(std::string message) {
    limit_ = true;
    error_ = std::move(message);
    return false;
  }
  bool Count() {
    if (++values_ <= limits_.max_values) return true;
    return LimitFail("has more than " + std::to_string(limits_.max_values) + " JSON values");
  }
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void SkipSpace() {
    while (!AtEnd()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  bool Value(Json* out, int depth) {
    if (AtEnd()) return Fail("unexpected end of input; expected a value");
    const char c = text_[pos_];
    if (c == '{' || c == '[') {
      if (!Count()) return false;
      if (depth > limits_.max_depth) {  // the root container is depth 0
        return LimitFail("is nested deeper than " + std::to_string(limits_.max_depth) + " levels");
      }
      return c == '{' ? ParseObject(out, depth) : ParseArray(out, depth);
    }
    if (!Count()) return false;
    if (c == '"') {
      std::string s;
      if (!ParseString(&s)) return false;
      *out = Json(std::move(s));
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
    if (Literal("true")) {
      *out = Json(true);
    } else if (Literal("false")) {
      *out = Json(false);
    } else if (Literal("null")) {
      *out = Json();
    } else {
      return Fail("invalid literal; expected a value");
    }
    return true;
  }

  bool Literal(std::string_view word) {
    if (text_.compare(pos_, word.size(), word) != 0) return false;
    pos_ += word.size();
    return true;
  }

  bool ParseObject(Json* out, int depth) {
    ++pos_;  // '{'
    Json result = Json::object();
    SkipSpace();
    if (Peek() == '}') {
      ++pos_;
      *out = std::move(result);
      return true;
    }
    for (;;) {
      if (Peek() != '"')
        return Fail(AtEnd() ? "unexpected end of input; expected a string key"
                            : "expected a string key");
      if (!Count()) return false;
      std::string key;
      if (!ParseString(&key)) return false;
      SkipSpace();
      if (Peek() != ':') return Fail("expected ':' after an object key");
      ++pos_;
      SkipSpace();
      Json value;
      if (!Value(&value, depth + 1)) return false;
      result[key] = std::move(value);  // a repeated key keeps the last value
      SkipSpace();
      const char c = Peek();
      ++pos_;
      if (c == '}') break;
      if (c != ',') {
        --pos_;
        return Fail(AtEnd() ? "unexpected end of input; expected ',' or '}'"
                            : "expected ',' or '}'");
      }
      SkipSpace();
    }
    *out = std::move(result);
    return true;
  }

  bool ParseArray(Json* out, int depth) {
    ++pos_;  // '['
    Json result = Json::array();
    SkipSpace();
    if (Peek() == ']') {
      ++pos_;
      *out = std::move(result);
      return true;
    }
    for (;;) {
      Json value;
      if (!Value(&value, depth + 1)) return false;
      result.push_back(std::move(value));
      SkipSpace();
      const char c = Peek();
      ++pos_;
      if (c == ']') break;
      if (c != ',') {
        --pos_;
        return Fail(AtEnd() ? "unexpected end of input; expected ',' or ']'"
                            : "expected ',' or ']'");
      }
      SkipSpace();
    }
    *out = std::move(result);
    return true;
  }

  bool Hex4(uint32_t* out) {
    if (text_.size() - pos_ < 4) return Fail("'\\u' must be followed by 4 hex digits");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + static_cast<size_t>(i)];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Fail("'\\u' must be followed by 4 hex digits");
      }
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  bool ParseString(std::string* out) {
    ++pos_;  // '"'
    for (;;) {
      if (AtEnd()) return Fail("unexpected end of input; missing closing quote");
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("control character in a string must be escaped");
      if (c >= 0x80) {
        const size_t len = Utf8SequenceLength(
            reinterpret_cast<const unsigned char*>(text_.data()) + pos_, text_.size() - pos_);
        if (len == 0) return Fail("invalid UTF-8 in a string");
        out->append(text_.data() + pos_, len);
        pos_ += len;
        continue;
      }
      ++pos_;
      if (c != '\\') {
        out->push_back(static_cast<char>(c));
        continue;
      }
      if (AtEnd()) return Fail("unexpected end of input in an escape sequence");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out->push_back(e);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail("a low surrogate '\\uDC00'..'\\uDFFF' must follow a high surrogate");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (!Literal("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) {
              return Fail(
                  "a high surrogate '\\uD800'..'\\uDBFF' must be followed by a low surrogate");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          --pos_;
          return Fail("invalid escape sequence in a string");
      }
    }
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  bool ParseNumber(Json* out) {
    const size_t start = pos_;
    bool negative = false, integer = true;
    if (Peek() == '-') {
      negative = true;
      ++pos_;
    }
    if (Peek() == '0') {
      ++pos_;
    } else if (IsDigit(Peek())) {
      while (IsDigit(Peek())) ++pos_;
    } else {
      return Fail("invalid number; expected a digit");
    }
    if (Peek() == '.') {
      integer = false;
      ++pos_;
      if (!IsDigit(Peek())) return Fail("invalid number; expected a digit after '.'");
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      integer = false;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!IsDigit(Peek())) return Fail("invalid number; expected a digit in the exponent");
      while (IsDigit(Peek())) ++pos_;
    }
    const std::string token(text_.substr(start, pos_ - start));
    if (integer) {
      // Exact 64-bit integers: unsigned when non-negative, signed when negative; out of range
      // they are read as doubles (as nlohmann-json does).
      uint64_t magnitude = 0;
      bool overflow = false;
      for (size_t i = negative ? 1 : 0; i < token.size(); ++i) {
        const uint64_t d = static_cast<uint64_t>(token[i] - '0');
        if (magnitude > (std::numeric_limits<uint64_t>::max() - d) / 10) overflow = true;
        magnitude = magnitude * 10 + d;
      }
      if (!overflow && !negative) {
        *out = Json(magnitude);
        return true;
      }
      if (!overflow && magnitude <= uint64_t{1} << 63) {
        *out = Json(magnitude == uint64_t{1} << 63 ? std::numeric_limits<int64_t>::min()
                                                   : -static_cast<int64_t>(magnitude));
        return true;
      }
    }
    const double v = ParseDecimal(token.c_str());
    if (!std::isfinite(v)) {
      pos_ = start;
      return Fail("number overflow");
    }
    *out = Json(v);
    return true;
  }

  std::string_view text_;
  const JsonLimits& limits_;
  size_t pos_ = 0;
  size_t values_ = 0;
  bool limit_ = false;
  std::string error_;
};

}  // namespace

// ---------------------------------------------------------------- Json

Json::Json(Type t) : type_(t) {
  if (t == Type::kArray) arr_.reset(new Array);
  if (t == Type::kObject) obj_.reset(new Object);
}

Json::Json(std::initializer_list<Json> list) {
  bool is_object = true;
  for (const Json& e : list) {
    is_object &= e.is_array() && e.arr_->size() == 2 && (*e.arr_)[0].is_string();
  }
  if (is_object) {
    type_ = Type::kObject;
    obj_.reset(new Object);
    for (const Json& e : list) (*obj_)[(*e.arr_)[0].str_] = (*e.arr_)[1];
  } else {
    type_ = Type::kArray;
    arr_.reset(new Array(list));
  }
}

Json::Json(const Json& other) : type_(other.type_), num_(other.num_), str_(other.str_) {
  if (other.arr_) arr_.reset(new Array(*other.arr_));
  if (other.obj_) obj_.reset(new Object(*other.obj_));
}

void Json::swap(Json& other) noexcept {
  std::swap(type_, other.type_);
  std::swap(num_, other.num_);
  str_.swap(other.str_);
  arr_.swap(other.arr_);
  obj_.swap(other.obj_);
}

Json Json::parse(std::string_view text) {
  Json out;
  std::string error;
  bool limit = false;
  if (!ParseJsonText(text, JsonLimits{}, &out, &error, &limit)) throw JsonError(error);
  return out;
}

size_t Json::size() const {
  switch (type_) {
    case Type::kNull:
      return 0;
    case Type::kArray:
      return arr_->size();
    case Type::kObject:
      return obj_->size();
    default:
      return 1;
  }
}

const Json* Json::find(std::string_view key) const {
  if (!is_object()) return end();
  auto it = obj_->find(key);
  return it == obj_->end() ? end() : &it->second;
}

const Json::Object& Json::items() const { return is_object() ? *obj_ : EmptyObject(); }

const Json& Json::operator[](std::string_view key) const {
  const Json* v = find(key);
  return v == end() ? NullJson() : *v;
}

const Json& Json::operator[](size_t index) const {
  return is_array() && index < arr_->size() ? (*arr_)[index] : NullJson();
}

Json& Json::operator[](std::string_view key) {
  if (is_null()) *this = object();
  if (!is_object())
    throw JsonError(std::string("cannot use operator[] with a string key on ") + TypeWord(type_));
  auto it = obj_->find(key);
  if (it == obj_->end()) it = obj_->emplace(std::string(key), Json()).first;
  return it->second;
}

void Json::push_back(Json value) {
  if (is_null()) *this = array();
  if (!is_array()) throw JsonError(std::string("cannot use push_back() with ") + TypeWord(type_));
  arr_->push_back(std::move(value));
}

const std::string& Json::GetString() const {
  if (!is_string()) TypeError("string", type_);
  return str_;
}

double Json::GetNumber() const {
  switch (type_) {
    case Type::kInt:
      return static_cast<double>(num_.i);
    case Type::kUint:
      return static_cast<double>(num_.u);
    case Type::kFloat:
      return num_.f;
    default:
      TypeError("number", type_);
  }
}

template <>
bool Json::get<bool>() const {
  if (!is_boolean()) TypeError("boolean", type_);
  return num_.b;
}

template <>
int64_t Json::get<int64_t>() const {
  if (type_ == Type::kInt) return num_.i;
  if (type_ == Type::kUint) return static_cast<int64_t>(num_.u);
  return static_cast<int64_t>(GetNumber());
}

template <>
uint64_t Json::get<uint64_t>() const {
  if (type_ == Type::kUint) return num_.u;
  if (type_ == Type::kInt) return static_cast<uint64_t>(num_.i);
  return static_cast<uint64_t>(GetNumber());
}

std::string Json::value(std::string_view key, const char* default_value) const {
  const Json* v = find(key);
  return v == end() ? std::string(default_value) : v->GetString();
}

std::string Json::dump(int indent, Utf8 utf8) const {
  std::string out;
  Dump(&out, indent, 0, utf8);
  return out;
}

void Json::Dump(std::string* out, int indent, int level, Utf8 utf8) const {
  switch (type_) {
    case Type::kNull:
      out->append("null");
      return;
    case Type::kBool:
      out->append(num_.b ? "true" : "false");
      return;
    case Type::kInt:
      out->append(std::to_string(num_.i));
      return;
    case Type::kUint:
      out->append(std::to_string(num_.u));
      return;
    case Type::kFloat:
      DumpDouble(num_.f, out);
      return;
    case Type::kString:
      DumpString(str_, utf8, out);
      return;
    default:
      break;
  }
  const bool is_obj = is_object();
  const size_t n = size();
  if (n == 0) {
    out->append(is_obj ? "{}" : "[]");
    return;
  }
  const bool pretty = indent >= 0;
  const size_t inner = pretty ? static_cast<size_t>(indent) * static_cast<size_t>(level + 1) : 0;
  out->push_back(is_obj ? '{' : '[');
  if (pretty) out->push_back('\n');
  size_t i = 0;
  auto separator = [&]() {
    if (++i < n) out->push_back(',');
    if (pretty) out->push_back('\n');
  };
  if (is_obj) {
    for (const auto& [key, value] : *obj_) {
      out->append(inner, ' ');
      DumpString(key, utf8, out);
      out->append(pretty ? ": " : ":");
      value.Dump(out, indent, level + 1, utf8);
      separator();
    }
  } else {
    for (const Json& value : *arr_) {
      out->append(inner, ' ');
      value.Dump(out, indent, level + 1, utf8);
      separator();
    }
  }
  if (pretty) out->append(static_cast<size_t>(indent) * static_cast<size_t>(level), ' ');
  out->push_back(is_obj ? '}' : ']');
}

// ---------------------------------------------------------------- parsing entry points

bool ParseJsonText(std::string_view text, const JsonLimits& limits, Json* out, std::string* error,
                   bool* limit_exceeded) {
  Json result;
  Parser parser(text, limits);
  if (!parser.Parse(&result, error, limit_exceeded)) return false;
  *out = std::move(result);
  return true;
}

Status ParseJson(std::string_view text, std::string_view what, const JsonLimits& limits,
                 Json* out) {
  try {
    std::string error;
    bool limit = false;
    if (!ParseJsonText(text, limits, out, &error, &limit)) {
      return InvalidModel(std::string(what) + (limit ? " " : " is not valid JSON: ") + error);
    }
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory parsing " + std::string(what));
  }
  return Status::Ok();
}

}  // namespace hb
