#!/bin/sh
# SPDX-License-Identifier: MIT
# The tests' private temporary folder (TMPDIR of every test, tests/CMakeLists.txt):
#   temp_folder.sh empty DIR   removes DIR and makes it anew, empty (before the tests)
#   temp_folder.sh check DIR   fails, listing them, when files or folders are left in DIR (after the tests)
set -eu
action=$1
dir=$2
case $action in
  empty)
    rm -rf "$dir"
    mkdir -p "$dir"
    ;;
  check)
    left=$(ls -A "$dir")
    if [ -n "$left" ]; then
      echo "tests left these in their temporary folder $dir (every test must remove what it creates):"
      echo "$left"
      exit 1
    fi
    echo "temporary folder $dir is empty"
    ;;
  *)
    echo "usage: temp_folder.sh empty|check DIR" >&2
    exit 2
    ;;
esac
