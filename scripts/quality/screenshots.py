#!/usr/bin/env python3
"""Screenshot smoke test: headless Chromium renders pages of a built site to PNG, and each PNG must show something.

    python scripts/quality/screenshots.py Output/site DEST [--pages index.html,participants/<first>.html]

By default: the home page and the longest participant profile (below the main language's folder when the site has
several), each at desktop (1280 px) and phone (390 px) width. A screenshot fails when Chromium writes none, or when
it is (almost) one colour, which is what a page that failed to load or lost its stylesheet looks like.
Chromium runs with --no-sandbox (CI runs as root) and offline; no Python package is needed.
"""
import argparse, os, pathlib, shutil, struct, subprocess, sys, tempfile, time, zlib

SIZES = {"desktop": (1280, 1800), "phone": (390, 1600)}


def chromium():
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    sys.exit("screenshots.py: chromium not found (Debian: apt-get install chromium)")


def default_pages(site):
    root = site
    if not (site / "participants").is_dir():  # several languages: site/<lang>/...
        languages = sorted(p for p in site.iterdir() if p.is_dir() and (p / "participants").is_dir())
        if languages:
            root = languages[0]
    pages = [root / "index.html"]
    profiles = [p for p in (root / "participants").glob("*.html") if p.name != "index.html"]
    if profiles:  # the longest profile: text, links, tandem
        pages.append(max(sorted(profiles), key=lambda p: p.stat().st_size))
    return pages


def png_colours(path):
    """Width, height and a rough count of distinct colours (sampled) of an 8-bit RGB/RGBA PNG."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    offset, idat, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunk = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    width, height, depth, colour_type = header[:4]
    channels = {2: 3, 6: 4}.get(colour_type)
    if depth != 8 or channels is None:
        return width, height, None
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    position = 0
    for row in range(height):
        kind = raw[position]
        line = bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        for i in range(stride):  # undo the PNG row filter
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        previous = line
        if row % 8 == 0:
            for x in range(0, width, 4):
                colours.add(bytes(line[x * channels:x * channels + 3]))
    return width, height, len(colours)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site")
    parser.add_argument("dest")
    parser.add_argument("--pages", help="comma-separated paths below the site folder")
    args = parser.parse_args()
    site = pathlib.Path(args.site)
    dest = pathlib.Path(args.dest)
    dest.mkdir(parents=True, exist_ok=True)
    pages = [site / p for p in args.pages.split(",")] if args.pages else default_pages(site)
    browser = chromium()
    failures = 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as profile:
        for page in pages:
            if not page.is_file():
                print(f"{page}: error: no such page")
                failures += 1
                continue
            for label, (width, height) in SIZES.items():
                name = str(page.relative_to(site)).replace("/", "_").removesuffix(".html") + f"-{label}.png"
                target = (dest / name).resolve()
                target.unlink(missing_ok=True)
                command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--hide-scrollbars", "--no-first-run", "--disable-background-networking",
                           f"--user-data-dir={profile}", f"--window-size={width},{height}",
                           f"--screenshot={target}", page.resolve().as_uri()]
                subprocess.run(command, capture_output=True, timeout=120)
                if not target.is_file():
                    print(f"{page}: error: Chromium wrote no screenshot ({label})")
                    failures += 1
                    continue
                w, h, colours = png_colours(target)
                verdict = "ok"
                if colours is not None and colours < 8:
                    verdict = "error: the page looks blank"
                    failures += 1
                print(f"{target}: {w}x{h}, {colours if colours is not None else '?'} colours: {verdict}")
    print(f"screenshots: {len(pages)} pages, {failures} failures ({time.monotonic() - started:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
