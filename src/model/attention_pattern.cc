// AttentionPattern helpers: the global set of one sequence, and the pattern's display name.
#include "model/attention_pattern.h"

#include <algorithm>

namespace hb {

std::vector<int> AttentionPattern::GlobalsFor(int length) const {
  std::vector<int> g;
  if (length <= 0) return g;
  if (global_first_token) g.push_back(0);
  for (int p : global_positions) {
    if (p >= 0 && p < length) g.push_back(p);
  }
  std::sort(g.begin(), g.end());
  g.erase(std::unique(g.begin(), g.end()), g.end());
  return g;
}

std::string AttentionPattern::Describe() const {
  if (dense()) return "dense";
  std::string s = "sliding_window(" + std::to_string(window) + ")";
  std::vector<int> extra = global_positions;
  std::sort(extra.begin(), extra.end());
  extra.erase(std::unique(extra.begin(), extra.end()), extra.end());
  std::string g;
  if (global_first_token) g = "cls";
  for (int p : extra) {
    if (global_first_token && p == 0) continue;
    g += (g.empty() ? "" : ",") + std::to_string(p);
  }
  if (!g.empty()) s += "+global(" + g + ")";
  return s;
}

}  // namespace hb
