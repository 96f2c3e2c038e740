// SPDX-License-Identifier: MIT
#include "judge/notebook/notebook.hpp"

#include <algorithm>
#include <fstream>

#include "judge/notebook/formats.hpp"
#include "judge/util/error.hpp"
#include "judge/util/fs.hpp"
#include "judge/util/text.hpp"
#include "readers.hpp"

namespace judge::notebook {

namespace fs = std::filesystem;

const char* to_string(CellType type) {
  switch (type) {
    case CellType::code:
      return "code";
    case CellType::markdown:
      return "markdown";
    case CellType::raw:
      return "raw";
  }
  return "code";
}

std::size_t Notebook::count(CellType type) const {
  return static_cast<std::size_t>(
      std::count_if(cells.begin(), cells.end(), [&](const Cell& c) { return c.type == type; }));
}

namespace {

// The ReadError of `name` from an exception's message, which starts with "NAME: " (the readers' and
// util::read_file's form); another message is the reason as it is.
ReadError read_error(const std::string& name, std::string_view what) {
  const std::string prefix = name + ": ";
  if (util::starts_with(what, prefix)) what.remove_prefix(prefix.size());
  return {name, std::string(what)};
}

std::string head_of(const fs::path& path, std::size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string buf(bytes, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(bytes));
  buf.resize(static_cast<std::size_t>(in.gcount()));
  return buf;
}

}  // namespace

bool is_notebook_file(const fs::path& path) {
  std::string head;
  auto text = [&]() -> std::string_view {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) head = head_of(path, 1 << 20);
    std::string_view view = head;
    if (util::starts_with(view, detail::k_bom)) view.remove_prefix(detail::k_bom.size());
    return view;
  };
  return detail::detect(path, text, true) != nullptr;
}

namespace {

// "not a notebook (no .ipynb JSON, no ...)": what each format with a content test looks for, in table order.
std::string not_a_notebook() {
  std::string lacks;
  for (const Reader& r : readers())
    if (!r.lacks.empty()) lacks += (lacks.empty() ? "" : ", ") + std::string(r.lacks);
  return "not a notebook (" + lacks + ")";
}

}  // namespace

ReadResult read_file(const fs::path& path, const ReadOptions& options) {
  ReadResult result;
  const std::string name = path.string();
  try {
    std::string text;
    bool loaded = false;
    auto load = [&]() -> std::string_view {
      if (!loaded) {
        text = util::read_file(path);
        if (util::starts_with(text, detail::k_bom)) text.erase(0, detail::k_bom.size());
        loaded = true;
      }
      return text;
    };
    const Reader* reader = detail::detect(path, load, false);
    if (!reader) {
      result.errors.push_back({name, not_a_notebook()});
    } else if (reader->read) {
      return reader->read(path, options);
    } else {
      load();  // when the extension decided, the file is read only now
      result.notebooks.push_back(reader->parse(text, name, options));
    }
  } catch (const std::exception& e) {
    result.errors.push_back(read_error(name, e.what()));
  }
  return result;
}

namespace {

// Sets Notebook::name of the notebooks read from one file, named `file_name` (its path relative to the
// folder argument, or its file name): a notebook inside an archive keeps its "!/inner" part.
void set_names(ReadResult& result, const std::string& file_name) {
  for (auto& nb : result.notebooks) {
    const auto bang = nb.path.find("!/");
    nb.name = file_name + (bang == std::string::npos ? "" : nb.path.substr(bang));
  }
}

}  // namespace

ReadResult read_path(const fs::path& path, const ReadOptions& options) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return {{}, {{path.string(), "no such file or folder"}}};
  if (!fs::is_directory(path, ec)) {
    ReadResult one = read_file(path, options);
    set_names(one, path.filename().string());
    return one;
  }
  std::vector<fs::path> files;
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
  if (ec) return {{}, {{path.string(), "cannot list folder: " + ec.message()}}};
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const std::string fname = it->path().filename().string();
    if (it->is_directory(ec)) {
      if (!fname.empty() && (fname[0] == '.' || fname == ".ipynb_checkpoints"))
        it.disable_recursion_pending();
      continue;
    }
    if (!fname.empty() && fname[0] != '.' && is_notebook_file(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  ReadResult all;
  for (const auto& f : files) {
    ReadResult one = read_file(f, options);
    const fs::path relative = f.lexically_relative(path);  // f is path / relative (the walk's own paths)
    set_names(one, (relative.empty() ? f.filename() : relative).generic_string());
    for (auto& nb : one.notebooks) all.notebooks.push_back(std::move(nb));
    for (auto& e : one.errors) all.errors.push_back(std::move(e));
  }
  return all;
}

std::string render_text(const Notebook& nb, const std::map<int, std::string>& cell_notes) {
  std::string out = nb.path + " (" + to_string(nb.format) + (nb.nbformat.empty() ? "" : " " + nb.nbformat) +
                    (nb.language.empty() ? "" : ", " + nb.language) + ", " + std::to_string(nb.cells.size()) +
                    " cells)\n";
  for (const Cell& c : nb.cells) {
    out += "\n--- cell " + std::to_string(c.number) + " [" + to_string(c.type);
    if (!c.magic.empty()) out += " %" + c.magic;
    out += "]";
    if (!c.title.empty()) out += " " + c.title;
    out += "\n";
    if (const auto note = cell_notes.find(c.number); note != cell_notes.end())
      out += "!!! " + note->second + "\n";
    out += c.source;
    if (!c.source.empty() && c.source.back() != '\n') out += "\n";
    for (const Output& o : c.outputs) {
      out += ">>> " + o.kind;
      if (!o.ename.empty()) out += " " + o.ename + (o.evalue.empty() ? "" : ": " + o.evalue);
      out += "\n";
      out += o.text;
      if (!o.text.empty() && o.text.back() != '\n') out += "\n";
    }
  }
  return out;
}

}  // namespace judge::notebook
