#!/usr/bin/env bash
# Packs what the engine needs on the lent GPU machine (which has no Node and no internet) into
# .carry/ (git-ignored), within the device tool's 64 MiB carry limit:
#   .carry/node.xz                 this machine's node binary (99 MB, ~24 MB compressed)
#   .carry/remaster-runtime.tar.xz dist/ + production node_modules with linux-x64 natives only
#                                  (onnxruntime-node's CPU+WebGPU library, sharp's libvips)
# WebGPU on Linux runs on Vulkan: also carry .gl/ (libvulkan1 etc., see the device tool's notes).
#
# On the device machine (carry: [".carry", ".gl"]):
#   for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig
#   xz -dc .carry/node.xz > /tmp/node && chmod +x /tmp/node && tar -xJf .carry/remaster-runtime.tar.xz
#   /tmp/node dist/test/bench/index.js --device webgpu --sizes 512,2048
# (if Vulkan finds no driver: export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json)
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .carry
node node_modules/typescript/bin/tsc -p tsconfig.json
if [ ! -s .carry/node.xz ]; then
  xz -T0 -6 -c "$(command -v node)" > .carry/node.xz.tmp && mv .carry/node.xz.tmp .carry/node.xz
fi
# Production dependency closure, as paths relative to the repository.
mapfile -t packages < <(npm ls --omit=dev --all --parseable 2>/dev/null | sed "s#^$PWD/##" | grep '^node_modules/' | sort -u)
ort=node_modules/onnxruntime-node/bin/napi-v6
tar -cJf .carry/remaster-runtime.tar.xz.tmp \
  --exclude="$ort/darwin" --exclude="$ort/win32" --exclude="$ort/linux/arm64" \
  --exclude='node_modules/@img/sharp-*-arm*' --exclude='*.map' --exclude='*.d.ts' \
  dist "${packages[@]}"
mv .carry/remaster-runtime.tar.xz.tmp .carry/remaster-runtime.tar.xz
du -ch .carry/node.xz .carry/remaster-runtime.tar.xz .gl 2>/dev/null | tail -n +1
