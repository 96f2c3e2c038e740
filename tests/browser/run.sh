#!/bin/sh
# SPDX-License-Identifier: MIT
# ctest's entry to the browser test: node and puppeteer-core (npm ci in this folder) must be there; without
# them the test is skipped (exit 77), or fails when CI=true (scripts/test installs both).
# Usage: tests/browser/run.sh JUDGE_BINARY SOURCE_DIR
here=$(dirname "$0")
if ! command -v node >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then echo "CI=true, and this test cannot run: node is not installed" >&2; exit 1; fi
  echo "skipped: node is not installed (scripts/deps --test installs it)" >&2
  exit 77
fi
exec node "$here/label_page.test.js" "$1" "$2"
