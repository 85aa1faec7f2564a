// Min / median / max of a series (one value per round).
#pragma once

#include <algorithm>
#include <vector>

namespace envoyext::bench {

struct Spread {
  double min = 0, median = 0, max = 0;
  bool empty = true;
};

inline Spread spread(std::vector<double> v) {
  Spread s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  s.min = v.front();
  s.max = v.back();
  s.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.empty = false;
  return s;
}

}  // namespace envoyext::bench
