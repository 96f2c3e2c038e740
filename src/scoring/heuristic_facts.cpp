// SPDX-License-Identifier: MIT
#include "judge/scoring/heuristic_facts.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "code_scan.hpp"
#include "judge/util/text.hpp"

namespace judge::scoring {
namespace {

/// Cell magics of another language than Python: their imports are no Python packages.
const std::set<std::string, std::less<>> k_other_language_magics = {
    "scala", "r",          "R",  "sql",  "sh",    "bash", "script",
    "java",  "javascript", "js", "html", "latex", "perl", "ruby"};

bool contains(std::string_view text, std::string_view token) {
  return text.find(token) != std::string_view::npos;
}

bool is_install_line(std::string_view line) {
  const std::string lower = util::to_lower(line);
  return contains(lower, "pip install") || contains(lower, "conda install") ||
         contains(lower, "pip3 install") || contains(lower, "mamba install") ||
         contains(lower, "install_pypi_package");
}

/// Top-level module names of one import statement ("import a.b as c, d" -> a, d; "from x.y import z" -> x).
std::vector<std::string> imported_modules(std::string_view line) {
  std::vector<std::string> out;
  auto name_at = [](std::string_view s) {
    s = util::trim(s);
    const std::size_t end = s.find_first_of(" .,;()");
    return std::string(s.substr(0, end));
  };
  if (util::starts_with(line, "from ")) {
    const std::string m = name_at(line.substr(5));
    if (!m.empty()) out.push_back(m);
    return out;
  }
  std::string_view rest = line.substr(7);  // after "import "
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string m = name_at(rest.substr(0, comma));
    if (!m.empty()) out.push_back(m);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

/// Modules whose conventional alias the rules' tokens name (`lgb.train(`, `np.log(`, `smf.`, ...): a module
/// imported under another alias is read as if it had the conventional one.
const std::map<std::string, std::string, std::less<>> k_module_alias = {
    {"numpy", "np"},
    {"pandas", "pd"},
    {"matplotlib.pyplot", "plt"},
    {"seaborn", "sns"},
    {"plotly.express", "px"},
    {"statsmodels.api", "sm"},
    {"statsmodels.formula.api", "smf"},
    {"lightgbm", "lgb"},
    {"xgboost", "xgb"},
    {"missingno", "msno"},
    {"torch", "torch"},
    {"torch.nn", "nn"},
    {"torch.optim", "optim"},
    {"tensorflow", "tf"},
    {"keras", "keras"},
    {"tensorflow.keras", "keras"},
    {"joblib", "joblib"},
    {"pickle", "pickle"},
    {"mlflow", "mlflow"},
    {"sklearn.preprocessing", "preprocessing"},
    {"sklearn.datasets", "datasets"}};

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// The aliases one import statement makes (`from M import N as A` -> A reads N when A is shorter, or M.N's
/// conventional alias when that is a module the rules name; `import M as A` -> A reads M's conventional
/// alias, for those modules only: the rules name other modules' calls without their module). An alias no
/// shorter than its name is a rename that says more than the name (`from pkg.training import run as
/// run_training`) and is kept. A multi-line statement comes joined.
void add_aliases(std::string_view statement, std::vector<std::pair<std::string, std::string>>& out) {
  std::string text(statement);
  for (char& ch : text)
    if (ch == '(' || ch == ')' || ch == '\\' || ch == '\n') ch = ' ';
  std::string_view rest = text;
  std::string from;  // M of `from M import ...`
  if (util::starts_with(rest, "from ")) {
    const std::size_t imp = rest.find(" import ");
    if (imp == std::string_view::npos) return;
    from = std::string(util::trim(rest.substr(5, imp - 5)));
    rest = rest.substr(imp + 8);
  } else if (util::starts_with(rest, "import ")) {
    rest = rest.substr(7);
  } else {
    return;
  }
  while (!rest.empty()) {
    const std::size_t comma = std::min(rest.find(','), rest.size());
    const std::string_view part = util::trim(rest.substr(0, comma));
    rest = comma < rest.size() ? rest.substr(comma + 1) : std::string_view{};
    const std::size_t as = part.find(" as ");
    if (as == std::string_view::npos) continue;
    const std::string name(util::trim(part.substr(0, as)));
    const std::string alias(util::trim(part.substr(as + 4)));
    if (name.empty() || alias.empty() || !std::all_of(alias.begin(), alias.end(), is_name_char) ||
        !std::all_of(name.begin(), name.end(), [](char ch) { return is_name_char(ch) || ch == '.'; }))
      continue;
    const std::string module = from.empty() ? name : from + "." + name;
    const auto conventional = k_module_alias.find(module);
    if (conventional != k_module_alias.end())
      out.emplace_back(alias, conventional->second);
    else if (!from.empty() && alias.size() < name.size())
      out.emplace_back(alias, name);  // an abbreviation; a longer alias (`run as run_training`) says more
  }
}

/// Whether a Python statement is still open at the end of `line` (an unclosed bracket or a backslash).
bool statement_continues(std::string_view line) {
  int depth = 0;
  detail::scan_code(line, [&](std::size_t, int after) {
    depth = after;
    return false;
  });
  return depth > 0 || util::ends_with(util::trim(line), "\\");
}

/// Calls `visit(at, length)` for each name in `code` outside strings and comments that starts a name (not an
/// attribute after `.`).
template <typename Visit>
void for_each_name(std::string_view code, Visit visit) {
  for (std::size_t i = 0; i < code.size();) {
    const char ch = code[i];
    if (ch == '#') {
      i = std::min(code.find('\n', i), code.size());
    } else if (ch == '"' || ch == '\'') {
      const bool triple = code.compare(i, 3, std::string(3, ch)) == 0;
      std::size_t j = i + (triple ? 3 : 1);
      while (j < code.size()) {
        if (code[j] == '\\') {
          j += 2;
        } else if (triple ? code.compare(j, 3, std::string(3, ch)) == 0 : code[j] == ch || code[j] == '\n') {
          j += triple ? 3 : 1;
          break;
        } else {
          ++j;
        }
      }
      i = j;
    } else if (is_name_char(ch)) {
      std::size_t j = i;
      while (j < code.size() && is_name_char(code[j])) ++j;
      if (!std::isdigit(static_cast<unsigned char>(ch)) && (i == 0 || code[i - 1] != '.')) visit(i, j - i);
      i = j;
    } else {
      ++i;
    }
  }
}

/// Adds to `names` the parameter names of `params`, the text after a `def NAME(` or a `lambda` (`a, *args,
/// b: int = 0, **kw)` gives a, args, b, kw): each comma-separated part's leading name, up to the closing
/// bracket or the lambda's colon. Defaults and annotations bind nothing.
void add_parameters(std::string_view params, std::set<std::string, std::less<>>& names) {
  int depth = 0;
  bool leading = true;  // at the start of a part, where its name is
  for (std::size_t i = 0; i < params.size(); ++i) {
    const char ch = params[i];
    if (ch == '(' || ch == '[' || ch == '{') {
      ++depth;
    } else if (ch == ')' || ch == ']' || ch == '}') {
      if (--depth < 0) return;
    }
    if (depth == 0 && ch == ',') {
      leading = true;
    } else if (leading && is_name_char(ch)) {
      std::size_t j = i;
      while (j < params.size() && is_name_char(params[j])) ++j;
      names.emplace(params.substr(i, j - i));
      i = j - 1;
      leading = false;
    } else if (leading && ch != ' ' && ch != '*' && ch != '/') {
      leading = false;
    }
  }
}

/// Adds to `names` the names an assignment (or a loop's, a `with`'s) target `target` binds: `a`, `a, b`, `(a,
/// b)`, `[a, *rest]`; not the object of an attribute or a subscript, which is changed, not bound (`df.x`,
/// `plt.rcParams["figure.figsize"]`, `d[key]`: neither `df`, `plt`, `d` nor `key`). Strings and comments are
/// passed over (detail::scan_code).
void add_target_names(std::string_view target, std::set<std::string, std::less<>>& names) {
  std::vector<bool> opened;  // each bracket open: whether it is a subscript or a call's
  int hidden = 0;            // subscripts and calls open: the names in them bind nothing
  detail::scan_code(target, [&](std::size_t i, int) {
    const char ch = target[i];
    const char before = i > 0 ? target[i - 1] : ' ';
    if (ch == '(' || ch == '[' || ch == '{') {
      const bool object = is_name_char(before) || before == ')' || before == ']';
      opened.push_back(object);
      hidden += object;
    } else if (ch == ')' || ch == ']' || ch == '}') {
      if (!opened.empty()) {
        hidden -= opened.back();
        opened.pop_back();
      }
    } else if (is_name_char(ch) && !is_name_char(before) && before != '.' &&
               !std::isdigit(static_cast<unsigned char>(ch)) && hidden == 0) {
      std::size_t end = i;
      while (end < target.size() && is_name_char(target[end])) ++end;
      std::size_t next = end;
      while (next < target.size() && target[next] == ' ') ++next;
      if (next == target.size() || (target[next] != '.' && target[next] != '[' && target[next] != '('))
        names.emplace(target.substr(i, end - i));
    }
    return false;
  });
}

/// Adds to `names` the names `code` binds itself: assigns (`name = `, `a, name = `), loops over (a `for`
/// statement or a comprehension), defines, takes as parameters (of a def or a lambda), or takes from `with
/// ... as` / `except ... as`. An alias so bound is shadowed and left unresolved.
void add_bound_names(std::string_view code, std::set<std::string, std::less<>>& names) {
  for (std::string_view line : util::split_lines(code)) {
    line = util::trim(line);
    // a lambda's parameters and a comprehension's variables, wherever they stand in the line (outside
    // strings)
    for_each_name(line, [&](std::size_t at, std::size_t n) {
      const std::string_view word = line.substr(at, n);
      if (word == "lambda") {
        const std::string_view rest = line.substr(at + n);
        add_parameters(rest.substr(0, rest.find(':')), names);
      } else if (word == "for" && at > 0) {
        const std::string_view rest = line.substr(at + n);
        const std::size_t in = rest.find(" in ");
        if (in == std::string_view::npos) return;
        const std::string_view target = rest.substr(0, in);
        for_each_name(target, [&](std::size_t t, std::size_t m) { names.emplace(target.substr(t, m)); });
      }
    });
    if (util::starts_with(line, "def ") || util::starts_with(line, "async def ")) {
      const std::size_t open = line.find('(');
      if (open != std::string_view::npos) add_parameters(line.substr(open + 1), names);
    }
    std::string_view target;
    if (util::starts_with(line, "for ")) {
      target = line.substr(4, line.find(" in ") == std::string_view::npos ? 0 : line.find(" in ") - 4);
    } else if (util::starts_with(line, "def ") || util::starts_with(line, "class ")) {
      target = line.substr(line.find(' ') + 1);
      target = target.substr(0, target.find_first_of("(:"));
    } else if (util::starts_with(line, "with ") || util::starts_with(line, "except ")) {
      const std::size_t as = line.rfind(" as ");
      if (as != std::string_view::npos) target = line.substr(as + 4);
    } else {
      target = detail::assignment_target(line);
    }
    add_target_names(target, names);
  }
}

/// Resolves import aliases in every cell's body, once, so that every rule sees the canonical name:
/// `tts(X, y)` after `from sklearn.model_selection import train_test_split as tts` reads
/// `train_test_split(X, y)`. Only whole names are replaced, outside strings and comments, not attributes
/// (`obj.tts`) nor keyword arguments (`f(tts=1)`); an alias given two meanings, or bound again by the code
/// (`tts = 0.2`), is left as written. Returns the aliases resolved (alias -> name).
std::map<std::string, std::string, std::less<>> resolve_aliases(
    std::vector<CodeFacts>& code, const std::vector<std::pair<std::string, std::string>>& found) {
  std::map<std::string, std::string, std::less<>> aliases;
  std::set<std::string, std::less<>> ambiguous;
  for (const auto& [alias, name] : found) {
    if (alias == name) continue;
    const auto [it, added] = aliases.emplace(alias, name);
    if (!added && it->second != name) ambiguous.insert(alias);
  }
  if (aliases.empty()) return aliases;
  std::set<std::string, std::less<>> bound;  // every name the code binds, gathered once
  for (const auto& c : code) add_bound_names(c.body, bound);
  for (auto it = aliases.begin(); it != aliases.end();) {
    const bool shadowed = ambiguous.count(it->first) || bound.count(it->first);
    it = shadowed ? aliases.erase(it) : std::next(it);
  }
  if (aliases.empty()) return aliases;
  for (auto& c : code) {
    std::string out;
    std::size_t copied = 0;
    for_each_name(c.body, [&](std::size_t at, std::size_t n) {
      const auto it = aliases.find(std::string_view(c.body).substr(at, n));
      if (it == aliases.end()) return;
      std::size_t next = at + n;
      while (next < c.body.size() && c.body[next] == ' ') ++next;
      if (next < c.body.size() && c.body[next] == '=' && c.body.compare(next, 2, "==") != 0) return;
      out.append(c.body, copied, at - copied);
      out += it->second;
      copied = at + n;
    });
    if (copied == 0) continue;
    out.append(c.body, copied);
    c.body = std::move(out);
  }
  return aliases;
}

/// A comment's text that reads as a line of code: a call or an assignment, not prose.
bool looks_like_code(std::string_view text) {
  text = util::trim(text);
  if (text.empty() || text.front() == '#' || text.front() == '$' || text.front() == '%') return false;
  if (contains(text, "  ") || text.find(". ") != std::string_view::npos) return false;  // sentences
  const bool call =
      text.back() == ')' && text.find('(') != std::string_view::npos && text.find(' ') > text.find('(');
  const std::size_t eq = text.find(" = ");
  const bool assign = eq != std::string_view::npos && text.substr(0, eq).find(' ') == std::string_view::npos;
  return call || assign || util::starts_with(text, "import ") || util::starts_with(text, "print(");
}

bool is_python_warning(std::string_view text) {
  for (std::string_view w :
       {"Warning:", "UserWarning", "FutureWarning", "DeprecationWarning", "SettingWithCopy"})
    if (contains(text, w)) return true;
  return false;
}

/// The statement an IPython line magic that times or profiles code runs (`%time model.fit(X, y)`, `%timeit -n
/// 10 -r 3 f(x)`, `%prun train()`, `%memit load()`), its options skipped (`-n 10`, `-q`); empty for any other
/// line magic, or none given (`%time` alone).
std::string_view timed_statement(std::string_view line) {
  static const std::vector<std::string_view> magics = {"%time", "%timeit", "%prun", "%memit"};
  std::string_view rest;
  for (std::string_view m : magics)
    if (util::starts_with(line, m) && line.size() > m.size() &&
        (line[m.size()] == ' ' || line[m.size()] == '\t'))
      rest = util::trim(line.substr(m.size()));
  // options: a `-x` word, and the number after `-n`, `-r` or `-p`
  while (!rest.empty() && rest.front() == '-') {
    const std::size_t end = std::min(rest.find_first_of(" \t"), rest.size());
    const bool takes_value = end == 2 && (rest[1] == 'n' || rest[1] == 'r' || rest[1] == 'p');
    rest = util::trim(rest.substr(end));
    if (takes_value) {
      const std::size_t value_end = std::min(rest.find_first_of(" \t"), rest.size());
      rest = util::trim(rest.substr(value_end));
    }
  }
  return rest;
}

/// The facts of one code cell; the aliases its imports make are added to `aliases`.
CodeFacts code_facts(const notebook::Cell& c, std::vector<std::pair<std::string, std::string>>& aliases) {
  CodeFacts f;
  std::string open_import;  // an import statement that goes on over the next lines, joined
  f.number = c.number;
  if (c.magic == "pip") f.install = true;
  f.other_language = k_other_language_magics.count(c.magic) > 0;
  f.sql = c.magic == "sql" || util::starts_with(util::trim(c.source), "%sql") ||
          util::starts_with(util::trim(c.source), "%%sql") || contains(c.source, "spark.sql(");
  bool first_line = true;
  bool install_continues = false;  // the last install line ended in a backslash
  for (std::string_view raw : util::split_lines(c.source)) {
    const std::string_view line = util::trim(raw);
    if (!open_import.empty()) {
      open_import.append(" ").append(line.substr(0, line.find('#')));
      if (!statement_continues(open_import)) {
        add_aliases(open_import, aliases);
        open_import.clear();
      }
    }
    if (line.empty()) continue;
    ++f.lines;
    if (first_line && line.front() == '#') f.comment_header = true;
    first_line = false;
    if (contains(line, "____") || contains(line, "INSERT-") || contains(line, "RM_IF(") ||
        util::starts_with(util::to_lower(line), "# your code"))
      f.placeholder = true;
    if (line.front() == '#' && looks_like_code(line.substr(1))) ++f.commented_code;
    if (install_continues) {  // the packages of an install line continued with a backslash
      install_continues = util::ends_with(line, "\\");
      if (contains(line, "==")) f.pinned = true;
      continue;
    }
    if (is_install_line(line) && (line.front() == '%' || line.front() == '!' || c.magic == "pip" ||
                                  c.magic == "sh" || util::starts_with(line, "pip"))) {
      f.install = true;
      install_continues = util::ends_with(line, "\\");
      if (contains(line, "==") || contains(line, "-r ") || contains(line, "requirements")) f.pinned = true;
      continue;
    }
    if (line.front() == '%') {
      // IPython's timing and profiling magics run the statement they are given: it is code of the cell.
      const std::string_view statement = timed_statement(line);
      if (!statement.empty()) {
        f.body.append(raw.substr(0, raw.find('%'))).append(statement);
        f.body.push_back('\n');
      }
      continue;
    }
    if (line.front() == '#' || line.front() == '!') continue;
    if (util::starts_with(line, "import ") ||
        (util::starts_with(line, "from ") && contains(line, " import "))) {
      // A trailing comment is not part of the statement ("import pandas as pd # CSV file I/O").
      const std::string_view statement = util::trim(line.substr(0, line.find('#')));
      for (auto& m : imported_modules(statement)) f.modules.push_back(std::move(m));
      f.imports.append(statement);
      f.imports.push_back('\n');
      if (statement_continues(statement))
        open_import = std::string(statement);
      else
        add_aliases(statement, aliases);
      if (contains(line, "import *")) f.wildcard_import = true;
      if (raw.size() > 0 && (raw.front() == ' ' || raw.front() == '\t')) f.nested_import = true;
      continue;
    }
    f.body.append(raw);
    f.body.push_back('\n');
  }
  f.dead = f.lines > 0 && f.body.empty() && f.modules.empty() && !f.install && f.commented_code > 0;
  for (const auto& o : c.outputs) {
    if (o.kind == "error" && f.error.empty()) f.error = o.ename.empty() ? "error" : o.ename + ": " + o.evalue;
    if (o.kind == "stream" && is_python_warning(o.text)) f.warning = true;
    f.output += o.text;
    f.output.push_back('\n');
  }
  f.only_error =
      !c.outputs.empty() && std::all_of(c.outputs.begin(), c.outputs.end(),
                                        [](const notebook::Output& o) { return o.kind == "error"; });
  return f;
}

MarkdownFacts markdown_facts(const notebook::Cell& c) {
  MarkdownFacts f;
  f.number = c.number;
  f.lower = util::to_lower(c.source);
  bool in_word = false;
  for (char ch : c.source) {
    const bool space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
    if (!space && !in_word) ++f.words;
    in_word = !space;
  }
  for (std::string_view line : util::split_lines(c.source)) {
    line = util::trim(line);
    if (util::starts_with(line, "#") || (util::starts_with(line, "**") && util::ends_with(line, "**")) ||
        util::starts_with(line, "<h"))
      f.heading = true;
  }
  return f;
}

}  // namespace

std::vector<int> NotebookFacts::cells_with(const std::vector<std::string_view>& tokens) const {
  std::vector<int> out;
  for (const auto& c : code)
    if (std::any_of(tokens.begin(), tokens.end(), [&](std::string_view t) { return contains(c.body, t); }))
      out.push_back(c.number);
  return out;
}

std::optional<int> NotebookFacts::first_with(const std::vector<std::string_view>& tokens) const {
  for (const auto& c : code)
    if (std::any_of(tokens.begin(), tokens.end(), [&](std::string_view t) { return contains(c.body, t); }))
      return c.number;
  return std::nullopt;
}

const CodeFacts* NotebookFacts::cell(int number) const {
  for (const auto& c : code)
    if (c.number == number) return &c;
  return nullptr;
}

NotebookFacts gather_facts(const notebook::Notebook& nb) {
  NotebookFacts f;
  f.cells = nb.cells.size();
  f.databricks =
      nb.format == notebook::Format::databricks || nb.format == notebook::Format::dbc || nb.databricks_export;
  f.python = nb.language.empty() || nb.language == "python";
  std::vector<std::pair<std::string, std::string>> aliases;
  for (const auto& c : nb.cells) {
    if (c.type == notebook::CellType::markdown) {
      if (!util::trim(c.source).empty()) f.markdown.push_back(markdown_facts(c));
      continue;
    }
    if (c.type != notebook::CellType::code) continue;
    if (util::trim(c.source).empty()) {
      ++f.empty_code_cells;
      continue;
    }
    f.code.push_back(code_facts(c, aliases));
  }
  f.aliases = resolve_aliases(f.code, aliases);
  // Comments are read by no fact but one (body_with_comments); aliases are resolved first, so that both
  // texts keep the same offsets.
  for (auto& c : f.code) {
    c.body_with_comments = c.body;
    c.body = detail::blank_comments(c.body_with_comments);
    if (contains(c.body, "dbutils.")) f.databricks = true;
  }
  return f;
}

}  // namespace judge::scoring
