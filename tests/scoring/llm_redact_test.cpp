// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "judge/scoring/redact.hpp"

using judge::scoring::redact_secrets;

// Every secret below is made up, shaped like the real thing.
TEST(LlmRedact, MasksEachKindOfSecret) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"openai.api_key = sk-proj-abcdEFGH1234ijklMNOP5678", "openai.api_key = [REDACTED]"},
      {"AWS_ACCESS_KEY_ID AKIAIOSFODNN7EXAMPLE here", "AWS_ACCESS_KEY_ID [REDACTED] here"},
      {"token ghp_0123456789abcdefghijABCDEFGHIJ012345", "token [REDACTED]"},
      {"headers={'Authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.x.y'}", "headers={'Authorization': 'Bearer [REDACTED]'}"},
      {"DATABRICKS_TOKEN=dapi0123456789abcdef0123456789abcdef", "DATABRICKS_TOKEN=[REDACTED]"},
      {"engine = create_engine('postgresql://admin:hunter22@db:5432/x')",
       "engine = create_engine('postgresql://admin:[REDACTED]@db:5432/x')"},
      {"password = \"s3cret!\"", "password = \"[REDACTED]\""},
      {"conn = 'Server=x;User Id=sa;Password=Pa55word;'", "conn = 'Server=x;User Id=sa;Password=[REDACTED];'"},
  };
  for (const auto& c : cases) {
    const auto r = redact_secrets(c.in);
    EXPECT_EQ(r.text, c.out) << c.in;
    EXPECT_EQ(r.count, 1) << c.in;
  }
}

TEST(LlmRedact, AKeyInAPasswordAssignmentCountsOnce) {
  const auto r = redact_secrets("api_key = \"sk-abcdefghijklmnopqrstuvwx\"");
  EXPECT_EQ(r.text, "api_key = \"[REDACTED]\"");
  EXPECT_EQ(r.count, 1);
}

TEST(LlmRedact, OrdinaryCodeIsLeftAlone) {
  for (const char* s : {"model = sk.linear_model.LogisticRegression()", "tokenizer = AutoTokenizer()",
                        "password = getpass.getpass()", "url = 'https://example.com/data.csv'", "task-specific"}) {
    const auto r = redact_secrets(s);
    EXPECT_EQ(r.text, s);
    EXPECT_EQ(r.count, 0);
  }
}

TEST(LlmRedact, NotebookOutputsAndSourcesAreMasked) {
  judge::notebook::Notebook nb;
  judge::notebook::Cell c;
  c.source = "print(os.environ['OPENAI_API_KEY'])";
  c.outputs.push_back({"stream", "sk-abcdefghijklmnopqrstuvwx\n", "", ""});
  nb.cells.push_back(c);
  EXPECT_EQ(judge::scoring::redact_notebook(nb), 1);
  EXPECT_EQ(nb.cells[0].outputs[0].text, "[REDACTED]\n");
}
