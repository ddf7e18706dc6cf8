#!/bin/sh
# Build Rapport's virtual environment in $1 (the image's first stage runs this; so can CI).
# torch comes from its CPU-only index: the CUDA wheels would add gigabytes nobody uses here.
set -eu
target="${1:?usage: install.sh TARGET_VENV [SOURCE_DIR]}"
source_dir="${2:-.}"
python3 -m venv "$target"
"$target/bin/pip" install --upgrade pip
"$target/bin/pip" install --index-url https://download.pytorch.org/whl/cpu "torch>=2.4,<2.14"
"$target/bin/pip" install "$source_dir"
