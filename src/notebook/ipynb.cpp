// SPDX-License-Identifier: MIT
// Reader for Jupyter .ipynb files, nbformat 2 to 4.5.
// Source: the nbformat JSON schemas (nbformat/v3/nbformat.v3.schema.json, v4/nbformat.v4.5.schema.json) and
// nbformat's own v2/v3 readers, which share the worksheets layout. Nothing is assumed valid: a field of the
// wrong type is treated as absent, so schema-invalid files still read.
//
// Why simdjson: notebooks carry megabytes of base64 images and HTML that a judge only needs the size of.
// nlohmann::json lexes such strings one character at a time (about 0.2 s for the 12 MB shared corpus, most of
// `judge eval`); simdjson's DOM parser validates and indexes the same text in about 15 ms, and hands out
// string_views, so a payload is measured without being copied.
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"
#include "judge/util/text.hpp"
#include "readers.hpp"

namespace judge::notebook {
namespace {

namespace dom = simdjson::dom;

// Member `key` of `object`; nullopt when `object` is not an object or has no such member.
std::optional<dom::element> member(dom::element object, std::string_view key) {
  dom::element value;
  if (object.at_key(key).get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

// String member, or "" when absent or not a string.
std::string_view string_member(dom::element object, std::string_view key) {
  std::string_view text;
  const auto value = member(object, key);
  if (!value || value->get_string().get(text) != simdjson::SUCCESS) return {};
  return text;
}

// Integer member in int range, or nullopt.
std::optional<int> int_member(dom::element object, std::string_view key) {
  std::int64_t n = 0;
  const auto value = member(object, key);
  if (!value || value->get_int64().get(n) != simdjson::SUCCESS) return std::nullopt;
  return static_cast<int>(std::clamp<std::int64_t>(n, INT32_MIN, INT32_MAX));
}

// nbformat "multiline string": a string or a list of strings. v4 lists are joined as they are; v2/v3 lists
// written by splitlines() have no line ends, so they are joined with '\n' (nbformat v3 rwbase._join_lines).
std::string multiline(std::optional<dom::element> value, int major) {
  std::string_view text;
  if (!value) return {};
  if (value->get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  dom::array parts;
  if (value->get_array().get(parts) != simdjson::SUCCESS) return {};
  std::string out;
  bool first = true, add_newlines = false;
  for (dom::element part : parts) {
    if (part.get_string().get(text) != simdjson::SUCCESS) continue;
    if (first) add_newlines = major < 4 && !util::ends_with(text, "\n") && !util::ends_with(text, "\r");
    if (add_newlines && !first) out.push_back('\n');
    out.append(text);
    first = false;
  }
  return out;
}

// Size in bytes of a multiline value, without joining it.
std::size_t multiline_size(dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return text.size();
  std::size_t n = 0;
  dom::array parts;
  if (value.get_array().get(parts) == simdjson::SUCCESS)
    for (dom::element part : parts)
      if (part.get_string().get(text) == simdjson::SUCCESS) n += text.size();
  return n;
}

std::string size_text(std::size_t bytes) {
  char buf[64];
  if (bytes >= 1024 * 1024)
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  else
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  return buf;
}

std::string clean(const std::string& text, const ReadOptions& options) {
  return util::truncate_utf8(util::strip_ansi(text), options.max_output_chars);
}

struct MimeValue {
  std::string mime;
  dom::element value;
};

// Text for a mime bundle: text/plain when present, then one placeholder per other type with its size.
// Base64 payloads (images other than SVG, PDF) are counted as their decoded size (3/4 of the text).
std::string bundle_text(const std::vector<MimeValue>& bundle, int major, const ReadOptions& options) {
  std::string text, placeholders;
  for (const auto& [mime, value] : bundle) {
    if (mime == "text/plain") {
      text = clean(multiline(value, major), options);
      continue;
    }
    const bool binary =
        (util::starts_with(mime, "image/") && mime != "image/svg+xml") || mime == "application/pdf";
    const std::size_t size = multiline_size(value);
    if (!placeholders.empty()) placeholders += "\n";
    placeholders += "[" + mime + " output, " + size_text(binary ? size * 3 / 4 : size) + "]";
  }
  if (text.empty()) return placeholders;
  return placeholders.empty() ? text : text + "\n" + placeholders;
}

Output read_output(dom::element o, int major, const ReadOptions& options) {
  Output out;
  out.kind = std::string(string_member(o, "output_type"));
  if (out.kind.empty()) out.kind = "unknown";
  if (major < 4) {  // v3 names: pyout -> execute_result, pyerr -> error, display_data keeps mime keys inline
    if (out.kind == "pyout") out.kind = "execute_result";
    if (out.kind == "pyerr") out.kind = "error";
  }
  if (out.kind == "stream") {
    out.text = clean(multiline(member(o, "text"), major), options);
  } else if (out.kind == "error") {
    out.ename = std::string(string_member(o, "ename"));
    out.evalue = util::strip_ansi(string_member(o, "evalue"));
    std::string traceback;
    dom::array lines;
    if (const auto tb = member(o, "traceback"); tb && tb->get_array().get(lines) == simdjson::SUCCESS)
      for (dom::element line : lines) {
        std::string_view text;
        if (line.get_string().get(text) == simdjson::SUCCESS) traceback.append(text).push_back('\n');
      }
    out.text = clean(traceback.empty() ? out.ename + ": " + out.evalue : traceback, options);
  } else if (major >= 4) {
    dom::object data;
    if (const auto d = member(o, "data"); d && d->get_object().get(data) == simdjson::SUCCESS) {
      std::vector<MimeValue> bundle;
      for (dom::key_value_pair kv : data) bundle.push_back({std::string(kv.key), kv.value});
      out.text = bundle_text(bundle, major, options);
    } else if (const auto text = member(o, "text")) {  // schema-invalid type ("bad stream") that carries text
      out.text = clean(multiline(text, major), options);
    }
  } else {  // v3: mime data inline with short keys ("text", "png", "html", ...)
    std::vector<MimeValue> bundle;
    dom::object fields;
    if (o.get_object().get(fields) == simdjson::SUCCESS)
      for (dom::key_value_pair kv : fields) {
        const std::string_view k = kv.key;
        if (k == "output_type" || k == "metadata" || k == "prompt_number") continue;
        std::string mime = "text/" + std::string(k);
        if (k == "text") mime = "text/plain";
        if (k == "png" || k == "jpeg" || k == "gif") mime = "image/" + std::string(k);
        if (k == "svg") mime = "image/svg+xml";
        bundle.push_back({std::move(mime), kv.value});
      }
    out.text = bundle_text(bundle, major, options);
  }
  return out;
}

// language_info.name, else kernelspec.language, else guessed from the kernel name; "pyspark"/"python3" are
// "python". Empty when unknown.
std::string notebook_language(dom::element meta) {
  const auto info = member(meta, "language_info");
  const auto kernel = member(meta, "kernelspec");
  std::string language = info ? util::to_lower(string_member(*info, "name")) : "";
  if (language.empty() && kernel) language = util::to_lower(string_member(*kernel, "language"));
  if (language.empty() && kernel) {
    const std::string name = util::to_lower(string_member(*kernel, "name"));
    if (name == "ir") language = "r";
    if (name.find("python") != std::string::npos || name.find("pyspark") != std::string::npos)
      language = "python";
  }
  if (util::starts_with(language, "python") || language == "pyspark") language = "python";
  return language;
}

void read_cells(std::optional<dom::element> cells, int major, Notebook& nb, const ReadOptions& options) {
  dom::array list;
  if (!cells || cells->get_array().get(list) != simdjson::SUCCESS) return;
  for (dom::element c : list) {
    if (!c.is_object()) continue;
    Cell cell;
    cell.number = static_cast<int>(nb.cells.size()) + 1;
    const std::string_view type = string_member(c, "cell_type");
    if (type == "markdown" || type == "heading") {  // heading: v3 (and schema-invalid v4)
      cell.type = CellType::markdown;
    } else if (type == "raw" || type == "raw_cell") {
      cell.type = CellType::raw;
    }
    const char* source_key = (major < 4 && cell.type == CellType::code) ? "input" : "source";
    cell.source = multiline(member(c, source_key), major);
    if (type == "heading")
      cell.source =
          std::string(static_cast<std::size_t>(std::clamp(int_member(c, "level").value_or(1), 1, 6)), '#') +
          " " + cell.source;
    if (cell.type == CellType::code && util::starts_with(cell.source, "%%")) {  // IPython cell magic
      const std::size_t end = cell.source.find_first_of(" \t\r\n");
      cell.magic = cell.source.substr(2, end == std::string::npos ? std::string::npos : end - 2);
    }
    if (const auto meta = member(c, "metadata"))  // Databricks' ipynb export keeps the cell title here
      if (const auto db = member(*meta, "application/vnd.databricks.v1+cell"))
        cell.title = std::string(string_member(*db, "title"));
    cell.execution_count = int_member(c, major < 4 ? "prompt_number" : "execution_count");
    dom::array outs;
    if (const auto o = member(c, "outputs");
        cell.type == CellType::code && o && o->get_array().get(outs) == simdjson::SUCCESS) {
      const std::size_t total = outs.size();
      std::size_t seen = 0;
      for (dom::element out : outs) {
        if (cell.outputs.size() >= options.max_outputs_per_cell) {
          cell.outputs.push_back(
              {"stream", "[" + std::to_string(total - seen) + " more outputs omitted]", "", ""});
          break;
        }
        ++seen;
        if (out.is_object()) cell.outputs.push_back(read_output(out, major, options));
      }
    }
    nb.cells.push_back(std::move(cell));
  }
}

// Where nlohmann::json's parser stops reading `text` (the byte count of its parse_error, one past the
// offending character), without building the document: a DOM of a 200 MB notebook truncated at its end took
// 18 s and 600 MB more memory, reading it with no-op SAX callbacks 4.5 s and none. nullopt: it is JSON.
struct ErrorPlace final : nlohmann::json_sax<nlohmann::json> {
  std::optional<std::size_t> byte;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::json::exception&) override {
    byte = position;
    return false;
  }
};

// Where `text` stops being JSON, for the message of a notebook simdjson refused (it reports no position):
// " at line L, column C" (1-based; the column counts UTF-8 characters, as an editor does, and a CRLF line's
// CR ends it), or, when nothing but white space follows that point, that the file may be truncated.
// Only on this error path, so the second parse costs nothing on good files.
std::string json_error_place(const std::string& text) {
  ErrorPlace place;
  try {
    nlohmann::json::sax_parse(text, &place);
  } catch (const std::exception&) {
    return "";
  }
  if (!place.byte) return "";  // nlohmann::json reads it (simdjson is stricter): no place to name
  const std::size_t at = std::min<std::size_t>(*place.byte == 0 ? 0 : *place.byte - 1, text.size());
  if (util::trim(std::string_view(text).substr(at)).empty()) return " (is the file truncated?)";
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++column;
    }
  }
  return " at line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

Sniff detail::sniff_ipynb(std::string_view text) {
  const std::string_view trimmed = util::trim(text);
  return !trimmed.empty() && trimmed.front() == '{' ? Sniff::maybe : Sniff::no;
}

Notebook parse_ipynb(const std::string& text, const std::string& name, const ReadOptions& options) {
  thread_local dom::parser parser;  // reused: its buffers grow to the largest notebook read so far
  dom::element doc;
  if (const auto error = parser.parse(text).get(doc); error != simdjson::SUCCESS) {
    if (error == simdjson::UTF8_ERROR) throw Error(name + ": not valid JSON (the text is not valid UTF-8)");
    if (error == simdjson::EMPTY) throw Error(name + ": empty file, not a notebook");
    if (error == simdjson::DEPTH_ERROR)
      throw Error(name + ": not valid JSON for this reader: nested deeper than " +
                  std::to_string(simdjson::DEFAULT_MAX_DEPTH) + " levels");
    throw Error(name + ": not valid JSON" + json_error_place(text));
  }
  if (!doc.is_object()) throw Error(name + ": not a notebook (top level is not a JSON object)");
  const std::optional<int> major = int_member(doc, "nbformat");
  if (!major) throw Error(name + ": not a notebook (no integer \"nbformat\" field)");
  if (*major < 2 || *major > 4)
    throw Error(name + ": unsupported nbformat " + std::to_string(*major) + " (2 to 4 are read)");
  Notebook nb;
  nb.path = name;
  nb.format = Format::ipynb;
  nb.nbformat = std::to_string(*major);
  nb.nbformat += '.';
  nb.nbformat += std::to_string(int_member(doc, "nbformat_minor").value_or(0));
  if (const auto meta = member(doc, "metadata")) {
    nb.language = notebook_language(*meta);
    nb.databricks_export = member(*meta, "application/vnd.databricks.v1+notebook").has_value();
  }
  if (*major >= 4) {
    const auto cells = member(doc, "cells");
    if (!cells || !cells->is_array()) throw Error(name + ": nbformat 4 notebook without a \"cells\" list");
    read_cells(cells, *major, nb, options);
  } else {
    dom::array worksheets;
    if (const auto ws = member(doc, "worksheets"); ws && ws->get_array().get(worksheets) == simdjson::SUCCESS)
      for (dom::element sheet : worksheets) read_cells(member(sheet, "cells"), *major, nb, options);
    if (nb.language.empty()) nb.language = "python";
  }
  return nb;
}

}  // namespace judge::notebook
