// SPDX-License-Identifier: MIT
#include "judge/util/paths.hpp"

#include <gtest/gtest.h>

using namespace judge::util;

// Expected values by hand: a path names a notebook when equal or a whole-component tail of the other.
TEST(Paths, SameNotebookOnWholePathComponents) {
  // Equal and suffix cases are in tests/report (report::same_item is this rule); here what it adds.
  EXPECT_TRUE(same_notebook("./examples/x.ipynb", "examples/x.ipynb"));
  EXPECT_FALSE(same_notebook("", "a.ipynb"));
  // A leading "./" (repeated too) is nothing: "./c.ipynb" (judge eval . from inside nb/) names nb/c.ipynb.
  EXPECT_TRUE(same_notebook("./c.ipynb", "nb/c.ipynb"));
  EXPECT_TRUE(same_notebook("ipynb/titanic.ipynb", "././titanic.ipynb"));
  EXPECT_TRUE(same_notebook("./c.ipynb", "c.ipynb"));
  EXPECT_TRUE(same_notebook("./nb/c.ipynb", "nb/c.ipynb"));
  EXPECT_TRUE(same_notebook("data/./nb/c.ipynb", "./nb/c.ipynb"));
  EXPECT_FALSE(same_notebook("./c.ipynb", "nb/xc.ipynb"));
  EXPECT_FALSE(same_notebook("./", "nb/c.ipynb"));
  EXPECT_EQ(notebook_name("././nb/c.ipynb"), "nb/c.ipynb");
  EXPECT_EQ(notebook_name(".//c.ipynb"), "c.ipynb");
  EXPECT_EQ(notebook_name(".\\c.ipynb"), "c.ipynb");
  EXPECT_EQ(notebook_name("../c.ipynb"), "../c.ipynb");
  EXPECT_EQ(notebook_name(".c.ipynb"), ".c.ipynb");
  EXPECT_TRUE(ends_with_path("data/ipynb/titanic.ipynb", "ipynb/titanic.ipynb"));
  EXPECT_FALSE(ends_with_path("titanic.ipynb", "data/titanic.ipynb"));
  EXPECT_FALSE(ends_with_path("data/ipynb/titanic.ipynb", "anic.ipynb"));
}

TEST(Paths, CanonicalFormKeepsTheArchiveMember) {
  // Tests run in the source folder, where README.md and src/ exist.
  EXPECT_EQ(canonical_notebook_path("./src/../README.md!/inner/nb"),
            canonical_notebook_path("README.md") + "!/inner/nb");
  EXPECT_EQ(canonical_notebook_path("./README.md"), canonical_notebook_path("README.md"));
  EXPECT_NE(canonical_notebook_path("src/README.md"), canonical_notebook_path("README.md"));
  // A file's two names give one canonical path; different files, different ones.
  EXPECT_EQ(canonical_file_path("./src/../README.md"), canonical_file_path("README.md"));
  EXPECT_NE(canonical_file_path("src/README.md"), canonical_file_path("README.md"));
}
