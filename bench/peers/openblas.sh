#!/bin/sh
# Unpacks Debian's OpenBLAS build of libblas.so.3 into bench/peers/.openblas (no
# root, nothing installed system-wide). The Python peers then run twice: with the
# system's libblas.so.3 (on a bare Debian: netlib's reference BLAS, what
# python3-numpy gets without libopenblas0) and with OpenBLAS first on
# LD_LIBRARY_PATH (what `pip install numpy scipy` gets: its wheels bundle OpenBLAS).
#   sh bench/peers/openblas.sh
set -e
dest="$(dirname "$0")/.openblas"
deb=$(ls /var/cache/apt/archives/libopenblas0-pthread_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download libopenblas0-pthread)
  deb=$(ls "$tmp"/libopenblas0-pthread_*.deb | head -n 1)
fi
rm -rf "$dest"
dpkg -x "$deb" "$dest"
ls "$dest"/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
