#!/bin/sh
# Install the runos CLI: download this machine's release archive and SHA256SUMS, verify the
# checksum, and put `runos` in ~/.local/bin (or --dir DIR).
#
#   curl -fsSL https://get.runos.com/cli/install.sh | sh
#   sh install.sh [--dir DIR] [--version VERSION]
#
# Where from: $RUNOS_INSTALL_BASE_URL, the directory holding a release's archives and SHA256SUMS
# (laid out as `make release` writes dist/release/). Default: https://get.runos.com/cli/releases/latest,
# or https://get.runos.com/cli/releases/v<VERSION> with --version.
# Needs: curl or wget, sha256sum or shasum, tar. Supported: Linux and macOS on x64 and arm64 (Windows:
# download runos-<version>-windows-x64.zip by hand). The platform comes from `uname -s` and `uname -m`.
# Nothing is installed unless the download matches its checksum.
set -eu

DEFAULT_BASE_URL=https://get.runos.com/cli/releases

say() { printf '%s\n' "$*"; }
fail() { printf 'runos install: error: %s\n' "$*" >&2; exit 1; }
usage() {
  say "usage: install.sh [--dir DIR] [--version VERSION]"
  say "  --dir DIR          install runos into DIR (default: \$HOME/.local/bin)"
  say "  --version VERSION  install that release (e.g. 0.1.0) instead of the latest"
  say "  RUNOS_INSTALL_BASE_URL  download from there instead of $DEFAULT_BASE_URL/latest"
}

dir=
version=
while [ $# -gt 0 ]; do
  case $1 in
    --dir) [ $# -ge 2 ] || fail "--dir needs a directory"; dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    --version) [ $# -ge 2 ] || fail "--version needs a version, e.g. --version 0.1.0"; version=$2; shift 2 ;;
    --version=*) version=${1#--version=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; fail "unknown argument: $1" ;;
  esac
done
version=${version#v}
case $version in
  *[!0-9A-Za-z.+-]*) fail "not a version: $version (expected something like 0.1.0)" ;;
esac
if [ -z "$dir" ]; then
  [ -n "${HOME:-}" ] || fail "HOME is not set: pass --dir DIR"
  dir=$HOME/.local/bin
fi

# The platform, as the release archives name it.
kernel=$(uname -s)
machine=$(uname -m)
case $kernel in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW*|MSYS*|CYGWIN*|Windows_NT)
    fail "Windows is not supported by this script: download runos-<version>-windows-x64.zip from ${RUNOS_INSTALL_BASE_URL:-$DEFAULT_BASE_URL/latest} and put runos.exe on your PATH" ;;
  *) fail "unsupported operating system: $kernel (runos ships for Linux and macOS on x64 and arm64)" ;;
esac
case $machine in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) fail "unsupported CPU architecture: $machine on $kernel (runos ships for x64 and arm64)" ;;
esac
# An x64 shell under Rosetta on Apple silicon: install the native build.
if [ "$os-$arch" = darwin-x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
  arch=arm64
fi

if [ -n "${RUNOS_INSTALL_BASE_URL:-}" ]; then
  base_url=${RUNOS_INSTALL_BASE_URL%/}
elif [ -n "$version" ]; then
  base_url=$DEFAULT_BASE_URL/v$version
else
  base_url=$DEFAULT_BASE_URL/latest
fi

if command -v curl >/dev/null 2>&1; then
  download() { curl -fsSL --retry 2 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
  download() { wget -q -O "$2" "$1"; }
else
  fail "neither curl nor wget is installed: install one of them and run this again"
fi
if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  fail "neither sha256sum nor shasum is installed: one is needed to verify the download"
fi
command -v tar >/dev/null 2>&1 || fail "tar is not installed: it is needed to unpack the download"

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t runos-install)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

download "$base_url/SHA256SUMS" "$tmp/SHA256SUMS" || fail "could not download $base_url/SHA256SUMS"

# The archive for this platform: named by --version, else the one SHA256SUMS lists for it.
suffix="-$os-$arch.tar.gz"
if [ -n "$version" ]; then
  archive=runos-$version$suffix
  expected=$(awk -v name="$archive" '{ file = $2; sub(/^\*/, "", file) } file == name { print $1; exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || fail "runos $version for $os-$arch is not in $base_url/SHA256SUMS"
else
  line=$(awk -v suffix="$suffix" '{ file = $2; sub(/^\*/, "", file) } file ~ /^runos-/ && substr(file, length(file) - length(suffix) + 1) == suffix { print $1 " " file; exit }' "$tmp/SHA256SUMS")
  [ -n "$line" ] || fail "no runos build for $os-$arch in $base_url/SHA256SUMS"
  expected=${line%% *}
  archive=${line#* }
  version=${archive#runos-}
  version=${version%"$suffix"}
fi

say "Downloading runos $version for $os-$arch from $base_url"
download "$base_url/$archive" "$tmp/$archive" || fail "could not download $base_url/$archive"
actual=$(sha256 "$tmp/$archive")
if [ "$actual" != "$expected" ]; then
  fail "checksum mismatch for $archive: SHA256SUMS says $expected, the download is $actual; nothing was installed"
fi

mkdir "$tmp/unpacked"
tar -xzf "$tmp/$archive" -C "$tmp/unpacked" || fail "could not unpack $archive"
[ -f "$tmp/unpacked/runos" ] || fail "$archive holds no runos executable"

mkdir -p "$dir" || fail "could not create $dir"
# Copy next to the target, then rename over it: a running runos is never half-overwritten.
cp "$tmp/unpacked/runos" "$dir/.runos.$$" || fail "could not write to $dir"
chmod 755 "$dir/.runos.$$"
mv -f "$dir/.runos.$$" "$dir/runos" || { rm -f "$dir/.runos.$$"; fail "could not install $dir/runos"; }

say "Installed runos $version to $dir/runos (checksum verified)"
case ":${PATH:-}:" in
  *":$dir:"*) ;;
  *)
    say ""
    say "$dir is not on your PATH. Add it, e.g. in ~/.profile or ~/.zshrc:"
    say "  export PATH=\"$dir:\$PATH\""
    ;;
esac
say ""
say "Next:"
say "  runos login --api-key <personal-access-token> --account-id <account>"
say "  runos mcp configure claude"
