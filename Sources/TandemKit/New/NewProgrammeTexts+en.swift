extension NewProgrammeTexts {
    static let english = NewProgrammeTexts(
        defaultTitle: "Mentoring Programme",
        defaultOrganiser: "Name of your organisation",
        readmeName: "README.md",
        readme: #"""
            # @TITLE@

            This folder is a new programme for **Tandem**. It holds example rows for you to replace and drafts
            for you to complete. `tandem check` checks it at any time; nothing is published until you run
            `tandem build` and upload the folder `Output/site/` yourself.

            ## Fill it in in this order

            1. **`Content/programme.yml`**: title, organisation, programme dates, the programme office's contact and
               the dates of the programme (kick-off, mid-term, symposium). Every line is commented (`#`); leave
               commented out what you do not need.
            2. **`Content/participants.csv`**: one row per person (Excel: "Save as" → CSV). Replace the four example
               rows. Only people who agreed get `publish` = `yes`; everybody else appears nowhere in public.
            3. **`Content/pairs.csv`**: the tandems (mentor + mentee). `tandem match --output Content/pairs.csv`
               proposes pairs that you then adjust.
            4. **`Content/profiles/`**: for each person who is published, a file `<id>.md` with their profile text
               (example: `lena-frei.md`). Photos go into `Content/assets/photos/`.
            5. **`Content/pages/`**: about the programme, FAQ, **imprint** and **privacy notice**. All four are marked
               "Draft – to be completed": complete them and delete the note before the site goes online.
            6. Later: `Content/meetings.csv` (meetings), `Content/feedback/` (feedback), `Content/tandems/` (tandem
               portraits).

            Every field and rule: `docs/content.md` in Tandem's documentation (the `docs/` folder of the Tandem
            archive; after installing the Debian package in `/usr/share/doc/tandem/`).

            ## Commands (run them in this folder)

            ```sh
            tandem check --strict   # checks everything, writes nothing; every warning counts as an error
            tandem serve            # preview in the browser, updated on every save
            tandem build            # writes Output/ (only when there is no error)
            tandem build --pdf      # also PDFs of the handouts (needs WeasyPrint)
            ```

            `tandem build` writes four folders: `Output/site/` (the public website), `Output/print/` (handout and
            announcements), `Output/mail/` (one e-mail per tandem) and `Output/internal/` (the internal report).
            **Only `Output/site/` is published**; `mail/` and `internal/` hold personal data and never belong on a
            web server. How the site gets online: `docs/publishing.md` in the Tandem archive.

            """#,
        programme: #"""
            # The programme. Lines starting with # are comments; remove the # in front of a line to use it.
            # Put texts with a colon or a # in quotes. Every field: docs/content.md.

            # The programme's name (one line). In several languages: title: {en: "…", fr: "…"}
            title: @TITLE_YAML@
            # Who runs the programme: a name, without an article ("organised by Communication Forum").
            organiser: @ORGANISER_YAML@

            # The site's main language (de, fr, it or en) and every language it is published in.
            language: en
            languages: [en]

            # The address the site will be served from (for the sitemap, the calendar and the links in e-mails).
            # Replace the example address before you publish (link previews and QR codes point to it).
            base_url: @BASE_URL_YAML@

            # Programme dates, always YYYY-MM-DD.
            start: @START@
            end: @END@

            # Time zone of the times below (for the calendar file).
            timezone: Europe/Zurich

            # The "today" of the reports (days since the last meeting). Without it: the end of the programme.
            # reference_date: @END@

            # The programme office: sender of the announcement e-mails; shown on the site and the handout unless public: no.
            contact:
              name: "Programme office"
              email: "programme@example.ch"
              # phone: "+41 31 123 45 67"
              # url: "https://www.example.ch/mentoring"
              public: yes

            # The tandems' rules.
            rules:
              # required: a mentor and mentee from the same organisation is an error; preferred: a warning; off.
              cross_organisation: required
              # In how many tandems one person may be.
              pairs_per_person: 1
              # A tandem without a meeting for this many days is flagged in the internal report.
              inactivity_days: 30

            # A figure from feedback is shown only when at least this many people stand behind it.
            anonymity_threshold: 5

            # Weights for `tandem match` (proposed tandems).
            # matching:
            #   weights: {topics: 1, languages: 0.5, same_organisation: 2}
            #   lock:                       # pairs to keep
            #     - {mentor: lena-frei, mentee: marco-rossi}
            #   avoid:                      # pairs never to propose
            #     - {mentor: sara-keller, mentee: marco-rossi}

            # The programme's dates: site, handout, e-mails and calendar.
            # date YYYY-MM-DD and title are required; time ("HH:MM" or "HH:MM-HH:MM"), location, address, url,
            # description and agenda are optional. A date may lie after the end of the programme.
            milestones:
              - date: @KICKOFF@
                title: "Kick-off"
                time: "17:00-19:30"
                location: "Venue of the kick-off"
                description: "All tandems meet and write down their first learning goals."
              - date: @MIDTERM@
                title: "Mid-term meeting"
                time: "17:00-19:00"
                location: "Venue of the mid-term meeting"
              - date: @SYMPOSIUM@
                title: "Closing symposium"
                time: "13:30-18:00"
                location: "Venue of the symposium"
                address: |
                  Street 1
                  3000 Bern
                url: "https://www.example.ch/symposium"
                description: "The tandems report what they learnt from each other."
                agenda:
                  - time: "13:30"
                    title: "Welcome"
                    speaker: "Programme office"
                  - time: "14:00-15:30"
                    title: "Panel of the tandems"
                  - time: "16:00"
                    title: "Drinks"

            # Feedback (Content/feedback/): ratings from 1 to scale on these questions.
            feedback:
              scale: 5
              questions:
                usefulness: "How useful were the meetings for you?"
                cooperation: "How well does the tandem work together?"
                transfer: "How well can you apply what you learnt in your daily work?"

            """#,
        participants: #"""
            id,name,role,organisation,position,email,languages,topics,publish,photo,gender
            lena-frei,Lena Frei,mentor,Example Energy Ltd,Social Media Manager,lena.frei@example.ch,en;de,TikTok;AI tools,yes,,f
            marco-rossi,Marco Rossi,mentee,Sample Bank,CEO,marco.rossi@example.ch,en;it,TikTok;Podcasts,yes,,m
            sara-keller,Sara Keller,mentor,Sample Bank,Content Creator,sara.keller@example.ch,en,LinkedIn;Video,no,,
            thomas-huber,Thomas Huber,mentee,Example Energy Ltd,Head of Communication,thomas.huber@example.ch,en;de,LinkedIn,no,,

            """#,
        pairs: #"""
            id,mentor,mentee,started,goals,status
            lena-marco,lena-frei,marco-rossi,@KICKOFF@,Shoot a first reel;Try out AI tools,active
            sara-thomas,sara-keller,thomas-huber,@KICKOFF@,Build a LinkedIn presence,active

            """#,
        profile: (
            id: "lena-frei",
            text: #"""
            ---
            quote: "Learning goes both ways."
            ---
            Example profile: replace this text with the profile the person wrote or approved. A profile is shown
            only when the person has `publish` = `yes` in participants.csv.

            """#
        ),
        pages: [
            Page(
                name: "about",
                text: #"""
                    ---
                    title: "About the programme"
                    order: 1
                    ---
                    > **Draft – to be completed.** Delete this note when the text is ready.

                    @TITLE@ brings people from different organisations and generations together: in tandems they
                    learn from each other. Describe the programme's aim, course and audience here.

                    """#),
            Page(
                name: "faq",
                text: #"""
                    ---
                    title: "Frequently asked questions"
                    order: 2
                    ---
                    > **Draft – to be completed.** Delete this note when the text is ready.

                    ## How often does a tandem meet?

                    Complete the answer, e.g. "About once a month, in person or by video."

                    ## Who sees my details?

                    Complete the answer, e.g. "Your name and profile appear only with your consent."

                    """#),
            Page(
                name: "imprint",
                text: #"""
                    ---
                    title: "Imprint"
                    footer: true
                    ---
                    > **Draft – to be completed.** Delete this note when the text is ready.

                    Responsible for this website: @ORGANISER@, address, postcode and town.

                    """#),
            Page(
                name: "privacy",
                text: #"""
                    ---
                    title: "Privacy notice"
                    footer: true
                    ---
                    > **Draft – to be completed.** Have this text checked by the person responsible in your organisation,
                    > then delete this note.

                    This website shows participants' names, profiles and photos only with their consent. Describe here
                    which data the programme processes, for what, for how long, and whom to contact.

                    """#),
        ]
    )
}
