// SPDX-License-Identifier: MIT
// Masking secrets before a notebook is sent to a model.
#include "judge/scoring/redact.hpp"

#include <regex>
#include <vector>

namespace judge::scoring {

namespace {

// A pattern and which capture group is the secret (0: the whole match).
struct SecretPattern {
  std::regex re;
  int group;
};

const std::vector<SecretPattern>& patterns() {
  static const auto flags = std::regex::ECMAScript | std::regex::optimize;
  static const auto iflags = flags | std::regex::icase;
  static const std::vector<SecretPattern> k_patterns = {
      {std::regex(R"(\bsk-[A-Za-z0-9_-]{16,})", flags), 0},              // OpenAI, Anthropic (sk-ant-...)
      {std::regex(R"(\b(AKIA|ASIA)[0-9A-Z]{16}\b)", flags), 0},          // AWS access key id
      {std::regex(R"(\bgh[pousr]_[A-Za-z0-9]{30,})", flags), 0},         // GitHub tokens
      {std::regex(R"(\bgithub_pat_[A-Za-z0-9_]{22,})", flags), 0},       // GitHub fine-grained tokens
      {std::regex(R"(\bxox[abprs]-[A-Za-z0-9-]{10,})", flags), 0},       // Slack
      {std::regex(R"(\bAIza[0-9A-Za-z_-]{35})", flags), 0},              // Google API key
      {std::regex(R"(\bdapi[0-9a-f]{32}(-\d)?)", flags), 0},             // Databricks personal access token
      {std::regex(R"(\bBearer\s+([A-Za-z0-9._~+/=-]{8,}))", iflags), 1},  // HTTP Authorization header
      // URL with credentials: scheme://user:PASSWORD@host
      {std::regex(R"(\b[a-z][a-z0-9+.-]*://[^\s:/@'"]+:([^\s@/'"]+)@)", iflags), 1},
      // password = "..." / api_key: '...' (a quoted literal after a secret-like name)
      {std::regex(R"(\b\w*(password|passwd|pwd|secret|token|api_?key|access_?key)\w*['"]?\s*[:=]\s*['"]([^'"\s]{4,})['"])",
                  iflags),
       2},
      // password=VALUE inside connection strings (no spaces around '=')
      {std::regex(R"(\b(password|passwd|pwd)=([^\s;&'",)]{3,}))", iflags), 2},
  };
  return k_patterns;
}

}  // namespace

Redacted redact_secrets(std::string_view input) {
  Redacted r{std::string(input), 0};
  for (const auto& p : patterns()) {
    std::string out;
    auto begin = r.text.cbegin();
    for (std::sregex_iterator it(r.text.cbegin(), r.text.cend(), p.re), end; it != end; ++it) {
      const auto& m = *it;
      if (m.str(p.group) == k_redacted) continue;
      out.append(begin, m[p.group].first);
      out += k_redacted;
      begin = m[p.group].second;
      ++r.count;
    }
    out.append(begin, r.text.cend());
    r.text = std::move(out);
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
