extension NewProgrammeTexts {
    static let italian = NewProgrammeTexts(
        defaultTitle: "Programma di mentoring",
        defaultOrganiser: "Nome della vostra organizzazione",
        readmeName: "LEGGIMI.md",
        readme: #"""
            # @TITLE@

            Questa cartella è un nuovo programma per **Tandem**. Contiene righe di esempio da sostituire e bozze
            da completare. `tandem check` la verifica in ogni momento; nulla viene pubblicato finché non eseguite
            `tandem build` e caricate voi stessi la cartella `Output/site/`.

            ## Da compilare in quest’ordine

            1. **`Content/programme.yml`**: titolo, organizzazione, date del programma, contatto dell’ufficio del
               programma e appuntamenti (avvio, metà percorso, simposio). Ogni riga è commentata (`#`); lasciate
               commentato ciò che non vi serve.
            2. **`Content/participants.csv`**: una riga per persona (Excel: «Salva con nome» → CSV). Sostituite le
               quattro righe di esempio. Solo chi ha dato il consenso riceve `publish` = `yes`; tutti gli altri non
               compaiono da nessuna parte in pubblico.
            3. **`Content/pairs.csv`**: i tandem (mentor + mentee). `tandem match --output Content/pairs.csv`
               propone coppie che poi adattate.
            4. **`Content/profiles/`**: per ogni persona pubblicata, un file `<id>.md` con il suo profilo
               (esempio: `lena-frei.md`). Le foto vanno in `Content/assets/photos/`.
            5. **`Content/pages/`**: il programma, FAQ, **note legali** e **protezione dei dati**. Tutte e quattro
               sono segnate «Bozza – da completare»: completatele e cancellate la nota prima di mettere online il sito.
            6. Più tardi: `Content/meetings.csv` (incontri), `Content/feedback/` (riscontri), `Content/tandems/`
               (ritratti dei tandem).

            Tutti i campi e le regole: `docs/content.md` nella documentazione di Tandem (cartella `docs/`
            dell’archivio di Tandem; dopo l’installazione del pacchetto Debian in `/usr/share/doc/tandem/`).

            ## Comandi (da eseguire in questa cartella)

            ```sh
            tandem check --strict   # verifica tutto, non scrive nulla; ogni avviso conta come errore
            tandem serve            # anteprima nel browser, aggiornata a ogni salvataggio
            tandem build            # scrive Output/ (solo se non ci sono errori)
            tandem build --pdf      # in più i PDF degli stampati (richiede WeasyPrint)
            ```

            `tandem build` scrive quattro cartelle: `Output/site/` (il sito pubblico), `Output/print/` (stampato e
            annunci), `Output/mail/` (un’e-mail per tandem) e `Output/internal/` (il rapporto interno).
            **Si pubblica solo `Output/site/`**; `mail/` e `internal/` contengono dati personali e non vanno mai su
            un server web. Come mettere online il sito: `docs/publishing.md` nell’archivio di Tandem.

            """#,
        programme: #"""
            # Il programma. Le righe che iniziano con # sono commenti; togliete il # davanti a una riga per usarla.
            # Mettete tra virgolette i testi con due punti o #. Tutti i campi: docs/content.md.

            # Nome del programma (una riga). In più lingue: title: {it: "…", de: "…"}
            title: @TITLE_YAML@
            # Chi organizza il programma: un nome, senza articolo («organizzato da Forum Comunicazione»).
            organiser: @ORGANISER_YAML@

            # Lingua principale del sito (de, fr, it o en) e tutte le lingue in cui è pubblicato.
            language: it
            languages: [it]

            # L’indirizzo a cui sarà pubblicato il sito (mappa del sito, calendario, link nelle e-mail).
            # Sostituite l’indirizzo di esempio prima di pubblicare (le anteprime dei link e i codici QR vi rimandano).
            base_url: @BASE_URL_YAML@

            # Date del programma, sempre AAAA-MM-GG.
            start: @START@
            end: @END@

            # Fuso orario degli orari qui sotto (per il file del calendario).
            timezone: Europe/Zurich

            # L’«oggi» dei rapporti (giorni dall’ultimo incontro). Senza indicazione: la fine del programma.
            # reference_date: @END@

            # L’ufficio del programma: mittente delle e-mail di annuncio; visibile sul sito e sullo stampato, salvo public: no.
            contact:
              name: "Ufficio del programma"
              email: "programma@example.ch"
              # phone: "+41 91 123 45 67"
              # url: "https://www.example.ch/mentoring"
              public: yes

            # Regole dei tandem.
            rules:
              # required: mentor e mentee della stessa organizzazione sono un errore; preferred: un avviso; off.
              cross_organisation: required
              # In quanti tandem può essere una persona.
              pairs_per_person: 1
              # Un tandem senza incontri da così tanti giorni viene segnalato nel rapporto interno.
              inactivity_days: 30

            # Una valutazione dei riscontri viene mostrata solo se vi stanno dietro almeno tante persone.
            anonymity_threshold: 5

            # Pesi per `tandem match` (proposte di tandem).
            # matching:
            #   weights: {topics: 1, languages: 0.5, same_organisation: 2}
            #   lock:                       # coppie da mantenere
            #     - {mentor: lena-frei, mentee: marco-rossi}
            #   avoid:                      # coppie da non proporre mai
            #     - {mentor: sara-keller, mentee: marco-rossi}

            # Gli appuntamenti del programma: sito, stampato, e-mail e calendario.
            # date AAAA-MM-GG e title sono obbligatori; time ("HH:MM" o "HH:MM-HH:MM"), location, address, url,
            # description e agenda sono facoltativi. Un appuntamento può seguire la fine del programma.
            milestones:
              - date: @KICKOFF@
                title: "Avvio"
                time: "17:00-19:30"
                location: "Luogo dell’avvio"
                description: "Tutti i tandem si conoscono e fissano i primi obiettivi."
              - date: @MIDTERM@
                title: "Incontro di metà percorso"
                time: "17:00-19:00"
                location: "Luogo dell’incontro"
              - date: @SYMPOSIUM@
                title: "Simposio finale"
                time: "13:30-18:00"
                location: "Luogo del simposio"
                address: |
                  Via 1
                  6900 Lugano
                url: "https://www.example.ch/simposio"
                description: "I tandem raccontano che cosa hanno imparato l’uno dall’altro."
                agenda:
                  - time: "13:30"
                    title: "Benvenuto"
                    speaker: "Ufficio del programma"
                  - time: "14:00-15:30"
                    title: "Tavola rotonda dei tandem"
                  - time: "16:00"
                    title: "Aperitivo"

            # Riscontri (Content/feedback/): valutazioni da 1 a scale su queste domande.
            feedback:
              scale: 5
              questions:
                utilita: "Quanto sono stati utili gli incontri per voi?"
                collaborazione: "Quanto funziona bene la collaborazione nel tandem?"
                applicazione: "Quanto riuscite ad applicare ciò che avete imparato nel lavoro quotidiano?"

            """#,
        participants: #"""
            id,name,role,organisation,position,email,languages,topics,publish,photo,gender
            lena-frei,Lena Frei,mentor,Esempio Energia SA,Responsabile social media,lena.frei@example.ch,it;de,TikTok;Strumenti di IA,yes,,f
            marco-rossi,Marco Rossi,mentee,Banca Modello,Direttore generale,marco.rossi@example.ch,it;fr,TikTok;Podcast,yes,,m
            sara-keller,Sara Keller,mentor,Banca Modello,Creatrice di contenuti,sara.keller@example.ch,it,LinkedIn;Video,no,,
            thomas-huber,Thomas Huber,mentee,Esempio Energia SA,Responsabile della comunicazione,thomas.huber@example.ch,it;en,LinkedIn,no,,

            """#,
        pairs: #"""
            id,mentor,mentee,started,goals,status
            lena-marco,lena-frei,marco-rossi,@KICKOFF@,Girare un primo reel;Provare strumenti di IA,active
            sara-thomas,sara-keller,thomas-huber,@KICKOFF@,Costruire una presenza su LinkedIn,active

            """#,
        profile: (
            id: "lena-frei",
            text: #"""
            ---
            quote: "Si impara in entrambe le direzioni."
            ---
            Profilo di esempio: sostituite questo testo con il profilo che la persona ha scritto o approvato.
            Un profilo viene mostrato solo se la persona ha `publish` = `yes` in participants.csv.

            """#
        ),
        pages: [
            Page(
                name: "il-programma",
                text: #"""
                    ---
                    title: "Il programma"
                    order: 1
                    ---
                    > **Bozza – da completare.** Cancellate questa nota quando il testo è pronto.

                    @TITLE@ riunisce persone di diverse organizzazioni e generazioni: in tandem imparano l’una
                    dall’altra. Descrivete qui lo scopo, lo svolgimento e il pubblico del programma.

                    """#),
            Page(
                name: "faq",
                text: #"""
                    ---
                    title: "Domande frequenti"
                    order: 2
                    ---
                    > **Bozza – da completare.** Cancellate questa nota quando il testo è pronto.

                    ## Quanto spesso si incontra un tandem?

                    Completate la risposta, p. es. «Circa una volta al mese, di persona o in video.»

                    ## Chi vede i miei dati?

                    Completate la risposta, p. es. «Nome e profilo compaiono solo con il vostro consenso.»

                    """#),
            Page(
                name: "note-legali",
                text: #"""
                    ---
                    title: "Note legali"
                    footer: true
                    ---
                    > **Bozza – da completare.** Cancellate questa nota quando il testo è pronto.

                    Responsabile di questo sito: @ORGANISER@, indirizzo, codice postale e località.

                    """#),
            Page(
                name: "protezione-dei-dati",
                text: #"""
                    ---
                    title: "Protezione dei dati"
                    footer: true
                    ---
                    > **Bozza – da completare.** Fate verificare questo testo dal servizio competente della vostra
                    > organizzazione, poi cancellate questa nota.

                    Questo sito mostra nomi, profili e foto dei partecipanti solo con il loro consenso. Descrivete qui
                    quali dati tratta il programma, a quale scopo, per quanto tempo e a chi rivolgersi.

                    """#),
        ]
    )
}
