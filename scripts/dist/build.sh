#!/bin/bash
# `make dist`: the release archive dist/tandem-<version>-linux-<arch>.tar.gz, built from the committed HEAD.
#
# - Built from `git archive HEAD` in .build/dist/src (never from the working tree: uncommitted edits cannot slip into
#   a release, and the commit printed by `tandem --version` is exactly what was compiled). The commit is written into
#   Sources/tandem/main.swift of that export only.
# - One executable without the Swift runtime: --static-swift-stdlib; libcmark linked statically from Debian's
#   libcmark.a. What remains shared is listed in dist/tandem-<version>-linux-<arch>.libs (libcurl: Foundation's
#   networking part; the C and C++ runtime).
# - Reproducible: fixed source path and prefix maps, the binary stripped, tar sorted with fixed owner and mtime (the
#   commit's time), gzip without a name or time. Dependency versions are pinned by the checkout's Package.resolved
#   when there is one (copied into the export).
# Needs: git, a Swift 6 toolchain, libcmark-dev, libcurl4-openssl-dev (see docs/install.md, "Building a release").
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
commit=$(git rev-parse HEAD)
short=${commit:0:12}
version=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/tandem/main.swift)
[ -n "$version" ] || { echo "error: no version in Sources/tandem/main.swift" >&2; exit 1; }
arch=$(uname -m)
multiarch=$(gcc -print-multiarch 2>/dev/null || echo "$arch-linux-gnu")
name="tandem-$version-linux-$arch"
work="$root/.build/dist"
src="$work/src"
out="$root/dist"
epoch=$(git log -1 --format=%ct "$commit")

if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    echo "note: uncommitted changes are not in the release; it is built from commit $short" >&2
fi

# The source: exactly the commit (the scratch folder beside it keeps the build incremental).
rm -rf "$src"
mkdir -p "$src" "$work/static" "$out"
git archive --format=tar "$commit" | tar -x -C "$src"
if [ -f Package.resolved ]; then cp Package.resolved "$src/"; fi
sed -i "s/static let commit: String? = nil/static let commit: String? = \"$short\"/" "$src/Sources/tandem/main.swift"
grep -q "\"$short\"" "$src/Sources/tandem/main.swift" || { echo "error: could not stamp the commit" >&2; exit 1; }

# libcmark statically: SwiftPM links what pkg-config says (Debian's libcmark.pc: -L/usr/lib/<arch> -lcmark, which
# picks the shared library). A libcmark.pc of our own, first on PKG_CONFIG_PATH, points -L at a folder that holds
# only the static library, so -lcmark resolves to libcmark.a. The header flags stay Debian's.
static_cmark="/usr/lib/$multiarch/libcmark.a"
[ -f "$static_cmark" ] || { echo "error: $static_cmark missing (apt-get install libcmark-dev)" >&2; exit 1; }
ln -sf "$static_cmark" "$work/static/libcmark.a"
mkdir -p "$work/pkgconfig"
cmark_version=$(pkg-config --modversion libcmark)
printf 'Name: libcmark\nDescription: CommonMark (static, for the release build)\nVersion: %s\nLibs: -L%s -lcmark\nCflags: %s\n' \
    "$cmark_version" "$work/static" "$(pkg-config --cflags libcmark)" > "$work/pkgconfig/libcmark.pc"
export PKG_CONFIG_PATH="$work/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"

cd "$src"
swift build -c release --product tandem --static-swift-stdlib \
    --scratch-path "$work/scratch" \
    -Xswiftc -file-prefix-map -Xswiftc "$src=/tandem" \
    -Xswiftc -file-prefix-map -Xswiftc "$work/scratch=/tandem/.build" \
    -Xlinker --build-id=none
binary="$work/scratch/release/tandem"

# The archive's folder.
stage="$work/stage/$name"
rm -rf "$work/stage"
mkdir -p "$stage/completions" "$stage/man" "$stage/docs"
strip --strip-all -o "$stage/tandem" "$binary"
chmod 0755 "$stage/tandem"
"$stage/tandem" --generate-completion-script bash > "$stage/completions/tandem.bash"
"$stage/tandem" --generate-completion-script zsh > "$stage/completions/_tandem"
"$stage/tandem" --generate-completion-script fish > "$stage/completions/tandem.fish"
python3 "$root/scripts/dist/manpage.py" "$stage/tandem" "$version" "$epoch" > "$stage/man/tandem.1"
cp README.md "$stage/"
cp -r docs/. "$stage/docs/"
if [ -f LICENSE ]; then cp LICENSE "$stage/"; else echo "warning: the repository has no LICENSE file; the archive has none" >&2; fi
printf 'tandem %s\ncommit %s\nbuilt with %s\n' "$version" "$commit" "$(swift --version 2>/dev/null | head -1)" > "$stage/BUILD-INFO"
(cd "$stage" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > SHA256SUMS)

# What stays shared (never a Swift runtime library: checked here).
ldd "$stage/tandem" | awk '{print $1}' | LC_ALL=C sort > "$out/$name.libs"
if grep -Ei 'libswift|libFoundation|libdispatch|libBlocksRuntime|libcmark' "$out/$name.libs"; then
    echo "error: the executable needs a Swift runtime library or the shared libcmark (above)" >&2
    exit 1
fi
# The libraries the executable names itself (ldd above adds what those load in turn).
readelf -d "$stage/tandem" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' > "$out/$name.needed"

find "$work/stage" -exec touch -h -d "@$epoch" {} +
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" --mode='u+rwX,go+rX,go-w' \
    -C "$work/stage" -cf - "$name" | gzip -n -9 > "$out/$name.tar.gz"
(cd "$out" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")

echo "Built $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1)) from commit $short"
echo "executable: $(sha256sum "$stage/tandem" | cut -d' ' -f1)  $(du -h "$stage/tandem" | cut -f1)"
echo "shared libraries it links: $(tr '\n' ' ' < "$out/$name.needed")"
