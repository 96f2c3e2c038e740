// SPDX-License-Identifier: MIT
// Reader for Jupyter .ipynb files, nbformat 2 to 4.5.
// Source: the nbformat JSON schemas (nbformat/v3/nbformat.v3.schema.json, v4/nbformat.v4.5.schema.json) and
// nbformat's own v2/v3 readers, which share the worksheets layout.
#include <nlohmann/json.hpp>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"

namespace judge::notebook {
namespace {

using nlohmann::json;

// nbformat "multiline string": a string or a list of strings. v4 lists are joined as they are; v2/v3 lists
// written by splitlines() have no line ends, so they are joined with '\n' (nbformat v3 rwbase._join_lines).
std::string multiline(const json& value, int major) {
  if (value.is_string()) return value.get<std::string>();
  std::string out;
  if (!value.is_array()) return out;
  const bool add_newlines = major < 4 && !value.empty() && value.front().is_string() &&
                            !util::ends_with(value.front().get_ref<const std::string&>(), "\n") &&
                            !util::ends_with(value.front().get_ref<const std::string&>(), "\r");
  for (const auto& part : value) {
    if (!part.is_string()) continue;
    if (add_newlines && !out.empty()) out.push_back('\n');
    out += part.get_ref<const std::string&>();
  }
  return out;
}

// Size in bytes of a multiline value without joining it (payloads of images can be megabytes).
std::size_t multiline_size(const json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>().size();
  std::size_t n = 0;
  if (value.is_array())
    for (const auto& part : value)
      if (part.is_string()) n += part.get_ref<const std::string&>().size();
  return n;
}

std::string size_text(std::size_t bytes) {
  char buf[64];
  if (bytes >= 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024.0));
  else
    std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024.0);
  return buf;
}

// Text for a mime bundle: text/plain when present; otherwise a placeholder naming the richest type and size.
// Base64 payloads are counted as their decoded size (3/4 of the text).
std::string bundle_text(const json& data, int major, const ReadOptions& options) {
  std::string placeholders;
  for (auto it = data.begin(); it != data.end(); ++it) {
    const std::string& mime = it.key();
    if (mime == "text/plain") continue;
    const bool binary = (mime.rfind("image/", 0) == 0 && mime != "image/svg+xml") || mime == "application/pdf";
    const std::size_t size = multiline_size(it.value());
    const std::size_t bytes = binary ? size * 3 / 4 : size;
    if (!placeholders.empty()) placeholders += "\n";
    placeholders += "[" + mime + " output, " + size_text(bytes) + "]";
  }
  if (data.contains("text/plain")) {
    std::string text = util::truncate_utf8(util::strip_ansi(multiline(data["text/plain"], major)), options.max_output_chars);
    return placeholders.empty() ? text : text + "\n" + placeholders;
  }
  return placeholders;
}

Output read_output(const json& o, int major, const ReadOptions& options) {
  Output out;
  out.kind = o.value("output_type", std::string("unknown"));
  if (major < 4) {  // v3 names: pyout -> execute_result, pyerr -> error, display_data keeps mime keys inline
    if (out.kind == "pyout") out.kind = "execute_result";
    if (out.kind == "pyerr") out.kind = "error";
  }
  if (out.kind == "stream") {
    const json& text = o.contains("text") ? o["text"] : json();
    out.text = util::truncate_utf8(util::strip_ansi(multiline(text, major)), options.max_output_chars);
  } else if (out.kind == "error") {
    out.ename = o.value("ename", std::string());
    out.evalue = util::strip_ansi(o.contains("evalue") && o["evalue"].is_string() ? o["evalue"].get<std::string>() : "");
    std::string tb;
    if (o.contains("traceback") && o["traceback"].is_array())
      for (const auto& line : o["traceback"])
        if (line.is_string()) tb += line.get_ref<const std::string&>() + "\n";
    out.text = util::truncate_utf8(util::strip_ansi(tb.empty() ? out.ename + ": " + out.evalue : tb),
                                   options.max_output_chars);
  } else if (major >= 4) {
    if (o.contains("data") && o["data"].is_object()) {
      out.text = bundle_text(o["data"], major, options);
    } else if (o.contains("text")) {  // schema-invalid output type ("bad stream") that still carries text
      out.text = util::truncate_utf8(util::strip_ansi(multiline(o["text"], major)), options.max_output_chars);
    }
  } else {  // v3: mime data inline with short keys ("text", "png", "html", ...)
    json data = json::object();
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string& k = it.key();
      if (k == "output_type" || k == "metadata" || k == "prompt_number") continue;
      if (k == "text") data["text/plain"] = it.value();
      else if (k == "png" || k == "jpeg" || k == "gif") data["image/" + k] = it.value();
      else if (k == "svg") data["image/svg+xml"] = it.value();
      else data["text/" + k] = it.value();
    }
    out.text = bundle_text(data, major, options);
  }
  return out;
}

std::string string_value(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? util::to_lower(it->get_ref<const std::string&>()) : std::string();
}

// language_info.name, else kernelspec.language, else guessed from the kernel name; "pyspark"/"python3" are
// "python". Empty when unknown.
std::string notebook_language(const json& meta) {
  const json empty = json::object();
  const auto info = meta.find("language_info");
  const auto kernel = meta.find("kernelspec");
  const json& li = info != meta.end() && info->is_object() ? *info : empty;
  const json& ks = kernel != meta.end() && kernel->is_object() ? *kernel : empty;
  std::string language = string_value(li, "name");
  if (language.empty()) language = string_value(ks, "language");
  if (language.empty()) {
    const std::string name = string_value(ks, "name");
    if (name == "ir") language = "r";
    if (name.find("python") != std::string::npos || name.find("pyspark") != std::string::npos) language = "python";
  }
  if (util::starts_with(language, "python") || language == "pyspark") language = "python";
  return language;
}

void read_cells(const json& cells, int major, Notebook& nb, const ReadOptions& options) {
  if (!cells.is_array()) return;
  for (const auto& c : cells) {
    if (!c.is_object()) continue;
    Cell cell;
    cell.number = static_cast<int>(nb.cells.size()) + 1;
    const std::string type = c.value("cell_type", std::string("code"));
    if (type == "markdown") {
      cell.type = CellType::markdown;
    } else if (type == "heading") {  // v3
      cell.type = CellType::markdown;
    } else if (type == "raw" || type == "raw_cell") {
      cell.type = CellType::raw;
    } else {
      cell.type = CellType::code;
    }
    const char* source_key = (major < 4 && cell.type == CellType::code) ? "input" : "source";
    cell.source = c.contains(source_key) ? multiline(c[source_key], major) : std::string();
    if (type == "heading") cell.source = std::string(std::max(1, c.value("level", 1)), '#') + " " + cell.source;
    if (cell.type == CellType::code && util::starts_with(cell.source, "%%")) {  // IPython cell magic
      const std::size_t end = cell.source.find_first_of(" \t\r\n");
      cell.magic = cell.source.substr(2, end == std::string::npos ? std::string::npos : end - 2);
    }
    const auto meta = c.find("metadata");  // Databricks' ipynb export keeps the cell title here
    if (meta != c.end() && meta->is_object()) {
      const auto db = meta->find("application/vnd.databricks.v1+cell");
      if (db != meta->end() && db->is_object()) cell.title = db->value("title", std::string());
    }
    const char* count_key = major < 4 ? "prompt_number" : "execution_count";
    if (c.contains(count_key) && c[count_key].is_number_integer()) cell.execution_count = c[count_key].get<int>();
    if (cell.type == CellType::code && c.contains("outputs") && c["outputs"].is_array()) {
      const auto& outs = c["outputs"];
      for (std::size_t i = 0; i < outs.size(); ++i) {
        if (cell.outputs.size() >= options.max_outputs_per_cell) {
          cell.outputs.push_back({"stream", "[" + std::to_string(outs.size() - i) + " more outputs omitted]", "", ""});
          break;
        }
        if (outs[i].is_object()) cell.outputs.push_back(read_output(outs[i], major, options));
      }
    }
    nb.cells.push_back(std::move(cell));
  }
}

}  // namespace

Notebook parse_ipynb(const std::string& text, const std::string& name, const ReadOptions& options) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) throw Error(name + ": not valid JSON (is the file truncated?)");
  if (!doc.is_object()) throw Error(name + ": not a notebook (top level is not a JSON object)");
  if (!doc.contains("nbformat") || !doc["nbformat"].is_number_integer())
    throw Error(name + ": not a notebook (no integer \"nbformat\" field)");
  const int major = doc["nbformat"].get<int>();
  if (major < 2 || major > 4) throw Error(name + ": unsupported nbformat " + std::to_string(major) + " (2 to 4 are read)");
  const int minor = doc.contains("nbformat_minor") && doc["nbformat_minor"].is_number_integer()
                        ? doc["nbformat_minor"].get<int>() : 0;
  Notebook nb;
  nb.path = name;
  nb.format = "ipynb";
  nb.nbformat = std::to_string(major) + "." + std::to_string(minor);
  if (doc.contains("metadata") && doc["metadata"].is_object()) nb.language = notebook_language(doc["metadata"]);
  if (major >= 4) {
    if (!doc.contains("cells") || !doc["cells"].is_array()) throw Error(name + ": nbformat 4 notebook without a \"cells\" list");
    read_cells(doc["cells"], major, nb, options);
  } else {
    if (doc.contains("worksheets") && doc["worksheets"].is_array())
      for (const auto& ws : doc["worksheets"])
        if (ws.is_object() && ws.contains("cells")) read_cells(ws["cells"], major, nb, options);
    if (nb.language.empty()) nb.language = "python";
  }
  return nb;
}

}  // namespace judge::notebook
