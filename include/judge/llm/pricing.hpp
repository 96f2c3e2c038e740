// SPDX-License-Identifier: MIT
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace judge::llm {

/// USD per million tokens.
struct Price {
  double input_per_million = 0;
  double output_per_million = 0;
};

/// Prices by model. Built-in list: public list prices of common models (see docs/cache.md, "Cost");
/// a file given with --prices adds or replaces entries.
class PriceTable {
 public:
  /// The built-in table.
  static PriceTable builtin();

  /// Adds or replaces entries from a JSON file:
  ///   {"schema_version": 1, "prices": {"MODEL or PROVIDER:MODEL": {"input_per_million": X, "output_per_million": Y}}}
  /// Throws judge::Error naming the file and the entry that is wrong.
  void load_file(const std::filesystem::path& path);

  /// The price for a spec "PROVIDER:MODEL": an entry for the whole spec, else for MODEL. nullopt: unknown.
  std::optional<Price> find(const std::string& spec) const;

  /// Cost in USD of `input` and `output` tokens at `price`.
  static double cost(const Price& price, long input, long output);

  void set(const std::string& name, Price price) { m_prices[name] = price; }

 private:
  std::map<std::string, Price> m_prices;
};

}  // namespace judge::llm
