#!/bin/bash
# `make dist-check`: the proof that the .deb works on a machine without Swift.
#
# Creates a minimal Debian root (debootstrap --variant=minbase, the release of this machine, no Swift toolchain),
# installs dist/tandem_<version>_<arch>.deb there with `apt-get install ./…deb` (which pulls in its Depends and the
# recommended weasyprint), and runs tandem new, check --strict, build and build --pdf inside it, in a folder without
# Templates/. Needs root (debootstrap, chroot) and the Debian mirror (DEBIAN_MIRROR, default deb.debian.org).
# Slow (minutes, several hundred MB under /var/tmp, removed at the end): CI skips it.
set -euo pipefail

root=$(git rev-parse --show-toplevel)
cd "$root"
version=$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' Sources/tandem/main.swift)
deb="dist/tandem_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || { echo "error: $deb missing; run make deb first" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "error: debootstrap and chroot need root (sudo make dist-check)" >&2; exit 1; }
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

target=$(mktemp -d /var/tmp/tandem-dist-check.XXXXXX)
cleanup() {
    umount "$target/proc" 2>/dev/null || true
    rm -rf --one-file-system "$target"
}
trap cleanup EXIT
started=$(date +%s)

if [ -n "${DIST_CHECK_BASE:-}" ]; then
    # A pristine root made earlier by `debootstrap --variant=minbase` (to repeat the check without the download);
    # it is copied, never changed.
    echo "== copying the Debian root $DIST_CHECK_BASE into $target"
    cp -a "$DIST_CHECK_BASE/." "$target/"
else
    echo "== debootstrap $suite (minbase) into $target"
    debootstrap --variant=minbase "$suite" "$target" "$mirror" > "$target.log" 2>&1 || { tail -20 "$target.log"; exit 1; }
    rm -f "$target.log"
fi
bootstrapped=$(date +%s)
mount -t proc proc "$target/proc" 2>/dev/null || echo "note: /proc not mounted in the root"
cp "$deb" "$target/tmp/"

echo "== apt-get install ./$(basename "$deb") (no Swift toolchain in the root)"
chroot "$target" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 /bin/bash -euo pipefail -c "
    if command -v swift || ls /usr/lib/*/libswiftCore.so /usr/lib/swift 2>/dev/null; then echo 'error: Swift found in the root'; exit 1; fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /tmp/$(basename "$deb") > /tmp/apt.log || { tail -30 /tmp/apt.log; exit 1; }
    dpkg -s weasyprint | grep -q '^Status: install ok installed'
    echo '== files installed'
    ls -l /usr/bin/tandem /usr/share/man/man1/tandem.1.gz /usr/share/bash-completion/completions/tandem \
        /usr/share/zsh/vendor-completions/_tandem /usr/share/fish/vendor_completions.d/tandem.fish
    echo '== ldd tandem'
    ldd /usr/bin/tandem
    if ldd /usr/bin/tandem | grep -Ei 'swift|not found'; then echo 'error: Swift runtime or missing library'; exit 1; fi
    tandem --version
    cd /root
    echo '== tandem new / check --strict / build / build --pdf'
    for language in de fr it en; do
        tandem new mentoring-\$language --language \$language --title 'Mentoring 2027' --organiser 'Forum Kommunikation'
        cd mentoring-\$language
        test ! -e Templates
        tandem check --strict 2> check.err
        if [ -s check.err ]; then cat check.err; echo 'error: tandem check printed a message'; exit 1; fi
        tandem build
        tandem build --pdf
        ls Output/print/*.pdf
        test -s Output/site/index.html
        cd ..
    done
"
finished=$(date +%s)
echo "== dist-check passed: debootstrap $((bootstrapped - started)) s, install and run $((finished - bootstrapped)) s, total $((finished - started)) s"
