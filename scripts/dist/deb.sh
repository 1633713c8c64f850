#!/bin/bash
# `make deb`: dist/tandem_<version>_<arch>.deb from the release archive `make dist` built.
#
# Installs tandem in /usr/bin, the man page, the bash/zsh/fish completions in the places those shells look, and the
# README and guides in /usr/share/doc/tandem/. Depends: the shared libraries the executable still needs, as
# dpkg-shlibdeps finds them (libc6, libcurl4, libgcc-s1, libstdc++6); Recommends: weasyprint and qpdf (tandem build --pdf;
# qpdf splits the announcements laid out as one document into per-tandem files).
# Reproducible: every file's time is the commit's (SOURCE_DATE_EPOCH), owners root:root.
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
version=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/tandem/main.swift)
name="tandem-$version-linux-$(uname -m)"
archive="dist/$name.tar.gz"
[ -f "$archive" ] || { echo "error: $archive missing; run make dist first" >&2; exit 1; }
arch=$(dpkg --print-architecture)
export SOURCE_DATE_EPOCH=$(git log -1 --format=%ct HEAD)
work="$root/.build/dist/deb"
pkg="$work/root"
rm -rf "$work"
mkdir -p "$work"
tar -xzf "$archive" -C "$work"
from="$work/$name"
(cd "$from" && sha256sum --quiet -c SHA256SUMS)

install -D -m 0755 "$from/tandem" "$pkg/usr/bin/tandem"
install -d "$pkg/usr/share/man/man1"
gzip -n -9 -c "$from/man/tandem.1" > "$pkg/usr/share/man/man1/tandem.1.gz"
install -D -m 0644 "$from/completions/tandem.bash" "$pkg/usr/share/bash-completion/completions/tandem"
install -D -m 0644 "$from/completions/_tandem" "$pkg/usr/share/zsh/vendor-completions/_tandem"
install -D -m 0644 "$from/completions/tandem.fish" "$pkg/usr/share/fish/vendor_completions.d/tandem.fish"
install -d "$pkg/usr/share/doc/tandem"
cp -r "$from/docs/." "$pkg/usr/share/doc/tandem/"
install -m 0644 "$from/README.md" "$from/BUILD-INFO" "$pkg/usr/share/doc/tandem/"
if [ -f "$from/LICENSE" ]; then install -m 0644 "$from/LICENSE" "$pkg/usr/share/doc/tandem/copyright"; fi
find "$pkg" -type d -exec chmod 0755 {} +
find "$pkg/usr/share" -type f -exec chmod 0644 {} +

# The shared libraries that remain, as Debian package dependencies.
mkdir -p "$work/shlibs/debian"
printf 'Source: tandem\n\nPackage: tandem\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$pkg/usr/bin/tandem" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "error: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

mkdir -p "$pkg/DEBIAN"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: tandem
Version: $version
Architecture: $arch
Maintainer: ${DEB_MAINTAINER:-Tandem project <tandem@example.org>}
Installed-Size: $(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
Section: utils
Priority: optional
Depends: $depends
Recommends: weasyprint, qpdf
Suggests: xdg-utils
Description: publishes a mentoring programme as a microsite, handouts and e-mails
 Tandem reads a programme folder (programme.yml, participants.csv, pairs.csv,
 profiles, pages) and writes a static public microsite, printable handouts,
 one announcement e-mail per tandem and an internal report. Only people who
 agreed are ever published. tandem new starts a programme; tandem build
 --pdf needs WeasyPrint.
CONTROL

deb="dist/tandem_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
(cd dist && sha256sum "$(basename "$deb")" > "$(basename "$deb").sha256")
echo "Built $deb ($(du -h "$deb" | cut -f1)); Depends: $depends"
