// SPDX-License-Identifier: MIT
// Reader for Databricks .dbc archives (Workspace > Export > DBC Archive). Layout, as found in exported
// archives: a zip whose members are JSON. Folder members ("NAME/") hold {"version": "FolderV1", ...};
// "manifest.mf" holds
// {"version": "Manifest"}; each notebook member ("folder/NAME.python", ".scala", ".sql", ".r") holds
//   {"version": "NotebookV1", "name", "language", "commands": [{"command": TEXT, "position": NUMBER,
//    "commandTitle": TEXT, "results": null | {"type": "html"|"text"|"raw"|"table"|"image"..., "data": ...},
//    "error": null | TEXT, "errorSummary": null | TEXT, ...}]}
// Commands are shown in "position" order; a command's text starts with its magic ("%md ...", "%sql ...") when
// it is not in the notebook's language. Folder members may also embed their notebooks as "children": those
// are copies of the notebook members and are not read twice.
#include "judge/notebook/dbc.hpp"

#include <simdjson.h>
#include <zip.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "judge/util/text.hpp"
#include "magic.hpp"

namespace judge::notebook {
namespace {

namespace dom = simdjson::dom;

// Members larger than this are refused rather than inflated (a zip bomb would otherwise exhaust memory).
constexpr zip_uint64_t k_max_member_bytes = 256ull * 1024 * 1024;

// String member of `object`, or "" when absent or not a string.
std::string string_field(dom::element object, std::string_view key) {
  std::string_view text;
  if (object.at_key(key).get_string().get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

// Text of an HTML fragment: tags removed, the five XML entities decoded. Databricks stores printed output and
// error messages as HTML (<div class="ansiout">...</div>).
std::string html_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '<') {
      const std::size_t close = html.find('>', i);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    if (html[i] == '&') {
      static constexpr std::pair<std::string_view, char> k_entities[] = {
          {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}};
      bool decoded = false;
      for (const auto& [entity, c] : k_entities)
        if (html.substr(i, entity.size()) == entity) {
          out.push_back(c);
          i += entity.size() - 1;
          decoded = true;
          break;
        }
      if (decoded) continue;
    }
    out.push_back(html[i]);
  }
  return out;
}

std::string clean(std::string_view text, const ReadOptions& options) {
  return util::truncate_utf8(util::strip_ansi(text), options.max_output_chars);
}

void read_results(dom::element command, Cell& cell, const ReadOptions& options) {
  dom::element results;
  if (command.at_key("results").get(results) == simdjson::SUCCESS && results.is_object()) {
    const std::string type = string_field(results, "type");
    dom::element data;
    const bool has_data = results.at_key("data").get(data) == simdjson::SUCCESS;
    Output out;
    out.kind = "display_data";
    std::string_view text;
    if (type == "table" && has_data && data.is_array()) {
      out.text = "[table output, " + std::to_string(dom::array(data).size()) + " rows]";
    } else if (has_data && data.get_string().get(text) == simdjson::SUCCESS) {
      const bool html = util::starts_with(type, "html");
      if (!html) out.kind = "stream";
      out.text = clean(html ? html_text(text) : text, options);
    } else if (!type.empty()) {
      out.text = "[" + type + " output]";
    }
    if (!out.text.empty()) cell.outputs.push_back(std::move(out));
  }
  std::string error = string_field(command, "errorSummary");
  if (error.empty()) error = string_field(command, "error");
  if (!error.empty()) {
    Output out;
    out.kind = "error";
    out.text = clean(html_text(error), options);
    const std::string_view first = util::split_lines(out.text).front();
    const std::size_t colon = first.find(':');
    if (colon != std::string_view::npos && first.substr(0, colon).find(' ') == std::string_view::npos) {
      out.ename = std::string(first.substr(0, colon));
      out.evalue = std::string(util::trim(first.substr(colon + 1)));
    }
    cell.outputs.push_back(std::move(out));
  }
}

Notebook parse_notebook(dom::element doc, const std::string& name, const ReadOptions& options) {
  Notebook nb;
  nb.path = name;
  nb.format = Format::dbc;
  nb.language = util::to_lower(string_field(doc, "language"));
  std::vector<std::pair<double, dom::element>> commands;  // (position, command)
  dom::array list;
  if (doc.at_key("commands").get_array().get(list) == simdjson::SUCCESS)
    for (dom::element c : list) {
      double position = 0;
      if (!c.is_object()) continue;
      if (c.at_key("position").get_double().get(position) != simdjson::SUCCESS) position = 0;
      commands.emplace_back(position, c);
    }
  std::stable_sort(commands.begin(), commands.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [position, c] : commands) {
    Cell cell;
    cell.number = static_cast<int>(nb.cells.size()) + 1;
    detail::set_cell_text(cell, string_field(c, "command"));
    cell.title = string_field(c, "commandTitle");
    if (cell.type == CellType::code) read_results(c, cell, options);
    nb.cells.push_back(std::move(cell));
  }
  return nb;
}

// Reads member `index` whole; returns false with `error` set when it cannot.
bool read_member(zip_t* zip, zip_uint64_t index, std::string& bytes, std::string& error) {
  zip_stat_t st;
  if (zip_stat_index(zip, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
    error = "cannot read the member's size";
    return false;
  }
  if (st.size > k_max_member_bytes) {
    error = "member is larger than 256 MiB uncompressed";
    return false;
  }
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(zip, index, 0), zip_fclose);
  if (!file) {
    error = std::string("cannot open the member: ") + zip_strerror(zip);
    return false;
  }
  bytes.resize(st.size);
  zip_uint64_t done = 0;
  while (done < st.size) {
    const zip_int64_t n = zip_fread(file.get(), bytes.data() + done, st.size - done);
    if (n <= 0) {
      error = std::string("cannot inflate the member: ") + zip_file_strerror(file.get());
      return false;
    }
    done += static_cast<zip_uint64_t>(n);
  }
  return true;
}

}  // namespace

ReadResult read_dbc(const std::filesystem::path& path, const ReadOptions& options) {
  ReadResult result;
  const std::string archive = path.string();
  int code = 0;
  std::unique_ptr<zip_t, decltype(&zip_discard)> zip(zip_open(archive.c_str(), ZIP_RDONLY, &code),
                                                     zip_discard);
  if (!zip) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    result.errors.push_back(
        {archive, "not a readable .dbc archive (" + std::string(zip_error_strerror(&error)) + ")"});
    zip_error_fini(&error);
    return result;
  }
  dom::parser parser;  // reused for every member
  const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* raw_name = zip_get_name(zip.get(), static_cast<zip_uint64_t>(i), 0);
    const std::string member = raw_name ? raw_name : "";
    if (member.empty() || member.back() == '/') continue;  // folders
    const std::string name = archive + "!/" + member;
    std::string bytes, error;
    if (!read_member(zip.get(), static_cast<zip_uint64_t>(i), bytes, error)) {
      result.errors.push_back({name, error});
      continue;
    }
    dom::element doc;
    if (parser.parse(bytes).get(doc) != simdjson::SUCCESS || !doc.is_object()) {
      result.errors.push_back({name, "not a Databricks notebook (member is not a JSON object)"});
      continue;
    }
    if (string_field(doc, "version") != "NotebookV1")
      continue;  // manifest, folder or other workspace objects
    result.notebooks.push_back(parse_notebook(doc, name, options));
  }
  std::sort(result.notebooks.begin(), result.notebooks.end(),
            [](const Notebook& a, const Notebook& b) { return a.path < b.path; });
  if (result.notebooks.empty() && result.errors.empty())
    result.errors.push_back({archive, "no notebooks in the .dbc archive"});
  return result;
}

}  // namespace judge::notebook
