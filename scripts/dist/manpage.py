#!/usr/bin/env python3
"""The man page tandem(1) from the executable's own help (`--experimental-dump-help`, swift-argument-parser).

Usage: manpage.py TANDEM VERSION EPOCH > tandem.1. The date is the commit's (EPOCH), so the page is reproducible;
every command, option and default shown is what the binary parses, so the page cannot drift from the program.
"""
import json
import subprocess
import sys
import time


def roff(text):
    text = (text or "").replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n"))


def option_line(argument):
    names = sorted(argument.get("names", []), key=lambda n: n["kind"] != "short")
    shown = ", ".join(("-" if n["kind"] == "short" else "--") + n["name"] for n in names)
    if argument["kind"] == "positional":
        shown = "<" + argument.get("valueName", "value") + ">"
    elif argument["kind"] == "option":
        shown += " <" + argument.get("valueName", "value") + ">"
    return shown


def section(command, path):
    lines = []
    arguments = [a for a in command.get("arguments", []) if a.get("shouldDisplay", True)]
    synopsis = " ".join(path + [option_line(a) if a["kind"] == "positional" else "" for a in arguments]).split()
    lines.append(".SS " + roff(" ".join(path)))
    lines.append(roff(command.get("abstract", "")))
    if command.get("discussion"):
        lines.append(".PP")
        lines.append(roff(command["discussion"]))
    lines.append(".PP")
    lines.append("\\fB" + roff(" ".join(synopsis)) + "\\fR [options]")
    for argument in arguments:
        if argument["kind"] == "flag" and any(n["name"] in ("help", "h", "version") for n in argument.get("names", [])):
            continue
        lines.append(".TP")
        lines.append("\\fB" + roff(option_line(argument)) + "\\fR")
        text = argument.get("abstract", "")
        if argument.get("defaultValue") not in (None, "") and argument["kind"] == "option":
            text += " (default: " + argument["defaultValue"] + ")"
        lines.append(roff(text))
    return lines


def walk(command, path, out):
    for sub in command.get("subcommands", []):
        if not sub.get("shouldDisplay", True) or sub["commandName"] == "help":
            continue
        if sub.get("subcommands"):
            walk(sub, path + [sub["commandName"]], out)
        else:
            out.extend(section(sub, path + [sub["commandName"]]))


def main():
    tandem, version, epoch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    dump = json.loads(subprocess.run([tandem, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)
    top = dump["command"]
    date = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    lines = [
        '.TH TANDEM 1 "%s" "tandem %s" "User Commands"' % (date, version),
        ".SH NAME",
        "tandem \\- " + roff(top.get("abstract", "")),
        ".SH SYNOPSIS",
        "\\fBtandem\\fR [\\fIcommand\\fR] [\\fIoptions\\fR]",
        ".SH DESCRIPTION",
        "Tandem reads a programme folder (\\fIContent/\\fR: programme.yml, participants.csv, pairs.csv, profiles, pages ...) "
        "and writes \\fIOutput/site/\\fR (the public microsite), \\fIOutput/print/\\fR, \\fIOutput/mail/\\fR and "
        "\\fIOutput/internal/\\fR. Only \\fIsite/\\fR is ever published; \\fImail/\\fR and \\fIinternal/\\fR hold personal data. "
        "Without a command, \\fBtandem\\fR runs \\fBbuild\\fR. A failing build exits 1 and leaves the output folder unchanged.",
        ".PP",
        "Start a programme with \\fBtandem new\\fR \\fIDIR\\fR, then \\fBtandem check \\-\\-strict\\fR, \\fBtandem serve\\fR "
        "and \\fBtandem build\\fR in that folder.",
        ".SH COMMANDS",
    ]
    walk(top, ["tandem"], lines)
    lines += [
        ".SH EXIT STATUS",
        "0 on success; 1 when the programme folder has an error (all diagnostics are printed, as "
        "\\fIpath\\fR:\\fIline\\fR: error: ...) or a command cannot run.",
        ".SH FILES",
        ".TP",
        "\\fI/usr/share/doc/tandem/\\fR",
        "README and the guides: install.md, getting\\-started.md, content.md, publishing.md, theme.md.",
        ".SH SEE ALSO",
        "\\fBweasyprint\\fR(1) for \\fBtandem build \\-\\-pdf\\fR.",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


main()
