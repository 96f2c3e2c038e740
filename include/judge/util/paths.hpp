// SPDX-License-Identifier: MIT
// Notebook identity: whether two notebook paths name the same notebook. Used wherever notebooks named in
// different places meet (eval's de-duplication, a report's label and score items, memory's forget).
#pragma once
#include <string>
#include <string_view>

namespace judge::util {

/// Whether `path` ends with `tail` on whole path components: `tail` is all of `path`, or what follows a
/// separator ('/' or '\\') in it ("data/ipynb/titanic.ipynb" ends with "ipynb/titanic.ipynb" and
/// "titanic.ipynb", not with "anic.ipynb"). Components are compared as written ("." included: compare
/// notebook_name forms to ignore a leading "./"). An empty `tail` never matches.
bool ends_with_path(std::string_view path, std::string_view tail);

/// `path` without its leading "./" (or ".\\") parts, repeated ones too: "././nb/x.ipynb" -> "nb/x.ipynb".
/// "./x.ipynb" names the notebook "x.ipynb" names (judge eval . writes the first, labels hold the second),
/// so every comparison of notebook paths named in different files goes through this (same_notebook,
/// memory's match_notebook).
std::string_view notebook_name(std::string_view path);

/// Whether the notebook paths `a` and `b` name the same notebook: equal, or one ends with the other on whole
/// path components (ends_with_path), once a leading "./" is dropped from both (notebook_name). So a path as
/// given to judge eval ("examples/notebooks/x.ipynb") and the same notebook named from another root
/// ("notebooks/x.ipynb", "x.ipynb", "./x.ipynb") match. The one rule for items named in different files (a
/// report's labels and scores, memory's forget). Paths of files on disk are compared in canonical form
/// (canonical_notebook_path), where this is equality.
bool same_notebook(std::string_view a, std::string_view b);

/// The canonical form of a notebook file's path (std::filesystem::weakly_canonical: absolute, "." and ".."
/// resolved, links followed), an archive member's "ARCHIVE.dbc!/inner" part kept as it is. Two paths of files
/// on disk name the same notebook exactly when their canonical forms are equal.
std::string canonical_notebook_path(const std::string& path);

/// The canonical form of a file's path (std::filesystem::weakly_canonical), or `path` as given when it has
/// none (an error reading the file system): two names of one file on disk ("a.jsonl", "sub/../a.jsonl", a
/// link to it) give the same string. For files named twice on one command line (judge merge's parts, judge
/// report's --scores).
std::string canonical_file_path(const std::string& path);

}  // namespace judge::util
