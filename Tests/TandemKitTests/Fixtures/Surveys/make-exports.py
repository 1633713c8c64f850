#!/usr/bin/env python3
"""Writes the survey export fixtures as the tools write them:

- microsoft-forms-de.xlsx: a Microsoft Forms "Open in Excel" download in German (ID, Startzeit,
  Fertigstellungszeit, E-Mail, Name, Zeitpunkt der letzten Änderung, then one column per question; times as date
  cells). Written as .fods and saved as .xlsx by LibreOffice Calc (apt-get install libreoffice-calc-nogui).
- google-forms-fr.csv: a Google Forms "Download responses (.csv)" in French: UTF-8 with BOM, CRLF, every cell
  quoted, answers with line breaks, a time stamp with zone (2026/05/12 9:14:03 UTC+2), trailing empty columns.

    cd Tests/TandemKitTests/Fixtures/Surveys && python3 make-exports.py

The programme they answer about is ../Workbooks/Programme; the mapping files are beside this script.
"""
import os
import subprocess
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))

FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:date-style style:name="N1"><number:month/><number:text>/</number:text><number:day/><number:text>/</number:text><number:year/><number:text> </number:text><number:hours/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/></number:date-style>
 <style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="Sheet1">
"""
FODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document>\n"


def text(value):
    if value == "":
        return "<table:table-cell/>"
    paragraphs = "".join(f"<text:p>{escape(p)}</text:p>" for p in value.split("\n"))
    return f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'


def number(value):
    return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'


def date(value):
    return f'<table:table-cell table:style-name="ce1" office:value-type="date" office:date-value="{value}"><text:p>{value}</text:p></table:table-cell>'


def microsoft_forms_de():
    header = ["ID", "Startzeit", "Fertigstellungszeit", "E-Mail", "Name", "Zeitpunkt der letzten Änderung",
              "Wie zufrieden sind Sie mit der Zusammenarbeit in Ihrem Tandem?", "Wie viel haben Sie bisher gelernt?",
              "Was möchten Sie uns mitteilen?", "Darf Ihr Kommentar anonym veröffentlicht werden?"]
    answers = [
        (1, "2026-05-11T08:02:11", "2026-05-11T08:05:40", "lea.zen@rhone.example.ch", "Lea Zen", 5, "5 – sehr viel",
         "Marc lernt schnell.\nNächstes Mal: Statistiken anschauen.", "Ja"),
        (2, "2026-05-11T09:12:00", "2026-05-11T09:14:31", "nina.imhof@bergbahnen.example.ch", "Nina Imhof", 4, "4 – eher viel",
         "Gute Treffen, aber zu wenig Zeit.", "Nein"),
        (3, "2026-05-11T10:20:05", "2026-05-11T10:21:17", "O.Kalbermatten@spital.example.ch", "Otto Kalbermatten", 3, "3 – teils, teils",
         "", "Ja"),
        (4, "2026-05-12T16:45:00", "2026-05-12T16:49:59", "petra.roten@lonza.example.ch", "Petra Roten", 5, "4 – eher viel",
         "Spannend, wie KI im Gemeindealltag hilft.", "Ja, gerne"),
        (5, "2026-05-12T17:01:00", "2026-05-12T17:02:00", "hans.muster@example.ch", "Hans Muster", 4, "4 – eher viel",
         "Ich bin nicht im Programm.", "Nein"),
        (6, "2026-05-13T07:30:00", "2026-05-13T07:31:10", "anonymous", "", 2, "2 – eher wenig", "", "Nein"),
        (7, "2026-05-13T11:00:00", "2026-05-13T11:03:00", "q.favre@sion.example.ch", "Quentin Favre", 6, "5 – sehr viel",
         "Falsch eingegeben.", "Nein"),
        (8, "2026-05-14T12:00:00", "2026-05-14T12:01:00", "lea.zen@rhone.example.ch", "Lea Zen", 1, "1 – gar nichts",
         "Doppelt abgeschickt.", "Nein"),
    ]
    body = "<table:table-row>" + "".join(text(h) for h in header) + "</table:table-row>\n"
    for (ident, start, end, email, name, rating, learned, comment, consent) in answers:
        cells = [number(ident), date(start), date(end), text(email), text(name), text(""), number(rating), text(learned),
                 text(comment), text(consent)]
        body += "<table:table-row>" + "".join(cells) + "</table:table-row>\n"
    path = os.path.join(HERE, "microsoft-forms-de.fods")
    with open(path, "w", encoding="utf-8") as f:
        f.write(FODS_HEAD + body + FODS_TAIL)
    subprocess.run(["soffice", "--headless", "--convert-to", "xlsx", "--outdir", HERE, path], check=True)
    os.remove(path)


def google_forms_fr():
    header = ["Horodateur", "Adresse e-mail", "Dans quelle mesure êtes-vous satisfait·e de la collaboration ?",
              "Qu'avez-vous appris ?", "Votre commentaire", "Votre commentaire peut-il être publié anonymement ?", "", ""]
    rows = [
        ["2026/05/12 9:14:03 UTC+2", "marc.bonvin@bvs.example.ch", "5", "Très bien (5)",
         "Très bonne collaboration,\r\nmerci Lea !", "Oui", "", ""],
        ["2026/05/13 18:41:07 UTC+2", "q.favre@sion.example.ch", "4", "Bien (4)", "", "Non", "", ""],
        ["2026/05/14 7:02:55 UTC+2", "inconnu@example.fr", "3", "Assez bien (3)", "Qui suis-je ?", "Non", "", ""],
    ]

    def quoted(cell):
        return '"' + cell.replace('"', '""') + '"'

    lines = [",".join(quoted(c) for c in header)] + [",".join(quoted(c) for c in row) for row in rows]
    with open(os.path.join(HERE, "google-forms-fr.csv"), "wb") as f:
        f.write(b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8"))


if __name__ == "__main__":
    microsoft_forms_de()
    google_forms_fr()
