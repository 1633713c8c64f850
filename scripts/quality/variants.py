#!/usr/bin/env python3
"""Makes programme folders the quality gates run on besides the sample, for what the sample does not show.

    python scripts/quality/variants.py Content DEST

DEST/multilingual: the sample in de, fr, it and en, without base_url (relative alternates, relative 404 links),
  with French translations of a page and a profile, a profile with headings from #### down, links and a quote,
  a page with a table, a code block and a heading "Main", feedback texts with headings, translated milestone titles.
DEST/minimal: a programme with nobody published, no milestones, pages, meetings or feedback.
"""
import pathlib, re, shutil, sys


def multilingual(content, dest):
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(content, dest)
    programme = (dest / "programme.yml").read_text(encoding="utf-8")
    programme = re.sub(r"(?m)^base_url:.*\n", "", programme)
    programme = re.sub(r"(?m)^languages:.*$", "languages: [de, fr, it, en]", programme)
    if "languages:" not in programme:
        programme = programme.replace("\nstart:", "\nlanguages: [de, fr, it, en]\nstart:", 1)
    programme = programme.replace('title: "Kick-off"', 'title: {de: "Kick-off", fr: "Lancement", it: "Avvio"}', 1)
    (dest / "programme.yml").write_text(programme, encoding="utf-8")
    pages = sorted((dest / "pages").glob("*.md"))
    (dest / "pages" / "mehr.md").write_text(
        "---\ntitle: \"Mehr <Details> & 'Tabellen'\"\norder: 9\n---\n"
        "Ein Absatz mit [Link zur FAQ](faq.html#wer-kann-am-programm-teilnehmen) und `Code`.\n\n"
        "#### Tief begonnen\n\nText.\n\n## Main\n\nDie Überschrift heisst wie das main-Element.\n\n# Ganz oben\n\n### Darunter\n\n"
        "| Spalte | Wert |\n| --- | --- |\n| a | 1 |\n\n```\ncode block\n```\n\n- eins\n- zwei\n\n1. erstens\n2. zweitens\n\n"
        "> Zitat mit **fett** und _kursiv_.\n\n---\n\nEnde.\n", encoding="utf-8")
    if pages:
        original = pages[-1]
        (dest / "pages" / f"{original.stem}.fr.md").write_text(
            "---\ntitle: \"Qu’est-ce que le mentorat inversé ?\"\n---\n"
            "Le mentorat inversé « retourne » la relation.\n\n## D’où vient l’idée\n\nTexte.\n", encoding="utf-8")
    # Feedback texts with headings: several of them share a page (quotes, the report's comments).
    for entry in sorted((dest / "feedback").glob("*.md")):
        text = entry.read_text(encoding="utf-8")
        if "share: quote" in text or "share: anonymous" in text:
            entry.write_text(text.rstrip("\n") + "\n\n## Fazit\n\nGut.\n\n### Main\n\nNoch mehr.\n", encoding="utf-8")
    profiles = sorted((dest / "profiles").glob("*.md"))
    if profiles:
        profile = profiles[0]
        (dest / "profiles" / f"{profile.stem}.fr.md").write_text(
            "---\nquote: \"Apprendre dans les deux sens.\"\nlinks:\n  - {title: \"LinkedIn\", url: \"https://www.linkedin.com/in/x\"}\n"
            "  - {title: \"Mail\", url: \"mailto:x@example.ch\"}\n---\n"
            "#### Mon parcours\n\nTexte.\n\n## Ce que j’enseigne\n\n- TikTok\n- Reels\n", encoding="utf-8")


def minimal(dest):
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    (dest / "programme.yml").write_text(
        "title: \"Leeres Programm\"\norganiser: \"Niemand\"\nlanguage: fr\nstart: 2026-01-05\nend: 2026-06-30\n"
        "anonymity_threshold: 5\n", encoding="utf-8")
    (dest / "participants.csv").write_text(
        "id,name,role,organisation,publish\nm1,Ada Muster,mentor,Alpha,no\nm2,Ben Beispiel,mentee,Beta,no\n", encoding="utf-8")
    (dest / "pairs.csv").write_text("mentor,mentee\nm1,m2\n", encoding="utf-8")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    content, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    dest.mkdir(parents=True, exist_ok=True)
    multilingual(content, dest / "multilingual")
    minimal(dest / "minimal")
    print(f"variants: {dest}/multilingual, {dest}/minimal")


if __name__ == "__main__":
    main()
