// SPDX-License-Identifier: MIT
// Reader for Databricks .dbc archives (Workspace > Export > DBC Archive). Layout, as found in exported archives:
// a zip whose members are JSON. Folder members ("NAME/") hold {"version": "FolderV1", ...}; "manifest.mf" holds
// {"version": "Manifest"}; each notebook member ("folder/NAME.python", ".scala", ".sql", ".r") holds
//   {"version": "NotebookV1", "name", "language", "commands": [{"command": TEXT, "position": NUMBER,
//    "commandTitle": TEXT, "results": null | {"type": "html"|"text"|"raw"|"table"|"image"..., "data": ...},
//    "error": null | TEXT, "errorSummary": null | TEXT, ...}]}
// Commands are shown in "position" order; a command's text starts with its magic ("%md ...", "%sql ...") when it
// is not in the notebook's language. Folder members may also embed their notebooks as "children": those are
// copies of the notebook members and are not read twice.
#include <zip.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "judge/notebook/dbc.hpp"
#include "judge/util/text.hpp"
#include "magic.hpp"

namespace judge::notebook {
namespace {

using nlohmann::json;

// Members larger than this are refused rather than inflated (a zip bomb would otherwise exhaust memory).
constexpr zip_uint64_t k_max_member_bytes = 256ull * 1024 * 1024;

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
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

void read_results(const json& command, Cell& cell, const ReadOptions& options) {
  const auto results = command.find("results");
  if (results != command.end() && results->is_object()) {
    const std::string type = string_field(*results, "type");
    const auto data = results->find("data");
    Output out;
    out.kind = "display_data";
    if (type == "table" && data != results->end() && data->is_array()) {
      out.text = "[table output, " + std::to_string(data->size()) + " rows]";
    } else if (data != results->end() && data->is_string()) {
      const std::string& text = data->get_ref<const std::string&>();
      const bool html = type.rfind("html", 0) == 0;
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

Notebook parse_notebook(const json& doc, const std::string& name, const ReadOptions& options) {
  Notebook nb;
  nb.path = name;
  nb.format = "dbc";
  nb.language = util::to_lower(string_field(doc, "language"));
  std::vector<const json*> commands;
  if (const auto it = doc.find("commands"); it != doc.end() && it->is_array())
    for (const auto& c : *it)
      if (c.is_object()) commands.push_back(&c);
  auto position = [](const json* c) {
    const auto it = c->find("position");
    return it != c->end() && it->is_number() ? it->get<double>() : 0.0;
  };
  std::stable_sort(commands.begin(), commands.end(),
                   [&](const json* a, const json* b) { return position(a) < position(b); });
  for (const json* c : commands) {
    Cell cell;
    cell.number = static_cast<int>(nb.cells.size()) + 1;
    detail::set_cell_text(cell, string_field(*c, "command"));
    cell.title = string_field(*c, "commandTitle");
    if (cell.type == CellType::code) read_results(*c, cell, options);
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
  std::unique_ptr<zip_t, decltype(&zip_discard)> zip(zip_open(archive.c_str(), ZIP_RDONLY, &code), zip_discard);
  if (!zip) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    result.errors.push_back(archive + ": not a readable .dbc archive (" + zip_error_strerror(&error) + ")");
    zip_error_fini(&error);
    return result;
  }
  const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* raw_name = zip_get_name(zip.get(), static_cast<zip_uint64_t>(i), 0);
    const std::string member = raw_name ? raw_name : "";
    if (member.empty() || member.back() == '/') continue;  // folders
    const std::string name = archive + "!/" + member;
    std::string bytes, error;
    if (!read_member(zip.get(), static_cast<zip_uint64_t>(i), bytes, error)) {
      result.errors.push_back(name + ": " + error);
      continue;
    }
    const json doc = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded() || !doc.is_object()) {
      result.errors.push_back(name + ": not a Databricks notebook (member is not a JSON object)");
      continue;
    }
    if (string_field(doc, "version") != "NotebookV1") continue;  // manifest, folder or other workspace objects
    result.notebooks.push_back(parse_notebook(doc, name, options));
  }
  std::sort(result.notebooks.begin(), result.notebooks.end(),
            [](const Notebook& a, const Notebook& b) { return a.path < b.path; });
  if (result.notebooks.empty() && result.errors.empty())
    result.errors.push_back(archive + ": no notebooks in the .dbc archive");
  return result;
}

}  // namespace judge::notebook
