// SPDX-License-Identifier: MIT
// The readers table and the one place that decides which reader a file gets.
#include "judge/notebook/formats.hpp"

#include <algorithm>

#include "judge/notebook/dbc.hpp"
#include "judge/util/text.hpp"
#include "readers.hpp"

namespace judge::notebook {

// Adding a format: a Format value, its file (content test, parser or archive reader) and one row here.
// Content tests run in this order; the order of the rows with a content test is also that of the "not a
// notebook" message's list.
const std::vector<Reader>& readers() {
  static const std::vector<Reader> k_readers = {
      {Format::ipynb, "ipynb", {".ipynb"}, true, detail::sniff_ipynb, "no .ipynb JSON", parse_ipynb, nullptr},
      {Format::databricks,
       "databricks",
       {".py", ".scala", ".sql", ".r"},
       false,
       detail::sniff_databricks_source,
       "no \"# Databricks notebook source\" first line",
       parse_databricks_source,
       nullptr},
      {Format::jupytext,
       "jupytext",
       {".py"},
       false,
       detail::sniff_jupytext_percent,
       "no Jupytext \"# %%\" cell marker",
       parse_jupytext_percent,
       nullptr},
      {Format::dbc, "dbc", {".dbc"}, true, nullptr, "", nullptr, read_dbc},
  };
  return k_readers;
}

const char* to_string(Format format) {
  for (const Reader& r : readers())
    if (r.format == format) return r.name;
  return "unknown";
}

namespace detail {

const Reader* detect(const std::filesystem::path& path, const std::function<std::string_view()>& text,
                     bool walking) {
  const std::string ext = util::to_lower(path.extension().string());
  auto listed = [&](const Reader& r) {
    return std::find(r.extensions.begin(), r.extensions.end(), ext) != r.extensions.end();
  };
  for (const Reader& r : readers())
    if (r.extension_decides && listed(r)) return &r;
  const Reader* maybe = nullptr;
  bool read = false;
  std::string_view content;
  for (const Reader& r : readers()) {
    if (!r.sniff || (walking && !listed(r))) continue;
    if (!read) content = text(), read = true;
    const Sniff s = r.sniff(content);
    if (s == Sniff::yes) return &r;
    if (s == Sniff::maybe && !maybe) maybe = &r;
  }
  return maybe;
}

}  // namespace detail

const Reader* detect_format(const std::filesystem::path& path, std::string_view text) {
  if (util::starts_with(text, detail::k_bom)) text.remove_prefix(detail::k_bom.size());
  return detail::detect(
      path, [text] { return text; }, false);
}

}  // namespace judge::notebook
