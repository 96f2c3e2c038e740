// SPDX-License-Identifier: MIT
#include "judge/stats/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <thread>

#include "judge/stats/metrics.hpp"

namespace judge::stats {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

/// Mean of the non-NaN values; NaN when there are none.
double mean_of_defined(std::span<const double> values) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : k_nan;
}

/// An ItemTable stored dimension-major, for resampling: a resample's ratio for one dimension is then two dot
/// products of contiguous rows with the items' draw counts. `complete` = every item has exactly one pair on
/// every dimension, so the count is the number of draws and needs no dot product.
struct Columns {
  std::size_t items = 0, dims = 0;
  std::vector<double> sum, count;  // [dim * items + item]
  bool complete = true;
  explicit Columns(const ItemTable& t)
      : items(t.items), dims(t.dims), sum(t.sum.size()), count(t.count.size()) {
    for (std::size_t i = 0; i < items; ++i)
      for (std::size_t d = 0; d < dims; ++d) {
        sum[d * items + i] = t.sum[i * dims + d];
        count[d * items + i] = t.count[i * dims + d];
        complete = complete && t.count[i * dims + d] == 1;
      }
  }
};

/// Dot product with four partial sums (lets the compiler pipeline without reassociating one long chain).
double dot(const double* a, const double* b, std::size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

/// Writes the per-dimension ratios of `c` for a resample (weights[i] = how often item i was drawn), then
/// their mean, into out[0 .. dims].
void resampled_ratios(const Columns& c, std::span<const double> weights, double* out) {
  const double draws = static_cast<double>(c.items);
  for (std::size_t d = 0; d < c.dims; ++d) {
    const double s = dot(weights.data(), &c.sum[d * c.items], c.items);
    const double n = c.complete ? draws : dot(weights.data(), &c.count[d * c.items], c.items);
    out[d] = n > 0 ? s / n : k_nan;
  }
  out[c.dims] = mean_of_defined({out, c.dims});
}

/// The resampling loop: B resamples of `items` draws each; resample b uses rng.substream(b), turns its draws
/// into per-item counts and writes `width` values at out[b * width] through `statistic(weights, out,
/// scratch)` (scratch: width doubles). Threads take contiguous ranges of b.
using Statistic = std::function<void(std::span<const double>, double*, double*)>;
std::vector<double> resample(std::size_t items, std::size_t width, const BootstrapOptions& options,
                             const Rng& rng, const Statistic& statistic) {
  const std::size_t b_total = options.resamples;
  std::vector<double> out(b_total * width, k_nan);
  if (items == 0) return out;
  const bool small = items < (std::size_t{1} << 32);
  auto work = [&](std::size_t begin, std::size_t end) {
    std::vector<double> weights(items);
    std::vector<double> scratch(width);
    for (std::size_t b = begin; b < end; ++b) {
      Rng r = rng.substream(b);
      std::fill(weights.begin(), weights.end(), 0.0);
      if (small)
        for (std::size_t k = 0; k < items; ++k) weights[r.below32(static_cast<std::uint32_t>(items))] += 1;
      else
        for (std::size_t k = 0; k < items; ++k) weights[r.below(items)] += 1;
      statistic(weights, &out[b * width], scratch.data());
    }
  };
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  // Automatic threading only for real work: below ~1M draws one thread is faster than starting more.
  if (!options.threads && b_total * items * width < 1'000'000) threads = 1;
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, b_total));
  if (threads <= 1) {
    work(0, b_total);
    return out;
  }
  std::vector<std::thread> pool;
  const std::size_t chunk = (b_total + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const std::size_t begin = t * chunk, end = std::min(b_total, begin + chunk);
    if (begin < end) pool.emplace_back(work, begin, end);
  }
  for (auto& th : pool) th.join();
  return out;
}

/// Percentile intervals of each of the `width` columns of the resampled statistics (NaNs left out).
BootstrapIntervals intervals(const std::vector<double>& values, std::size_t width, double confidence) {
  BootstrapIntervals result;
  const std::size_t b_total = values.size() / width;
  const double alpha = 1.0 - confidence;
  std::vector<double> column;
  column.reserve(b_total);
  for (std::size_t w = 0; w < width; ++w) {
    column.clear();
    for (std::size_t b = 0; b < b_total; ++b)
      if (const double v = values[b * width + w]; !std::isnan(v)) column.push_back(v);
    Interval iv;
    if (!column.empty()) {
      iv.low = percentile(column, alpha / 2);
      iv.high = percentile(column, 1 - alpha / 2);
    }
    (w + 1 == width ? result.mean : result.dims.emplace_back()) = iv;
  }
  return result;
}

void check_options(const BootstrapOptions& options) {
  if (options.resamples == 0) throw std::invalid_argument("bootstrap: resamples must be at least 1");
  if (!(options.confidence > 0 && options.confidence < 1))
    throw std::invalid_argument("bootstrap: confidence must be in (0, 1)");
}

}  // namespace

ItemTable::ItemTable(std::size_t items_, std::size_t dims_)
    : items(items_), dims(dims_), sum(items_ * dims_, 0.0), count(items_ * dims_, 0.0) {}

void ItemTable::add(std::size_t item, std::size_t dim, double value) {
  if (item >= items || dim >= dims) throw std::out_of_range("ItemTable::add: item or dimension out of range");
  sum[item * dims + dim] += value;
  count[item * dims + dim] += 1;
}

double ItemTable::ratio(std::size_t dim) const {
  double s = 0, c = 0;
  for (std::size_t i = 0; i < items; ++i) {
    s += sum[i * dims + dim];
    c += count[i * dims + dim];
  }
  return c > 0 ? s / c : k_nan;
}

double ItemTable::mean_ratio() const {
  std::vector<double> r(dims);
  for (std::size_t d = 0; d < dims; ++d) r[d] = ratio(d);
  return mean_of_defined(r);
}

ItemTable abs_error_table(std::span<const Observation> observations, std::size_t items, std::size_t dims) {
  ItemTable t(items, dims);
  for (const auto& o : observations) t.add(o.item, o.dim, std::fabs(o.judge - o.human));
  return t;
}

BootstrapIntervals bootstrap_ratio(const ItemTable& table, const BootstrapOptions& options, const Rng& rng) {
  check_options(options);
  const std::size_t width = table.dims + 1;
  const Columns columns(table);
  const auto values =
      resample(table.items, width, options, rng, [&](std::span<const double> weights, double* out, double*) {
        resampled_ratios(columns, weights, out);
      });
  return intervals(values, width, options.confidence);
}

BootstrapIntervals paired_bootstrap(const ItemTable& a, const ItemTable& b, const BootstrapOptions& options,
                                    const Rng& rng) {
  check_options(options);
  if (a.items != b.items || a.dims != b.dims)
    throw std::invalid_argument("paired_bootstrap: the two tables differ in items or dimensions");
  const std::size_t width = a.dims + 1;
  const Columns ca(a), cb(b);
  const auto values = resample(a.items, width, options, rng,
                               [&](std::span<const double> weights, double* out, double* other) {
                                 resampled_ratios(ca, weights, out);
                                 resampled_ratios(cb, weights, other);
                                 for (std::size_t w = 0; w < width; ++w) out[w] -= other[w];
                               });
  return intervals(values, width, options.confidence);
}

BootstrapIntervals bootstrap_mae(std::span<const Observation> observations, std::size_t items,
                                 std::size_t dims, const BootstrapOptions& options, const Rng& rng) {
  return bootstrap_ratio(abs_error_table(observations, items, dims), options, rng);
}

BootstrapIntervals paired_bootstrap_mae(std::span<const Observation> a, std::span<const Observation> b,
                                        std::size_t items, std::size_t dims, const BootstrapOptions& options,
                                        const Rng& rng) {
  return paired_bootstrap(abs_error_table(a, items, dims), abs_error_table(b, items, dims), options, rng);
}

}  // namespace judge::stats
