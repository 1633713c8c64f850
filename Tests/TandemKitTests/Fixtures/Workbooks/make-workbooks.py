#!/usr/bin/env python3
"""Writes the spreadsheet sources (.fods, LibreOffice's flat XML) of the workbook fixtures and has LibreOffice Calc
turn them into .xlsx, as a programme office would save them:

    apt-get install libreoffice-calc-nogui
    cd Tests/TandemKitTests/Fixtures/Workbooks && python3 make-workbooks.py

The .xlsx files are committed; this script only documents and repeats how they were made. The programme in
Programme/ (programme.yml and the CSV files) holds the same data, for the test that builds both and compares.
What the sheets have on purpose: an instructions sheet before the roster (the roster sheet is found by its name
"Teilnehmende"), a merged title row above the header, a hidden column (email), rich text, date cells, a formula
column (the tandem ids), a formula number (minutes = 1.5 * 60), a number stored as text, a day number in a date
column that is not formatted as a date, a cell with a line break, and empty formatted rows at the end.
"""
import os
import subprocess
import sys
from xml.sax.saxutils import escape, quoteattr

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:date-style style:name="N37"><number:day number:style="long"/><number:text>.</number:text><number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/></number:date-style>
 <number:date-style style:name="N50"><number:day number:style="long"/><number:text>.</number:text><number:month number:style="long"/><number:text>.</number:text><number:year number:style="long"/><number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/></number:date-style>
 <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N37"/>
 <style:style style:name="ce2" style:family="table-cell" style:data-style-name="N50"/>
 <style:style style:name="ce3" style:family="table-cell"><style:table-cell-properties fo:background-color="#ffff99"/></style:style>
 <style:style style:name="ceh" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
"""
TAIL = "</office:spreadsheet></office:body></office:document>\n"


def s(text, style=None):
    """A text cell; a list of strings becomes several paragraphs (a line break in the cell)."""
    attr = f' table:style-name="{style}"' if style else ""
    if isinstance(text, list):
        paragraphs = "".join(f"<text:p>{escape(t)}</text:p>" for t in text)
    else:
        paragraphs = f"<text:p>{text if text.startswith('<text:span') else escape(text)}</text:p>"
    return f'<table:table-cell office:value-type="string"{attr}>{paragraphs}</table:table-cell>'


def rich(bold, rest):
    return s(f'<text:span text:style-name="T1">{escape(bold)}</text:span>{escape(rest)}')


def d(iso, style="ce1"):
    return f'<table:table-cell table:style-name="{style}" office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'


def n(value, formula=None):
    f = f" table:formula={quoteattr('of:' + formula)}" if formula else ""
    return f'<table:table-cell office:value-type="float" office:value="{value}"{f}><text:p>{value}</text:p></table:table-cell>'


def fs(value, formula):
    """A formula with a text result."""
    return f'<table:table-cell table:formula={quoteattr("of:" + formula)} office:value-type="string" office:string-value={quoteattr(value)}><text:p>{escape(value)}</text:p></table:table-cell>'


def e():
    return "<table:table-cell/>"


def row(cells):
    return "<table:table-row>" + "".join(cells) + "</table:table-row>\n"


def header(names):
    return row([s(name, "ceh") for name in names])


def empty_rows(count, width):
    return f'<table:table-row table:number-rows-repeated="{count}"><table:table-cell table:style-name="ce3" table:number-columns-repeated="{width}"/></table:table-row>\n'


def table(name, body, columns=""):
    return f'<table:table table:name="{name}">{columns}\n{body}</table:table>\n'


def participants():
    columns = (
        '<table:table-column table:number-columns-repeated="5"/>'
        '<table:table-column table:visibility="collapse"/>'
        '<table:table-column table:number-columns-repeated="5"/>'
    )
    names = ["id", "name", "role", "organisation", "position", "email", "languages", "topics", "publish", "gender", ""]
    body = row([
        '<table:table-cell table:number-columns-spanned="10" office:value-type="string" table:style-name="ceh"><text:p>Teilnehmende – Generationen-Tandem Wallis 2026</text:p></table:table-cell>',
        '<table:covered-table-cell table:number-columns-repeated="9"/>',
    ])
    body += header(names[:-1])
    people = [
        ["lea-zen", "Lea Zen", "mentor", "Rhone Digital", s("Content-Creatorin"), "lea.zen@rhone.example.ch", "de;fr", "Instagram;KI-Tools", "yes", "f"],
        ["marc-bonvin", "Marc Bonvin", "mentee", "Banque du Valais", s("Directeur général"), "marc.bonvin@bvs.example.ch", "fr;de", "Instagram", "yes", "m"],
        ["nina-imhof", "Nina Imhof", "mentor", "Bergbahnen AG", s("Lernende Mediamatikerin"), "nina.imhof@bergbahnen.example.ch", "de", "TikTok;Podcasts", "yes", "f"],
        ["otto-kalbermatten", "Otto Kalbermatten", "mentee", "Spital Oberwallis", s("CEO"), "o.kalbermatten@spital.example.ch", "de", "TikTok", "no", "m"],
        ["petra-roten", "Petra Roten", "mentor", "Lonza Visp", rich("Data", " Scientist"), "petra.roten@lonza.example.ch", "de;en", "KI-Tools", "yes", "f"],
        ["quentin-favre", "Quentin Favre", "mentee", "Commune de Sion", s("Président"), "q.favre@sion.example.ch", "fr", "KI-Tools;Podcasts", "yes", ""],
    ]
    for p in people:
        body += row([c if c.startswith("<table") else (s(c) if c else e()) for c in p])
    body += empty_rows(3, 11)
    guide = table("Anleitung", row([s("Bitte pro Person eine Zeile im Blatt Teilnehmende ausfüllen.")]))
    return guide + table("Teilnehmende", body, columns)


def pairs():
    body = header(["id", "mentor", "mentee", "started", "goals", "status"])
    tandems = [
        ("lea-marc", "lea-zen", "marc-bonvin", "2026-02-10", "Instagram-Konto aufbauen;Reels verstehen"),
        ("nina-otto", "nina-imhof", "otto-kalbermatten", "2026-02-12", "TikTok ausprobieren"),
        ("petra-quentin", "petra-roten", "quentin-favre", "2026-02-15", "KI im Alltag;Podcast hören"),
    ]
    for line, (ident, mentor, mentee, started, goals) in enumerated(tandems, 2):
        formula = f'LEFT([.B{line}];FIND("-";[.B{line}])-1)&"-"&LEFT([.C{line}];FIND("-";[.C{line}])-1)'
        body += row([fs(ident, formula), s(mentor), s(mentee), d(started), s(goals), s("active")])
    body += empty_rows(2, 6)
    return table("Tandems", body)


def meetings():
    body = header(["pair", "date", "minutes", "format", "topics", "note"])
    body += row([s("lea-marc"), d("2026-02-20"), n(90, "1.5*60"), s("in-person"), s("Instagram"), s("Erstes Kennenlernen im Büro")])
    body += row([s("lea-marc"), d("2026-03-18T17:30:00", "ce2"), n(60), s("video"), s("Reels"), s("Hat Reels geübt; nächstes Mal Statistik")])
    body += row([s("nina-otto"), d("2026-02-25"), s("45"), s("in-person"), s("TikTok"), e()])
    # A day number typed into the date column without a date format (46101 is 2026-03-20).
    body += row([s("nina-otto"), n(46101), n(30), s("phone"), e(), s("Kurzes Telefonat")])
    body += row([s("petra-quentin"), d("2026-03-05"), n(120), s("in-person"), s("KI-Tools;Podcasts"), s(["Zwei Themen:", "KI und Podcasts"])])
    body += empty_rows(4, 6)
    return table("Treffen", body)


def enumerated(items, start):
    return enumerate(items, start)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for name, tables in [("participants", participants()), ("pairs", pairs()), ("meetings", meetings())]:
        path = os.path.join(here, name + ".fods")
        with open(path, "w", encoding="utf-8") as f:
            f.write(HEAD + tables + TAIL)
        subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", here, path], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
