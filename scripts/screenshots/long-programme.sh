#!/usr/bin/env bash
# A second programme for screenshots: "no photos, long names". Makes a 40-person sample and edits it so that
# nobody has a photo, a few published people have long names and long organisations, and one public tandem has
# ended early (its status must not show on public pages).
#
#   scripts/screenshots/long-programme.sh [CONTENT_DIR] [TANDEM]
#
# CONTENT_DIR defaults to /dev/shm/site-long/Content (replaced), TANDEM to .build/release/tandem.
set -euo pipefail
content="${1:-/dev/shm/site-long/Content}"
tandem="${2:-.build/release/tandem}"
rm -rf "$content"
"$tandem" sample --participants 40 --output "$content" >/dev/null
python3 - "$content" <<'PY'
import csv, io, pathlib, sys

content = pathlib.Path(sys.argv[1])

def read(name):
    text = (content / name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return rows, list(rows[0].keys())

def write(name, rows, fields):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (content / name).write_text(out.getvalue(), encoding="utf-8")

people, fields = read("participants.csv")
pairs, pair_fields = read("pairs.csv")
by_id = {p["id"]: p for p in people}

# No photos at all: every avatar is initials.
for p in people:
    p["photo"] = ""

# The first three tandems are public and carry the long names; the people keep their ids (file names, URLs).
long_names = [
    ("Anna-Katharina von Graffenried-Wattenwyl", "f", "Eidgenössisches Departement für Umwelt, Verkehr, Energie und Kommunikation UVEK"),
    ("Maximilian Alexander Zimmermann-Oberholzer", "m", "Schweizerische Radio- und Fernsehgesellschaft SRG SSR, Generaldirektion Kommunikation"),
    ("Marie-Christine Dubois-Rochat de Montmollin", "f", "Département de l’économie, de l’innovation et du sport du canton de Genève"),
    ("Jean-Baptiste Wüthrich-Schwarzenbach", "m", "Kantonale Gebäudeversicherung Graubünden, Abteilung Prävention und Kommunikation"),
]
named = 0
for pair in pairs[:2]:
    for key in ("mentor", "mentee"):
        person = by_id[pair[key]]
        person["publish"] = "yes"
        if named < len(long_names):
            person["name"], gender, person["organisation"] = long_names[named]
            if "gender" in fields:
                person["gender"] = gender
            named += 1
    pair["goals"] = pair["goals"] or "Einen eigenen Kanal aufbauen;Das Team für kurze Videos gewinnen"

# One public tandem ended early: internal only, never a public badge.
pairs[2]["status"] = "ended"
for key in ("mentor", "mentee"):
    by_id[pairs[2][key]]["publish"] = "yes"

write("participants.csv", people, fields)
write("pairs.csv", pairs, pair_fields)

photos = content / "assets" / "photos"
if photos.is_dir():
    for f in photos.iterdir():
        f.unlink()
    photos.rmdir()
print(f"{content}: {len(people)} participants, {len(pairs)} tandems; long names on {named} people, "
      f"tandem {pairs[2]['id'] or pairs[2]['mentor'] + '--' + pairs[2]['mentee']} ended")
PY
