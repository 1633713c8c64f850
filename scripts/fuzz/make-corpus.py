#!/usr/bin/env python3
"""Writes the seed corpus (corpus/<target>/) from the sample programme (Content/) and the theme (Templates/).

Run from anywhere: python3 scripts/fuzz/make-corpus.py. Deterministic; each target gets a few dozen small files
(at most the target's max_len), so the committed corpus stays small. libFuzzer adds what it finds elsewhere
(.build/fuzz/corpus/<target>/), never here.
"""
import csv
import glob
import hashlib
import io
import os
import shutil

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
content = os.path.join(root, "Content")
templates = os.path.join(root, "Templates")
LIMIT = 2048


def write(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = data[:LIMIT]
    folder = os.path.join(here, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


for target in ["csv", "yaml", "markdown", "template", "mime"]:
    shutil.rmtree(os.path.join(here, "corpus", target), ignore_errors=True)

# CSV: each sample file in slices of a header and a few rows, comma and semicolon variants, CRLF.
for name in ["participants.csv", "pairs.csv", "meetings.csv"]:
    lines = read(os.path.join(content, name)).splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    for start in range(0, len(rows), 8):
        write("csv", header + "".join(rows[start:start + 4]))
    rows_read = list(csv.reader(io.StringIO("".join(lines[:5]))))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows_read)
    write("csv", out.getvalue())
write("csv", 'id,name\n"a ""quoted"" id",x\n"never closed,y\n')

# YAML: front matter of profiles, feedback and pages (with a little body), programme.yml, UI strings.
markdown_files = sorted(glob.glob(os.path.join(content, d, "*.md")) for d in ["profiles", "feedback", "pages"])
markdown_files = [p for group in markdown_files for p in group]
for path in markdown_files[::3]:
    text = read(path)
    end = text.find("\n---\n", 4)
    write("yaml", text[: end + 5 + 120] if end > 0 else text[:400])
write("yaml", read(os.path.join(content, "programme.yml")))
for path in sorted(glob.glob(os.path.join(templates, "strings", "*.yml")))[::3]:
    write("yaml", read(path)[:1500])

# Markdown: bodies of pages, profiles and feedback, some with addresses written in different ways.
for path in markdown_files[::2]:
    write("markdown", read(path)[:1500])
for sample in [
    "Schreib mir: laura.schmid@firma.example.ch oder [Mail](mailto:x@example.ch).",
    'Adresse: "x y"@example.ch, x@[192.168.0.1], laura@zürich-medien.ch, laura.schmid@*firma*.example.ch',
    "laura\u200b@example.ch, @media, 5@3, `code@example.ch`",
    '# Titel\n\n## Titel\n\n> Zitat "mit" Anführungszeichen\n\n- a\n- b\n\n![Bild](x.png) <script>x</script> [j](javascript:alert(1))',
]:
    write("markdown", sample)

# Templates: the theme's templates (cut to the limit), and a few tags of every kind.
for path in sorted(glob.glob(os.path.join(templates, "**", "*.mustache"), recursive=True)):
    write("template", read(path))
write("template", "{{#items}}{{name}}{{#first()}}!{{/first()}}{{/items}}{{^empty}}x{{/empty}}{{{title}}}{{&title}}")
write("template", "{{<page}}{{$main}}body {{>item}}{{/main}}{{/page}}{{=<% %>=}}<% title %>{{! comment }}")
write("template", "{{% CONTENT_TYPE: TEXT}}\n  {{>self}}\n{{>*partialName}}{{count(items)}}{{nested.deep.value}}")

# MIME: names, organisations, subjects and notes of the sample.
with open(os.path.join(content, "participants.csv"), encoding="utf-8") as f:
    people = list(csv.DictReader(f))
for person in people[::2]:
    write("mime", person["name"] + " (" + person["organisation"] + ")")
with open(os.path.join(content, "meetings.csv"), encoding="utf-8") as f:
    for row in list(csv.DictReader(f))[::12]:
        write("mime", row["note"])
for sample in ['"Quoted" \\ name, <x@y>', "Zoë Favre-Girard\r\nBcc: x@example.ch", "a\u0301" * 40, "=?UTF-8?B?x?=",
               "local.part\u0000reverse-mentoring.example.ch", "x" * 120]:
    write("mime", sample)

for target in ["csv", "yaml", "markdown", "template", "mime"]:
    print(target, len(os.listdir(os.path.join(here, "corpus", target))))
