#!/usr/bin/env bash
# Cross-builds release archives for the servers governments run: linux/amd64,
# linux/arm64 (鲲鹏, 飞腾) and linux/loong64 (龙芯), without cgo. Each archive
# holds the binary, the systemd unit, an example configuration and the docs.
#   bash scripts/release.sh            # version from git describe
#   VERSION=1.2.0 bash scripts/release.sh
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
OUT=dist
rm -rf "$OUT"
mkdir -p "$OUT"
for arch in amd64 arm64 loong64; do
  name="gongjian-$VERSION-linux-$arch"
  dir="$OUT/$name"
  mkdir -p "$dir/docs"
  echo "release: building $name"
  CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build -trimpath \
    -ldflags "-s -w -X main.version=$VERSION" -o "$dir/gongjian" ./cmd/gongjian
  cp packaging/gongjian.service packaging/gongjian.conf.example README.md "$dir/"
  cp docs/*.md "$dir/docs/"
  tar -C "$OUT" -czf "$OUT/$name.tar.gz" "$name"
  rm -rf "$dir"
done
(cd "$OUT" && sha256sum ./*.tar.gz > SHA256SUMS)
ls -l "$OUT"
