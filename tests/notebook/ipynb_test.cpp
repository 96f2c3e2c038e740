// SPDX-License-Identifier: MIT
// .ipynb reader: small notebooks written here by hand; expected values worked out by hand from the nbformat
// schemas (v3, v4.5) and nbformat's own v2/v3 readers (line joining).
#include <gtest/gtest.h>

#include "judge/notebook/notebook.hpp"
#include "judge/util/error.hpp"

namespace judge::notebook {
namespace {

TEST(Ipynb, V4CellsSourcesAndCounts) {
  const std::string text = R"({
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "language": "python"}, "language_info": {"name": "python"}},
    "cells": [
      {"id": "a", "cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "text"]},
      {"id": "b", "cell_type": "code", "metadata": {}, "execution_count": 3, "outputs": [], "source": "x = 1\ny = 2"},
      {"id": "c", "cell_type": "raw", "metadata": {}, "source": []}
    ]})";
  const Notebook nb = parse_ipynb(text, "a.ipynb");
  EXPECT_EQ(nb.format, Format::ipynb);
  EXPECT_EQ(nb.nbformat, "4.5");
  EXPECT_EQ(nb.language, "python");
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.cells[0].type, CellType::markdown);
  EXPECT_EQ(nb.cells[0].source, "# Title\ntext");
  EXPECT_EQ(nb.cells[1].source, "x = 1\ny = 2");
  EXPECT_EQ(nb.cells[1].execution_count, 3);
  EXPECT_EQ(nb.cells[2].type, CellType::raw);
  EXPECT_EQ(nb.cells[2].source, "");
  EXPECT_EQ(nb.count(CellType::code), 1u);
}

TEST(Ipynb, SchemaInvalidCellsStillRead) {
  // 4.5 without cell ids, an id with illegal characters, a markdown cell without source, a v3 "heading" cell
  // inside a v4 file, an output type that does not exist, non-object cells and outputs.
  const std::string text = R"J({
    "nbformat": 4, "nbformat_minor": 5, "metadata": {},
    "cells": [
      {"cell_type": "markdown", "metadata": {}},
      {"id": "$illegal chars", "cell_type": "heading", "level": 2, "metadata": {}, "source": "Part"},
      {"cell_type": "code", "metadata": {}, "execution_count": null, "source": ["print(1)"],
       "outputs": [{"output_type": "bad stream", "name": "stdout", "text": ["1\n"]}, 7]},
      "not a cell"
    ]})J";
  const Notebook nb = parse_ipynb(text, "bad.ipynb");
  ASSERT_EQ(nb.cells.size(), 3u);
  EXPECT_EQ(nb.cells[0].source, "");
  EXPECT_EQ(nb.cells[1].type, CellType::markdown);
  EXPECT_EQ(nb.cells[1].source, "## Part");
  EXPECT_FALSE(nb.cells[2].execution_count.has_value());
  ASSERT_EQ(nb.cells[2].outputs.size(), 1u);
  EXPECT_EQ(nb.cells[2].outputs[0].kind, "bad stream");
  EXPECT_EQ(nb.cells[2].outputs[0].text, "1\n");
  EXPECT_EQ(nb.language, "");
}

TEST(Ipynb, ImagesBecomePlaceholdersWithTheirDecodedSize) {
  // 4096 base64 characters decode to 3072 bytes = 3.0 KiB; the svg is 2048 characters of text = 2.0 KiB.
  const std::string png(4096, 'A');
  const std::string svg(2048, 's');
  const std::string text = R"({"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": [
    {"cell_type": "code", "metadata": {}, "source": "show", "outputs": [
      {"output_type": "display_data", "metadata": {},
       "data": {"image/png": ")" +
                           png + R"(", "text/plain": ["<Figure size 640x480 with 1 Axes>"]}},
      {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": [")" +
                           svg + R"("]}}
    ]}]})";
  const Notebook nb = parse_ipynb(text, "img.ipynb");
  ASSERT_EQ(nb.cells[0].outputs.size(), 2u);
  EXPECT_EQ(nb.cells[0].outputs[0].text, "<Figure size 640x480 with 1 Axes>\n[image/png output, 3.0 KiB]");
  EXPECT_EQ(nb.cells[0].outputs[1].text, "[image/svg+xml output, 2.0 KiB]");
}

TEST(Ipynb, AnsiStrippedAndErrorsKept) {
  const std::string text = R"({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
    {"cell_type": "code", "metadata": {}, "source": "df['Age']", "outputs": [
      {"output_type": "error", "ename": "KeyError", "evalue": "\u001b[0;31m'Age'\u001b[0m",
       "traceback": ["\u001b[0;31m---------\u001b[0m", "\u001b[0;31mKeyError\u001b[0m: 'Age'"]},
      {"output_type": "stream", "name": "stderr", "text": "\u001b[1mwarn\u001b[0m\n"}
    ]}]})";
  const Notebook nb = parse_ipynb(text, "err.ipynb");
  const auto& outs = nb.cells[0].outputs;
  ASSERT_EQ(outs.size(), 2u);
  EXPECT_EQ(outs[0].kind, "error");
  EXPECT_EQ(outs[0].ename, "KeyError");
  EXPECT_EQ(outs[0].evalue, "'Age'");
  EXPECT_EQ(outs[0].text, "---------\nKeyError: 'Age'\n");
  EXPECT_EQ(outs[1].text, "warn\n");
}

TEST(Ipynb, LongOutputsAreCutWithAMarkerAndExtraOutputsSummarised) {
  const std::string line(100, 'x');
  std::string outputs;
  for (int i = 0; i < 10; ++i)
    outputs +=
        std::string(i ? "," : "") + R"({"output_type": "stream", "name": "stdout", "text": ")" + line + "\"}";
  const std::string text = R"({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
    {"cell_type": "code", "metadata": {}, "source": "", "outputs": [)" +
                           outputs + "]}]}";
  ReadOptions options;
  options.max_output_chars = 30;
  options.max_outputs_per_cell = 3;
  const Notebook nb = parse_ipynb(text, "long.ipynb", options);
  const auto& outs = nb.cells[0].outputs;
  ASSERT_EQ(outs.size(), 4u);
  EXPECT_EQ(outs[0].text, std::string(30, 'x') + "\n... [truncated 70 chars]");
  EXPECT_EQ(outs[3].text, "[7 more outputs omitted]");
}

TEST(Ipynb, AttachmentsAreIgnored) {
  const std::string text = R"J({"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [
    {"cell_type": "markdown", "metadata": {}, "source": "![image.png](attachment:image.png)",
     "attachments": {"image.png": {"image/png": "iVBORw0KGgo="}}}]})J";
  const Notebook nb = parse_ipynb(text, "att.ipynb");
  ASSERT_EQ(nb.cells.size(), 1u);
  EXPECT_EQ(nb.cells[0].source, "![image.png](attachment:image.png)");
  EXPECT_TRUE(nb.cells[0].outputs.empty());
}

TEST(Ipynb, V3WorksheetsHeadingsAndShortMimeKeys) {
  const std::string text =
      R"({"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "old"}, "worksheets": [
    {"cells": [
      {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Intro"]},
      {"cell_type": "code", "language": "python", "collapsed": false, "metadata": {}, "prompt_number": 4,
       "input": ["a = 1\n", "a"],
       "outputs": [{"output_type": "pyout", "prompt_number": 4, "metadata": {}, "text": ["1"]},
                   {"output_type": "display_data", "metadata": {}, "png": "AAAA", "text": ["<fig>"]}]}
    ]},
    {"metadata": {}}
  ]})";
  const Notebook nb = parse_ipynb(text, "v3.ipynb");
  EXPECT_EQ(nb.nbformat, "3.0");
  EXPECT_EQ(nb.language, "python");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].type, CellType::markdown);
  EXPECT_EQ(nb.cells[0].source, "# Intro");
  EXPECT_EQ(nb.cells[1].source, "a = 1\na");
  EXPECT_EQ(nb.cells[1].execution_count, 4);
  ASSERT_EQ(nb.cells[1].outputs.size(), 2u);
  EXPECT_EQ(nb.cells[1].outputs[0].kind, "execute_result");
  EXPECT_EQ(nb.cells[1].outputs[0].text, "1");
  EXPECT_EQ(nb.cells[1].outputs[1].text, "<fig>\n[image/png output, 0.0 KiB]");
}

TEST(Ipynb, V3WithoutWorksheetsIsAnEmptyNotebook) {
  EXPECT_TRUE(
      parse_ipynb(R"({"nbformat": 3, "nbformat_minor": 0, "metadata": {}})", "n.ipynb").cells.empty());
  EXPECT_TRUE(parse_ipynb(R"({"nbformat": 3, "worksheets": [{"metadata": {}}]})", "w.ipynb").cells.empty());
}

TEST(Ipynb, V2LinesWithoutLineEndsAreJoinedWithNewlines) {
  // nbformat v2/v3 wrote lists made by splitlines() (no "\n"); nbformat's reader joins them with "\n".
  const std::string text = R"({"nbformat": 2, "metadata": {"name": "x"}, "worksheets": [{"cells": [
    {"cell_type": "markdown", "source": ["# Title", "", "Body"]},
    {"cell_type": "code", "input": ["def f():", "    return 1"], "outputs": []}]}]})";
  const Notebook nb = parse_ipynb(text, "v2.ipynb");
  EXPECT_EQ(nb.nbformat, "2.0");
  ASSERT_EQ(nb.cells.size(), 2u);
  EXPECT_EQ(nb.cells[0].source, "# Title\n\nBody");
  EXPECT_EQ(nb.cells[1].source, "def f():\n    return 1");
}

TEST(Ipynb, LanguageFromKernelAndMagicsAndDatabricksTitles) {
  const std::string text = R"({"nbformat": 4, "nbformat_minor": 2,
    "metadata": {"kernelspec": {"name": "pysparkkernel", "language": ""}, "language_info": {"name": "pyspark"}},
    "cells": [
      {"cell_type": "code", "metadata": {"application/vnd.databricks.v1+cell": {"title": "Load"}},
       "source": "%%sql\nSELECT 1", "outputs": []}]})";
  const Notebook nb = parse_ipynb(text, "k.ipynb");
  EXPECT_EQ(nb.language, "python");
  EXPECT_EQ(nb.cells[0].magic, "sql");
  EXPECT_EQ(nb.cells[0].title, "Load");
  const Notebook r =
      parse_ipynb(R"({"nbformat": 4, "metadata": {"kernelspec": {"name": "ir"}}, "cells": []})", "r.ipynb");
  EXPECT_EQ(r.language, "r");
  EXPECT_EQ(r.nbformat, "4.0");
}

// Databricks writes "application/vnd.databricks.v1+notebook" into the notebook metadata of an .ipynb it
// exports; a notebook without it (the one above: only a cell's metadata names Databricks) is no export.
TEST(Ipynb, DatabricksExportFromTheNotebookMetadata) {
  const Notebook nb = parse_ipynb(
      R"({"nbformat": 4, "nbformat_minor": 0, "metadata": {"application/vnd.databricks.v1+notebook":
          {"language": "python", "notebookName": "train"}, "language_info": {"name": "python"}}, "cells": []})",
      "train.ipynb");
  EXPECT_TRUE(nb.databricks_export);
  EXPECT_EQ(nb.language, "python");
  EXPECT_FALSE(parse_ipynb(R"({"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": [
      {"cell_type": "code", "metadata": {"application/vnd.databricks.v1+cell": {"title": "Load"}},
       "source": "x = 1", "outputs": []}]})",
                           "k.ipynb")
                   .databricks_export);
}

TEST(Ipynb, NotANotebookIsAnErrorNamingTheFile) {
  auto message = [](const std::string& text) {
    try {
      parse_ipynb(text, "f.ipynb");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("{\"nbformat\": 4, \"cells\": ["), "f.ipynb: not valid JSON (is the file truncated?)");
  // A stray comma on line 3: the message says where (` "metadata": {},,`: the second comma is column 17,
  // counted by hand).
  EXPECT_EQ(message("{\n \"nbformat\": 4,\n \"metadata\": {},,\n \"cells\": []\n}\n"),
            "f.ipynb: not valid JSON at line 3, column 17");
  // CRLF line ends; an error on the first byte; the column counts characters, not UTF-8 bytes (an editor's
  // column: `"é"` is 3 characters and 4 bytes).
  EXPECT_EQ(message("{\r\n \"nbformat\": 4,\r\n \"metadata\": {},,\r\n \"cells\": []\r\n}\r\n"),
            "f.ipynb: not valid JSON at line 3, column 17");
  EXPECT_EQ(message("}"), "f.ipynb: not valid JSON at line 1, column 1");
  EXPECT_EQ(message("{\"a\": \"\xC3\xA9\xC3\xA9\", x}"), "f.ipynb: not valid JSON at line 1, column 13");
  // Deeper than simdjson reads: nlohmann::json reads it, so there is no place to name, but the reason is
  // said.
  EXPECT_EQ(message("{\"nbformat\": 4, \"cells\": " + std::string(2000, '[') + std::string(2000, ']') + "}")
                .find("f.ipynb: not valid JSON for this reader: nested deeper than"),
            0u);
  EXPECT_EQ(message("{\"nbformat\": 4, \"cells\": [\"\xff\"]}"),
            "f.ipynb: not valid JSON (the text is not valid UTF-8)");
  EXPECT_EQ(message(" \n"), "f.ipynb: empty file, not a notebook");
  EXPECT_EQ(message("[1, 2]"), "f.ipynb: not a notebook (top level is not a JSON object)");
  EXPECT_EQ(message("{\"cells\": []}"), "f.ipynb: not a notebook (no integer \"nbformat\" field)");
  EXPECT_EQ(message("{\"nbformat\": 5, \"cells\": []}"), "f.ipynb: unsupported nbformat 5 (2 to 4 are read)");
  EXPECT_EQ(message("{\"nbformat\": 4, \"metadata\": {}}"),
            "f.ipynb: nbformat 4 notebook without a \"cells\" list");
}

}  // namespace
}  // namespace judge::notebook
