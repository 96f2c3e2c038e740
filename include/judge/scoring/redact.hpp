// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <string_view>

#include "judge/notebook/notebook.hpp"

namespace judge::scoring {

/// Text with secrets masked and how many were masked.
struct Redacted {
  std::string text;
  int count = 0;
};

/// The mask that replaces a secret.
inline constexpr std::string_view k_redacted = "[REDACTED]";

/// Masks text that looks like a secret: OpenAI/Anthropic keys (sk-...), AWS access key ids (AKIA...), GitHub
/// tokens (ghp_..., github_pat_...), Slack tokens (xox?-...), Google API keys (AIza...), Databricks tokens
/// (dapi...), "Bearer TOKEN", quoted values of password/secret/token/api_key assignments, password=VALUE
/// pairs, and the password of a URL with credentials (scheme://user:PASSWORD@host). Patterns: docs/prompt.md.
Redacted redact_secrets(std::string_view text);

/// Masks secrets in every cell source, title and output text of `nb` in place; returns how many were masked.
int redact_notebook(notebook::Notebook& nb);

}  // namespace judge::scoring
