// SPDX-License-Identifier: MIT
#include "judge/llm/pricing.hpp"

#include <nlohmann/json.hpp>

#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"

namespace judge::llm {

PriceTable PriceTable::builtin() {
  // Public list prices in USD per million tokens (input, output) as published by OpenAI and Anthropic in
  // 2025; override with --prices FILE when they change or for other models.
  PriceTable t;
  t.set("gpt-4.1", {2.00, 8.00});
  t.set("gpt-4.1-mini", {0.40, 1.60});
  t.set("gpt-4.1-nano", {0.10, 0.40});
  t.set("gpt-4o", {2.50, 10.00});
  t.set("gpt-4o-mini", {0.15, 0.60});
  t.set("o3", {2.00, 8.00});
  t.set("o4-mini", {1.10, 4.40});
  t.set("claude-opus-4-1", {15.00, 75.00});
  t.set("claude-sonnet-4-5", {3.00, 15.00});
  t.set("claude-sonnet-4-0", {3.00, 15.00});
  t.set("claude-haiku-4-5", {1.00, 5.00});
  t.set("claude-3-5-haiku-latest", {0.80, 4.00});
  return t;
}

void PriceTable::load_file(const std::filesystem::path& path) {
  const std::string text = util::read_file(path);
  const auto j = nlohmann::json::parse(text, nullptr, false);
  const std::string where = path.string() + ": ";
  if (j.is_discarded() || !j.is_object())
    throw Error(where + "not a JSON object (see docs/cache.md, \"Cost\")");
  if (!j.contains("schema_version") || j["schema_version"] != 1)  // compared as JSON, never cast to int
    throw Error(where + "schema_version must be 1");
  if (!j.contains("prices") || !j["prices"].is_object()) throw Error(where + "\"prices\" must be an object");
  for (const auto& [name, entry] : j["prices"].items()) {
    if (!entry.is_object() || !entry.contains("input_per_million") || !entry.contains("output_per_million") ||
        !entry["input_per_million"].is_number() || !entry["output_per_million"].is_number())
      throw Error(where + "prices." + name + " needs numbers input_per_million and output_per_million");
    set(name, {entry["input_per_million"].get<double>(), entry["output_per_million"].get<double>()});
  }
}

std::optional<Price> PriceTable::find(const std::string& spec) const {
  if (auto it = m_prices.find(spec); it != m_prices.end()) return it->second;
  const auto colon = spec.find(':');
  if (colon != std::string::npos)
    if (auto it = m_prices.find(spec.substr(colon + 1)); it != m_prices.end()) return it->second;
  return std::nullopt;
}

double PriceTable::cost(const Price& price, long input, long output) {
  return (static_cast<double>(input) * price.input_per_million +
          static_cast<double>(output) * price.output_per_million) /
         1e6;
}

}  // namespace judge::llm
