extension NewProgrammeTexts {
    static let german = NewProgrammeTexts(
        defaultTitle: "Mentoring-Programm",
        defaultOrganiser: "Name Ihrer Organisation",
        readmeName: "LIESMICH.md",
        readme: #"""
            # @TITLE@

            Dieser Ordner ist ein neues Programm für **Tandem**. Er enthält Beispielzeilen, die Sie ersetzen,
            und Entwürfe, die Sie ergänzen. `tandem check` prüft ihn jederzeit; nichts wird veröffentlicht,
            bevor Sie `tandem build` ausführen und den Ordner `Output/site/` selbst hochladen.

            ## In dieser Reihenfolge ausfüllen

            1. **`Content/programme.yml`**: Titel, Organisation, Programmdaten, Kontakt des Programmbüros und die
               Termine (Kick-off, Halbzeit, Symposium). Jede Zeile ist kommentiert (`#`); was Sie nicht brauchen,
               lassen Sie auskommentiert.
            2. **`Content/participants.csv`**: eine Zeile pro Person (Excel: «Speichern unter» → CSV). Ersetzen Sie die
               vier Beispielzeilen. Nur wer zugestimmt hat, bekommt `publish` = `yes`; alle anderen erscheinen nirgends
               öffentlich.
            3. **`Content/pairs.csv`**: die Tandems (Mentor + Mentee). `tandem match --output Content/pairs.csv`
               schlägt Paare vor, die Sie danach anpassen.
            4. **`Content/profiles/`**: pro Person, die veröffentlicht wird, eine Datei `<id>.md` mit ihrem Profiltext
               (Beispiel: `lena-frei.md`). Fotos kommen nach `Content/assets/photos/`.
            5. **`Content/pages/`**: Über das Programm, FAQ, **Impressum** und **Datenschutzerklärung**. Alle vier sind
               als «Entwurf – noch zu ergänzen» markiert: Ergänzen Sie sie und löschen Sie den Hinweis, bevor die
               Website online geht.
            6. Später: `Content/meetings.csv` (Treffen), `Content/feedback/` (Rückmeldungen), `Content/tandems/`
               (Tandem-Porträts).

            Alle Felder und Regeln: `docs/content.md` in der Dokumentation von Tandem (Ordner `docs/` des
            Tandem-Archivs; nach der Installation des Debian-Pakets unter `/usr/share/doc/tandem/`).

            ## Befehle (in diesem Ordner ausführen)

            ```sh
            tandem check --strict   # prüft alles, schreibt nichts; jede Warnung zählt als Fehler
            tandem serve            # Vorschau im Browser, aktualisiert sich bei jedem Speichern
            tandem build            # schreibt Output/ (nur wenn es keinen Fehler gibt)
            tandem build --pdf      # zusätzlich PDF der Handouts (braucht WeasyPrint)
            ```

            `tandem build` schreibt vier Ordner: `Output/site/` (die öffentliche Website), `Output/print/` (Handout und
            Ankündigungen), `Output/mail/` (eine E-Mail pro Tandem) und `Output/internal/` (der interne Bericht).
            **Nur `Output/site/` wird veröffentlicht**; `mail/` und `internal/` enthalten Personendaten und gehören
            nie auf einen Webserver. Wie die Website online kommt: `docs/publishing.md` im Tandem-Archiv.

            """#,
        programme: #"""
            # Das Programm. Zeilen mit # sind Kommentare; entfernen Sie das # vor einer Zeile, um sie zu verwenden.
            # Texte mit Doppelpunkt oder # gehören in Anführungszeichen. Alle Felder: docs/content.md.

            # Name des Programms (eine Zeile). In mehreren Sprachen: title: {de: "…", fr: "…"}
            title: @TITLE_YAML@
            # Wer das Programm durchführt: ein Name, ohne Artikel («organisiert von Forum Kommunikation»).
            organiser: @ORGANISER_YAML@

            # Hauptsprache der Website (de, fr, it oder en) und alle Sprachen, in denen sie erscheint.
            language: de
            languages: [de]

            # Die Adresse, unter der die Website erreichbar sein wird (für Sitemap, Kalender und Links in E-Mails).
            # Ersetzen Sie die Beispieladresse, bevor Sie veröffentlichen (Linkvorschauen und QR-Codes zeigen auf sie).
            base_url: @BASE_URL_YAML@

            # Programmdaten, immer JJJJ-MM-TT.
            start: @START@
            end: @END@

            # Zeitzone der Uhrzeiten unten (für die Kalenderdatei).
            timezone: Europe/Zurich

            # Der «heutige Tag» der Berichte (Tage seit dem letzten Treffen). Ohne Angabe: das Programmende.
            # reference_date: @END@

            # Das Programmbüro: Absender der Ankündigungs-E-Mails; auf Website und Handout sichtbar, ausser public: no.
            contact:
              name: "Programmbüro"
              email: "programm@example.ch"
              # phone: "+41 31 123 45 67"
              # url: "https://www.example.ch/mentoring"
              public: yes

            # Regeln der Tandems.
            rules:
              # required: Mentor und Mentee aus derselben Organisation sind ein Fehler; preferred: eine Warnung; off.
              cross_organisation: required
              # In wie vielen Tandems eine Person sein darf.
              pairs_per_person: 1
              # Ein Tandem ohne Treffen seit so vielen Tagen wird im internen Bericht markiert.
              inactivity_days: 30

            # Eine Auswertung von Rückmeldungen wird erst gezeigt, wenn mindestens so viele Personen dahinterstehen.
            anonymity_threshold: 5

            # Gewichte für `tandem match` (Vorschläge für Tandems).
            # matching:
            #   weights: {topics: 1, languages: 0.5, same_organisation: 2}
            #   lock:                       # Paare, die bleiben
            #     - {mentor: lena-frei, mentee: marco-rossi}
            #   avoid:                      # Paare, die nie vorgeschlagen werden
            #     - {mentor: sara-keller, mentee: marco-rossi}

            # Die Termine des Programms: Website, Handout, E-Mails und Kalender.
            # date JJJJ-MM-TT und title sind nötig; time ("HH:MM" oder "HH:MM-HH:MM"), location, address, url,
            # description und agenda sind freiwillig. Termine dürfen nach dem Programmende liegen.
            milestones:
              - date: @KICKOFF@
                title: "Kick-off"
                time: "17:00-19:30"
                location: "Ort des Kick-offs"
                description: "Alle Tandems lernen sich kennen und halten ihre ersten Lernziele fest."
              - date: @MIDTERM@
                title: "Halbzeit-Treffen"
                time: "17:00-19:00"
                location: "Ort des Halbzeit-Treffens"
              - date: @SYMPOSIUM@
                title: "Schlusssymposium"
                time: "13:30-18:00"
                location: "Ort des Symposiums"
                address: |
                  Strasse 1
                  3000 Bern
                url: "https://www.example.ch/symposium"
                description: "Die Tandems berichten, was sie voneinander gelernt haben."
                agenda:
                  - time: "13:30"
                    title: "Begrüssung"
                    speaker: "Programmbüro"
                  - time: "14:00-15:30"
                    title: "Podium der Tandems"
                  - time: "16:00"
                    title: "Apéro"

            # Rückmeldungen (Content/feedback/): Bewertungen von 1 bis scale zu diesen Fragen.
            feedback:
              scale: 5
              questions:
                nutzen: "Wie nützlich waren die Treffen für Sie?"
                zusammenarbeit: "Wie gut funktioniert die Zusammenarbeit im Tandem?"
                umsetzung: "Wie gut können Sie das Gelernte im Alltag anwenden?"

            """#,
        participants: #"""
            id,name,role,organisation,position,email,languages,topics,publish,photo,gender
            lena-frei,Lena Frei,mentor,Beispiel Energie AG,Social-Media-Managerin,lena.frei@example.ch,de;fr,TikTok;KI-Tools,yes,,f
            marco-rossi,Marco Rossi,mentee,Muster Bank,CEO,marco.rossi@example.ch,de;it,TikTok;Podcasts,yes,,m
            sara-keller,Sara Keller,mentor,Muster Bank,Content Creator,sara.keller@example.ch,de,LinkedIn;Video,no,,
            thomas-huber,Thomas Huber,mentee,Beispiel Energie AG,Leiter Kommunikation,thomas.huber@example.ch,de;en,LinkedIn,no,,

            """#,
        pairs: #"""
            id,mentor,mentee,started,goals,status
            lena-marco,lena-frei,marco-rossi,@KICKOFF@,Ein erstes Reel drehen;KI-Tools ausprobieren,active
            sara-thomas,sara-keller,thomas-huber,@KICKOFF@,Einen eigenen LinkedIn-Auftritt aufbauen,active

            """#,
        profile: (
            id: "lena-frei",
            text: #"""
            ---
            quote: "Lernen geht in beide Richtungen."
            ---
            Beispielprofil: Ersetzen Sie diesen Text durch das Profil, das die Person selbst geschrieben oder
            freigegeben hat. Ein Profil erscheint nur, wenn die Person in participants.csv `publish` = `yes` hat.

            """#
        ),
        pages: [
            Page(
                name: "ueber-das-programm",
                text: #"""
                    ---
                    title: "Über das Programm"
                    order: 1
                    ---
                    > **Entwurf – noch zu ergänzen.** Löschen Sie diesen Hinweis, wenn der Text fertig ist.

                    @TITLE@ bringt Menschen aus verschiedenen Organisationen und Generationen zusammen: In Tandems
                    lernen sie voneinander. Beschreiben Sie hier Ziel, Ablauf und Zielgruppe des Programms.

                    """#),
            Page(
                name: "faq",
                text: #"""
                    ---
                    title: "Häufige Fragen"
                    order: 2
                    ---
                    > **Entwurf – noch zu ergänzen.** Löschen Sie diesen Hinweis, wenn der Text fertig ist.

                    ## Wie oft trifft sich ein Tandem?

                    Ergänzen Sie die Antwort, z. B. «Etwa einmal im Monat, vor Ort oder per Video.»

                    ## Wer sieht meine Angaben?

                    Ergänzen Sie die Antwort, z. B. «Name und Profil erscheinen nur mit Ihrer Zustimmung.»

                    """#),
            Page(
                name: "impressum",
                text: #"""
                    ---
                    title: "Impressum"
                    footer: true
                    ---
                    > **Entwurf – noch zu ergänzen.** Löschen Sie diesen Hinweis, wenn der Text fertig ist.

                    Verantwortlich für diese Website: @ORGANISER@, Adresse, Postleitzahl und Ort.

                    """#),
            Page(
                name: "datenschutz",
                text: #"""
                    ---
                    title: "Datenschutzerklärung"
                    footer: true
                    ---
                    > **Entwurf – noch zu ergänzen.** Lassen Sie diesen Text von der zuständigen Stelle Ihrer Organisation
                    > prüfen und löschen Sie danach diesen Hinweis.

                    Diese Website zeigt Namen, Profile und Fotos von Teilnehmenden nur mit deren Zustimmung. Beschreiben Sie
                    hier, welche Daten das Programm bearbeitet, wozu, wie lange, und an wen man sich wenden kann.

                    """#),
        ]
    )
}
