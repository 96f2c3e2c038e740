// SPDX-License-Identifier: MIT
// Masking secrets before a notebook is sent to a model.
#include "judge/scoring/redact.hpp"

#include <algorithm>
#include <regex>
#include <vector>

#include "judge/util/text.hpp"

namespace judge::scoring {

namespace {

// A pattern, which capture group is the secret (0: the whole match), and lower-case substrings one of which
// a line must hold for the pattern to be tried (std::regex is slow; most lines hold none of them).
struct SecretPattern {
  std::regex re;
  int group;
  std::vector<std::string> triggers;
};

const std::vector<SecretPattern>& patterns() {
  static const auto flags = std::regex::ECMAScript | std::regex::optimize;
  static const auto iflags = flags | std::regex::icase;
  static const std::vector<SecretPattern> k_patterns = {
      {std::regex(R"(\bsk-[A-Za-z0-9_-]{16,})", flags), 0, {"sk-"}},  // OpenAI, Anthropic (sk-ant-...)
      {std::regex(R"(\b(AKIA|ASIA)[0-9A-Z]{16}\b)", flags), 0, {"akia", "asia"}},  // AWS access key id
      {std::regex(R"(\bgh[pousr]_[A-Za-z0-9]{30,})", flags),
       0,
       {"ghp_", "gho_", "ghu_", "ghs_", "ghr_"}},  // GitHub tokens
      {std::regex(R"(\bgithub_pat_[A-Za-z0-9_]{22,})", flags),
       0,
       {"github_pat_"}},                                                     // GitHub fine-grained tokens
      {std::regex(R"(\bxox[abprs]-[A-Za-z0-9-]{10,})", flags), 0, {"xox"}},  // Slack
      {std::regex(R"(\bAIza[0-9A-Za-z_-]{35})", flags), 0, {"aiza"}},        // Google API key
      {std::regex(R"(\bdapi[0-9a-f]{32}(-\d)?)", flags), 0, {"dapi"}},  // Databricks personal access token
      {std::regex(R"(\bBearer\s+([A-Za-z0-9._~+/=-]{8,}))", iflags),
       1,
       {"bearer"}},  // HTTP Authorization header
      // URL with credentials: scheme://user:PASSWORD@host
      {std::regex(R"(\b[a-z][a-z0-9+.-]*://[^\s:/@'"]+:([^\s@/'"]+)@)", iflags), 1, {"://"}},
      // password = "..." / api_key: '...' (a quoted literal after a secret-like name)
      {std::regex(
           R"(\b\w*(password|passwd|pwd|secret|token|api_?key|access_?key)\w*['"]?\s*[:=]\s*['"]([^'"\s]{4,})['"])",
           iflags),
       2,
       {"pass", "pwd", "secret", "token", "key"}},
      // password=VALUE inside connection strings (no spaces around '=')
      {std::regex(R"(\b(password|passwd|pwd)=([^\s;&'",)]{3,}))", iflags), 2, {"pass", "pwd"}},
  };
  return k_patterns;
}

}  // namespace

namespace {

// Masks the matches of `p` in one line; returns how many.
int redact_line(std::string& line, const SecretPattern& p) {
  int n = 0;
  std::string out;
  auto begin = line.cbegin();
  for (std::sregex_iterator it(line.cbegin(), line.cend(), p.re), end; it != end; ++it) {
    const auto& m = *it;
    if (m.str(p.group) == k_redacted) continue;
    out.append(begin, m[p.group].first);
    out += k_redacted;
    begin = m[p.group].second;
    ++n;
  }
  if (n == 0) return 0;
  out.append(begin, line.cend());
  line = std::move(out);
  return n;
}

}  // namespace

Redacted redact_secrets(std::string_view input) {
  Redacted r;
  std::size_t start = 0;
  while (start < input.size()) {
    std::size_t stop = input.find('\n', start);
    stop = stop == std::string_view::npos ? input.size() : stop + 1;
    std::string line(input.substr(start, stop - start));
    const std::string lower = util::to_lower(line);
    for (const auto& p : patterns())
      if (std::any_of(p.triggers.begin(), p.triggers.end(),
                      [&](const std::string& t) { return lower.find(t) != std::string::npos; }))
        r.count += redact_line(line, p);
    r.text += line;
    start = stop;
  }
  return r;
}

int redact_notebook(notebook::Notebook& nb) {
  int n = 0;
  auto apply = [&n](std::string& s) {
    auto r = redact_secrets(s);
    n += r.count;
    s = std::move(r.text);
  };
  for (auto& c : nb.cells) {
    apply(c.source);
    apply(c.title);
    for (auto& o : c.outputs) {
      apply(o.text);
      apply(o.evalue);
    }
  }
  return n;
}

}  // namespace judge::scoring
