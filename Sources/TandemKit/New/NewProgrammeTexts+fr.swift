extension NewProgrammeTexts {
    static let french = NewProgrammeTexts(
        defaultTitle: "Programme de mentorat",
        defaultOrganiser: "Nom de votre organisation",
        readmeName: "LISEZMOI.md",
        readme: #"""
            # @TITLE@

            Ce dossier est un nouveau programme pour **Tandem**. Il contient des lignes d’exemple à remplacer et
            des brouillons à compléter. `tandem check` le vérifie à tout moment ; rien n’est publié avant que vous
            lanciez `tandem build` et téléversiez vous-même le dossier `Output/site/`.

            ## À remplir dans cet ordre

            1. **`Content/programme.yml`** : titre, organisation, dates du programme, contact du bureau du programme
               et rendez-vous (lancement, mi-parcours, symposium). Chaque ligne est commentée (`#`) ; laissez en
               commentaire ce dont vous n’avez pas besoin.
            2. **`Content/participants.csv`** : une ligne par personne (Excel : « Enregistrer sous » → CSV). Remplacez
               les quatre lignes d’exemple. Seules les personnes qui ont donné leur accord reçoivent `publish` = `yes` ;
               les autres n’apparaissent nulle part publiquement.
            3. **`Content/pairs.csv`** : les tandems (mentor + mentee). `tandem match --output Content/pairs.csv`
               propose des paires que vous ajustez ensuite.
            4. **`Content/profiles/`** : pour chaque personne publiée, un fichier `<id>.md` avec son profil
               (exemple : `lena-frei.md`). Les photos vont dans `Content/assets/photos/`.
            5. **`Content/pages/`** : à propos, FAQ, **mentions légales** et **protection des données**. Les quatre
               pages sont marquées « Brouillon – à compléter » : complétez-les et supprimez la remarque avant la mise
               en ligne du site.
            6. Plus tard : `Content/meetings.csv` (rencontres), `Content/feedback/` (retours), `Content/tandems/`
               (portraits des tandems).

            Tous les champs et règles : `docs/content.md` dans la documentation de Tandem (dossier `docs/` de
            l’archive de Tandem ; après installation du paquet Debian, dans `/usr/share/doc/tandem/`).

            ## Commandes (à lancer dans ce dossier)

            ```sh
            tandem check --strict   # vérifie tout, n’écrit rien ; chaque avertissement compte comme une erreur
            tandem serve            # aperçu dans le navigateur, mis à jour à chaque enregistrement
            tandem build            # écrit Output/ (seulement s’il n’y a pas d’erreur)
            tandem build --pdf      # en plus, les PDF des documents imprimables (nécessite WeasyPrint)
            ```

            `tandem build` écrit quatre dossiers : `Output/site/` (le site public), `Output/print/` (document et
            annonces), `Output/mail/` (un e-mail par tandem) et `Output/internal/` (le rapport interne).
            **Seul `Output/site/` est publié** ; `mail/` et `internal/` contiennent des données personnelles et ne
            doivent jamais se trouver sur un serveur web. Mise en ligne : `docs/publishing.md` dans l’archive de Tandem.

            """#,
        programme: #"""
            # Le programme. Les lignes commençant par # sont des commentaires ; enlevez le # pour utiliser une ligne.
            # Mettez entre guillemets les textes contenant deux-points ou #. Tous les champs : docs/content.md.

            # Nom du programme (une ligne). En plusieurs langues : title: {fr: "…", de: "…"}
            title: @TITLE_YAML@
            # Qui organise le programme : un nom, sans article (« organisé par Forum Communication »).
            organiser: @ORGANISER_YAML@

            # Langue principale du site (de, fr, it ou en) et toutes les langues dans lesquelles il paraît.
            language: fr
            languages: [fr]

            # L’adresse à laquelle le site sera publié (plan du site, calendrier, liens dans les e-mails).
            # Remplacez l’adresse d’exemple avant de publier (les aperçus de liens et les codes QR y renvoient).
            base_url: @BASE_URL_YAML@

            # Dates du programme, toujours AAAA-MM-JJ.
            start: @START@
            end: @END@

            # Fuseau horaire des heures ci-dessous (pour le fichier de calendrier).
            timezone: Europe/Zurich

            # Le « jour présent » des rapports (jours depuis la dernière rencontre). Sans indication : la fin du programme.
            # reference_date: @END@

            # Le bureau du programme : expéditeur des e-mails d’annonce ; visible sur le site et le document, sauf public: no.
            contact:
              name: "Bureau du programme"
              email: "programme@example.ch"
              # phone: "+41 21 123 45 67"
              # url: "https://www.example.ch/mentorat"
              public: yes

            # Règles des tandems.
            rules:
              # required : mentor et mentee de la même organisation sont une erreur ; preferred : un avertissement ; off.
              cross_organisation: required
              # Dans combien de tandems une personne peut être.
              pairs_per_person: 1
              # Un tandem sans rencontre depuis autant de jours est signalé dans le rapport interne.
              inactivity_days: 30

            # Une évaluation des retours n’est affichée que si au moins autant de personnes y ont contribué.
            anonymity_threshold: 5

            # Poids pour `tandem match` (propositions de tandems).
            # matching:
            #   weights: {topics: 1, languages: 0.5, same_organisation: 2}
            #   lock:                       # paires à garder
            #     - {mentor: lena-frei, mentee: marco-rossi}
            #   avoid:                      # paires à ne jamais proposer
            #     - {mentor: sara-keller, mentee: marco-rossi}

            # Les rendez-vous du programme : site, document, e-mails et calendrier.
            # date AAAA-MM-JJ et title sont obligatoires ; time ("HH:MM" ou "HH:MM-HH:MM"), location, address, url,
            # description et agenda sont facultatifs. Un rendez-vous peut suivre la fin du programme.
            milestones:
              - date: @KICKOFF@
                title: "Lancement"
                time: "17:00-19:30"
                location: "Lieu du lancement"
                description: "Tous les tandems font connaissance et fixent leurs premiers objectifs."
              - date: @MIDTERM@
                title: "Rencontre de mi-parcours"
                time: "17:00-19:00"
                location: "Lieu de la rencontre"
              - date: @SYMPOSIUM@
                title: "Symposium de clôture"
                time: "13:30-18:00"
                location: "Lieu du symposium"
                address: |
                  Rue 1
                  1000 Lausanne
                url: "https://www.example.ch/symposium"
                description: "Les tandems racontent ce qu’ils ont appris l’un de l’autre."
                agenda:
                  - time: "13:30"
                    title: "Accueil"
                    speaker: "Bureau du programme"
                  - time: "14:00-15:30"
                    title: "Table ronde des tandems"
                  - time: "16:00"
                    title: "Apéritif"

            # Retours (Content/feedback/) : notes de 1 à scale pour ces questions.
            feedback:
              scale: 5
              questions:
                utilite: "Les rencontres vous ont-elles été utiles ?"
                collaboration: "La collaboration dans le tandem fonctionne-t-elle bien ?"
                application: "Pouvez-vous appliquer ce que vous avez appris au quotidien ?"

            """#,
        participants: #"""
            id,name,role,organisation,position,email,languages,topics,publish,photo,gender
            lena-frei,Lena Frei,mentor,Exemple Énergie SA,Responsable des réseaux sociaux,lena.frei@example.ch,fr;de,TikTok;Outils d’IA,yes,,f
            marco-rossi,Marco Rossi,mentee,Banque Modèle,Directeur général,marco.rossi@example.ch,fr;it,TikTok;Podcasts,yes,,m
            sara-keller,Sara Keller,mentor,Banque Modèle,Créatrice de contenu,sara.keller@example.ch,fr,LinkedIn;Vidéo,no,,
            thomas-huber,Thomas Huber,mentee,Exemple Énergie SA,Responsable de la communication,thomas.huber@example.ch,fr;en,LinkedIn,no,,

            """#,
        pairs: #"""
            id,mentor,mentee,started,goals,status
            lena-marco,lena-frei,marco-rossi,@KICKOFF@,Tourner un premier reel;Essayer des outils d’IA,active
            sara-thomas,sara-keller,thomas-huber,@KICKOFF@,Construire sa présence sur LinkedIn,active

            """#,
        profile: (
            id: "lena-frei",
            text: #"""
            ---
            quote: "On apprend dans les deux sens."
            ---
            Profil d’exemple : remplacez ce texte par le profil que la personne a écrit ou approuvé. Un profil
            n’est affiché que si la personne a `publish` = `yes` dans participants.csv.

            """#
        ),
        pages: [
            Page(
                name: "a-propos",
                text: #"""
                    ---
                    title: "À propos du programme"
                    order: 1
                    ---
                    > **Brouillon – à compléter.** Supprimez cette remarque quand le texte est prêt.

                    @TITLE@ réunit des personnes de différentes organisations et générations : en tandem, elles
                    apprennent l’une de l’autre. Décrivez ici le but, le déroulement et le public du programme.

                    """#),
            Page(
                name: "faq",
                text: #"""
                    ---
                    title: "Questions fréquentes"
                    order: 2
                    ---
                    > **Brouillon – à compléter.** Supprimez cette remarque quand le texte est prêt.

                    ## À quelle fréquence un tandem se rencontre-t-il ?

                    Complétez la réponse, p. ex. « Environ une fois par mois, sur place ou en vidéo. »

                    ## Qui voit mes informations ?

                    Complétez la réponse, p. ex. « Votre nom et votre profil ne paraissent qu’avec votre accord. »

                    """#),
            Page(
                name: "mentions-legales",
                text: #"""
                    ---
                    title: "Mentions légales"
                    footer: true
                    ---
                    > **Brouillon – à compléter.** Supprimez cette remarque quand le texte est prêt.

                    Responsable de ce site : @ORGANISER@, adresse, code postal et localité.

                    """#),
            Page(
                name: "protection-des-donnees",
                text: #"""
                    ---
                    title: "Protection des données"
                    footer: true
                    ---
                    > **Brouillon – à compléter.** Faites vérifier ce texte par le service compétent de votre organisation,
                    > puis supprimez cette remarque.

                    Ce site n’affiche les noms, profils et photos des participantes et participants qu’avec leur accord.
                    Décrivez ici quelles données le programme traite, dans quel but, pour combien de temps, et à qui
                    s’adresser.

                    """#),
        ]
    )
}
