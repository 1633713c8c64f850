#!/usr/bin/env python3
"""Writes a large, SPEC-valid programme folder for benchmarks (`tandem serve`, `tandem build`).

Deterministic: the same arguments give the same files, byte for byte (seeded generator, no clock).

    python3 scripts/gen-programme.py OUT [--participants 10000] [--meetings 2] [--feedback 0.2] [--seed 2026]

OUT/ gets programme.yml, participants.csv (N rows: N/2 mentors, N/2 mentees), pairs.csv (N/2 tandems, every
mentor with a mentee from another organisation), meetings.csv (about --meetings rows per tandem), profiles/<id>.md
(one per participant, about 150 words with front matter) and feedback/*.md (about --feedback entries per tandem).
Nine in ten participants are published.
"""
import argparse
import os
import random
import shutil

WORDS = (
    "Kommunikation Strategie Plattform Video Kanal Publikum Vertrauen Dialog Format Beitrag Community Reichweite "
    "Redaktion Kampagne Wirkung Netzwerk Lernen Zukunft Generation Medien Inhalt Geschichte Erfahrung Projekt "
    "Austausch Team Alltag Werkzeug Daten Sprache Wandel Beziehung Marke Zielgruppe Podcast Newsletter Stimme"
).split()
FILLER = "und die der mit für im auf als wie bei zu von ein eine auch sehr gern oft heute".split()
FIRST = "Lea Noah Zoë Luca Mia Elena Tim Lara Jonas Selin Nils Chiara Amélie Yannick Sébastien Anna Marco Sara Ivo Nina".split()
LAST = "Meier Brunner Favre Bernasconi Keller Rossi Schärer Huber Wyss Yilmaz Zimmermann Pedrazzini Dubois Baumann Rochat Frei Steiner Egger Moser Widmer".split()
TOPICS = "TikTok Instagram LinkedIn Podcasts KI-Tools Video Newsletter Memes Storytelling Datenschutz Barrierefreiheit Reels".split()
LANGS = ["de", "fr", "it", "en"]


def sentence(rng, n):
    words = [rng.choice(WORDS if i % 3 == 0 else FILLER) for i in range(n)]
    return " ".join(words).capitalize() + "."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--participants", type=int, default=10000)
    ap.add_argument("--meetings", type=float, default=2.0, help="meetings per tandem (average)")
    ap.add_argument("--feedback", type=float, default=0.2, help="feedback entries per tandem (average)")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    n = args.participants - args.participants % 2
    half = n // 2
    out = args.out
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "profiles"))
    os.makedirs(os.path.join(out, "feedback"))

    with open(os.path.join(out, "programme.yml"), "w", encoding="utf-8") as f:
        f.write(
            'title: "Reverse Mentoring Benchmark"\n'
            'organiser: "Forum Benchmark"\n'
            "language: de\n"
            'base_url: "https://bench.example.ch/"\n'
            "start: 2026-03-02\n"
            "end: 2026-08-28\n"
            "contact:\n  name: \"Programmbüro\"\n  email: \"programm@bench.example.ch\"\n"
            "milestones:\n"
            "  - date: 2026-03-05\n    title: \"Kick-off\"\n    location: \"Bern\"\n"
            "  - date: 2026-05-28\n    title: \"Halbzeit\"\n    location: \"Zürich\"\n"
            "  - date: 2026-09-24\n    title: \"Symposium\"\n    location: \"Luzern\"\n"
            "feedback:\n  scale: 5\n  questions:\n    nutzen: \"Wie nützlich?\"\n    chemie: \"Wie gut im Tandem?\"\n"
        )

    people = []
    for i in range(n):
        role = "mentor" if i < half else "mentee"
        pid = f"{role}-{i:05d}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        # Mentor i and mentee half+i never share an organisation (different index ranges).
        org = f"Organisation {i % 400:03d}" if role == "mentor" else f"Firma {i % 300:03d}"
        langs = ";".join(sorted(rng.sample(LANGS, rng.randint(1, 3))))
        topics = ";".join(rng.sample(TOPICS, 3))
        publish = "yes" if rng.random() < 0.9 else "no"
        people.append((pid, name, role, org, langs, topics, publish))
    with open(os.path.join(out, "participants.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("id,name,role,organisation,position,email,languages,topics,publish,photo\n")
        for pid, name, role, org, langs, topics, publish in people:
            f.write(f"{pid},{name},{role},{org},Fachperson,{pid}@bench.example.ch,{langs},{topics},{publish},\n")

    tandems = []
    with open(os.path.join(out, "pairs.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("id,mentor,mentee,started,goals,status\n")
        for i in range(half):
            tid = f"t-{i:05d}"
            tandems.append(tid)
            day = 5 + i % 20
            goals = ";".join(sentence(rng, 5)[:-1] for _ in range(2))
            f.write(f"{tid},{people[i][0]},{people[half + i][0]},2026-03-{day:02d},{goals},active\n")

    with open(os.path.join(out, "meetings.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("pair,date,minutes,format,topics,note\n")
        for tid in tandems:
            for _ in range(int(args.meetings) + (1 if rng.random() < args.meetings % 1 else 0)):
                month = rng.randint(4, 8)
                f.write(f"{tid},2026-{month:02d}-{rng.randint(1, 28):02d},{rng.choice([45, 60, 90])},video,"
                        f"{rng.choice(TOPICS)},Notiz {rng.randint(1, 999)}\n")

    for pid, name, *_ in people:
        paragraphs = ["\n".join(sentence(rng, 12) for _ in range(4)) for _ in range(3)]
        with open(os.path.join(out, "profiles", pid + ".md"), "w", encoding="utf-8") as f:
            f.write(f"---\nquote: \"{sentence(rng, 8)}\"\nlinks:\n  - title: \"Website\"\n    url: \"https://example.ch/{pid}\"\n---\n")
            f.write(f"## Über {name}\n\n" + "\n\n".join(paragraphs) + "\n")

    count = 0
    for i, tid in enumerate(tandems):
        if rng.random() >= args.feedback:
            continue
        author = rng.choice(["mentor", "mentee"])
        share = rng.choice(["private", "anonymous", "quote"])
        with open(os.path.join(out, "feedback", f"{tid}-{author}.md"), "w", encoding="utf-8") as f:
            f.write(f"---\npair: {tid}\nauthor: {author}\nphase: midterm\ndate: 2026-05-{rng.randint(1, 28):02d}\n"
                    f"ratings:\n  nutzen: {rng.randint(1, 5)}\n  chemie: {rng.randint(1, 5)}\nshare: {share}\n---\n"
                    f"{sentence(rng, 20)}\n")
        count += 1
    print(f"{out}: {n} participants, {half} tandems, {count} feedback entries")


if __name__ == "__main__":
    main()
