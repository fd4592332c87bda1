#!/usr/bin/env bash
# Measures the parents' wasm of the working tree as the build makes it, without Trunk (so that it
# needs no build lock and leaves dist/ alone): cargo's release wasm → the build's wasm-bindgen →
# wasm-opt -Oz with the features Trunk enables → raw, gzip -9 and brotli 11 bytes (node zlib, as
# bench/size.mjs). For trying a change to the profile or the code, one line per LABEL:
#   bash bench/wasm-size.sh LABEL      # appends "LABEL raw gzip brotli" to out/bench/wasm-size.txt
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh >/dev/null
label="${1:?name the variant measured}"
out="out/bench/wasm-size/$label"
rm -rf "$out"
mkdir -p "$out"
cargo build --quiet --release --target wasm32-unknown-unknown -p driehoek --bin driehoek
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/driehoek.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$out/opt.wasm" "$out/driehoek_bg.wasm"
node -e "
const fs = require('fs'), z = require('zlib');
const b = fs.readFileSync(process.argv[1]);
const br = z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } });
console.log(process.argv[2], b.length, z.gzipSync(b, { level: 9 }).length, br.length);
" "$out/opt.wasm" "$label" | tee -a out/bench/wasm-size.txt
