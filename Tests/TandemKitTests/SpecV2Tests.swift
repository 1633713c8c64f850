import Foundation
import XCTest

@testable import TandemKit

/// SPEC v2: every new field is read and checked, wrong values are errors at their `path:line:column`, and the values
/// reach the model.
final class SpecV2Tests: TandemTestCase {
    /// A programme.yml that uses every v2 key (and the v1 keys around them), in two languages.
    static let programmeV2 = """
        title: {de: "Reverse Mentoring Test", fr: "Mentorat inversé test"}
        organiser: "Forum Test"
        language: de
        languages: [de, fr]
        base_url: "https://mentoring.example.ch/"
        start: 2026-03-01
        end: 2026-08-31
        timezone: Europe/Zurich
        contact:
          name: {de: "Programmbüro", fr: "Bureau du programme"}
          email: "programm@forum-test.example.ch"
          phone: "+41 (0)31 123 45-67"
          url: "https://forum-test.example.ch/mentoring"
          public: no
        rules:
          cross_organisation: required
        anonymity_threshold: 5
        milestones:
          - date: 2026-09-24
            title: {de: "Schlusssymposium", fr: "Symposium de clôture"}
            time: "13:30-18:00"
            location: "Kornhausforum"
            address: |
              Kornhausplatz 18
              3011 Bern
            url: "https://forum-test.example.ch/symposium"
            description: "Die Tandems berichten."
            agenda:
              - time: "13:30"
                title: {de: "Begrüssung", fr: "Accueil"}
                speaker: "Programmbüro"
              - time: "14:00-15:30"
                title: "Podium der Tandems"
          - date: 2026-03-05
            title: "Kick-off"
            time: 9:00
            location: "Bern"
        feedback:
          scale: 5
          questions:
            nutzen: "Wie nützlich waren die Treffen?"

        """

    static let participantsV2 = """
        id,name,role,organisation,position,email,languages,topics,publish,photo,gender
        anna-muster,Anna Muster,mentor,Alpha AG,Social-Media-Managerin,anna.muster@alpha.example.ch,de;en,TikTok;KI-Tools,yes,photos/anna.jpg,f
        bruno-beispiel,Bruno Beispiel,mentee,Beta AG,CEO,bruno@beta.example.ch,de,TikTok,yes,,M
        clara-geheim,Clara Geheimnis,mentor,Gamma AG,Redaktorin,clara.geheim@gamma.example.ch,fr,Podcasts,no,photos/clara.jpg,
        dieter-daten,Dieter Daten,mentee,Delta AG,CFO,dieter@delta.example.ch,de,Podcasts,yes,,m

        """

    /// Writes the v2 programme: programme.yml, participants.csv with `gender`, a tandem portrait with translation,
    /// and a footer page.
    private func writeV2Programme() {
        fixture.write("programme.yml", Self.programmeV2)
        fixture.write("participants.csv", Self.participantsV2)
        fixture.write("assets/photos/anna-bruno.jpg", "TANDEM-JPEG-BYTES")
        fixture.write(
            "tandems/anna-bruno.md",
            """
            ---
            quote: "Wir lernen voneinander."
            photo: photos/anna-bruno.jpg
            ---
            Anna und Bruno treffen sich jeden Montag.

            """)
        fixture.write(
            "tandems/anna-bruno.fr.md",
            """
            ---
            quote: "Nous apprenons l'un de l'autre."
            ---
            Anna et Bruno se retrouvent chaque lundi.

            """)
        fixture.write(
            "pages/impressum.md",
            """
            ---
            title: Impressum
            footer: true
            ---
            Forum Test, Bern.

            """)
    }

    /// `<content>/<name>:<line>:<column>` and the 1-based line and column where `needle` first occurs in `text`.
    private func position(of needle: String, in text: String, file: StaticString = #filePath, line: UInt = #line) -> (
        line: Int, column: Int
    ) {
        for (index, content) in text.components(separatedBy: "\n").enumerated() {
            if let range = content.range(of: needle) {
                return (index + 1, content.unicodeScalars.distance(from: content.unicodeScalars.startIndex, to: range.lowerBound) + 1)
            }
        }
        XCTFail("'\(needle)' not found", file: file, line: line)
        return (0, 0)
    }

    /// Builds, and asserts the build failed with an error printed exactly as `<content>/<name>:<line>[:<column>]: error: …`
    /// whose message contains `texts`, and that the output folder is byte for byte what it was.
    @discardableResult
    private func assertBuildFails(
        in name: String, line expectedLine: Int, column: Int?, contains texts: [String], file: StaticString = #filePath,
        line: UInt = #line
    ) -> BuildResult {
        let before = snapshot(output)
        let result = fixture.build()
        XCTAssertFalse(result.succeeded, "expected the build to fail:\n\(listing(result))", file: file, line: line)
        XCTAssertEqual(snapshot(output), before, "a failed build changed the output folder", file: file, line: line)
        let prefix = fixture.path(name) + ":\(expectedLine)" + (column.map { ":\($0)" } ?? "") + ": error: "
        let match = result.diagnostics.first { d in
            d.description.hasPrefix(prefix) && texts.allSatisfy { d.message.localizedCaseInsensitiveContains($0) }
        }
        XCTAssertNotNil(match, "expected '\(prefix)…\(texts.joined(separator: "…"))…', got:\n\(listing(result))", file: file, line: line)
        return result
    }

    /// Replaces `old` in the v2 programme.yml, builds, and asserts the positioned error at the replacement.
    private func assertProgrammeError(
        replacing old: String, with new: String, at needle: String? = nil, contains texts: [String], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        writeV2Programme()
        XCTAssertTrue(fixture.build().succeeded, file: file, line: line)
        let yaml = Self.programmeV2.replacingOccurrences(of: old, with: new)
        XCTAssertNotEqual(yaml, Self.programmeV2, "'\(old)' not in the programme", file: file, line: line)
        fixture.write("programme.yml", yaml)
        let place = position(of: needle ?? new, in: yaml, file: file, line: line)
        assertBuildFails(in: "programme.yml", line: place.line, column: place.column, contains: texts, file: file, line: line)
    }

    // MARK: A programme with every v2 field

    func testEveryV2FieldBuildsWithoutAnyDiagnostic() {
        writeV2Programme()
        let result = fixture.build(strict: true)
        XCTAssertTrue(result.succeeded, listing(result))
        XCTAssertEqual(result.diagnostics.map(\.description), [], "a complete v2 programme gives no warning")
        XCTAssertTrue(fileExists(output + "/site/de/index.html"))
    }

    func testTheModelHoldsEveryV2Value() throws {
        writeV2Programme()
        let result = fixture.check(strict: true)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let programme = try XCTUnwrap(result.programme)

        XCTAssertEqual(programme.timezone, "Europe/Zurich")
        let contact = try XCTUnwrap(programme.contact)
        XCTAssertEqual(contact.name, "Programmbüro")
        XCTAssertEqual(contact.names.text(in: "fr"), "Bureau du programme")
        XCTAssertEqual(contact.email, "programm@forum-test.example.ch")
        XCTAssertEqual(contact.phone, "+41 (0)31 123 45-67")
        XCTAssertEqual(contact.url, "https://forum-test.example.ch/mentoring")
        XCTAssertFalse(contact.isPublic)

        XCTAssertEqual(programme.milestones.map(\.date.description), ["2026-03-05", "2026-09-24"], "sorted by date")
        let kickoff = programme.milestones[0]
        XCTAssertEqual(kickoff.time?.description, "09:00")
        XCTAssertNil(kickoff.time?.end)
        let symposium = programme.milestones[1]
        XCTAssertEqual(symposium.title.text(in: "fr"), "Symposium de clôture")
        XCTAssertEqual(symposium.time?.start, ClockTime(hour: 13, minute: 30))
        XCTAssertEqual(symposium.time?.end, ClockTime(hour: 18, minute: 0))
        XCTAssertEqual(symposium.location?.text(in: "de"), "Kornhausforum")
        XCTAssertEqual(symposium.address?.text(in: "fr"), "Kornhausplatz 18\n3011 Bern", "not translated: the main language's")
        XCTAssertEqual(symposium.url, "https://forum-test.example.ch/symposium")
        XCTAssertEqual(symposium.agenda.map(\.time.description), ["13:30", "14:00-15:30"])
        XCTAssertEqual(symposium.agenda.map { $0.title.text(in: "fr") }, ["Accueil", "Podium der Tandems"])
        XCTAssertEqual(symposium.agenda.map { $0.speaker?.text(in: "de") }, ["Programmbüro", nil])

        XCTAssertEqual(programme.participants.map(\.gender), [.female, .male, nil, .male])

        let portrait = try XCTUnwrap(programme.tandem("anna-bruno")?.portrait)
        XCTAssertEqual(portrait.quote, "Wir lernen voneinander.")
        XCTAssertEqual(portrait.photo, "photos/anna-bruno.jpg")
        XCTAssertTrue(portrait.body.html.contains("jeden Montag"), portrait.body.html)
        XCTAssertEqual(portrait.translations["fr"]?.quote, "Nous apprenons l'un de l'autre.")
        XCTAssertTrue(portrait.translations["fr"]?.body.html.contains("chaque lundi") ?? false)
        XCTAssertNil(programme.tandem("clara-dieter")?.portrait)

        let pages = Dictionary(uniqueKeysWithValues: programme.pages.map { ($0.slug, $0) })
        XCTAssertEqual(pages["impressum"]?.footer, true)
        XCTAssertEqual(pages["about"]?.footer, false, "default: in the menu")
    }

    func testDefaultsWhenTheV2KeysAreLeftOut() throws {
        // The fixture's programme.yml is v1: no timezone, a contact without phone, url or public. (k = 5 keeps the
        // model stage's advice about a low anonymity threshold out of this strict check.)
        fixture.replace("programme.yml", "start: 2026-03-01", with: "anonymity_threshold: 5\nstart: 2026-03-01")
        let result = fixture.check(strict: true)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        let programme = try XCTUnwrap(result.programme)
        XCTAssertEqual(programme.timezone, "Europe/Zurich")
        XCTAssertEqual(programme.contact?.isPublic, true)
        XCTAssertNil(programme.contact?.phone)
        XCTAssertNil(programme.milestones.first?.time)
        XCTAssertEqual(programme.milestones.first?.agenda.count, 0)
        XCTAssertTrue(programme.participants.allSatisfy { $0.gender == nil })
    }

    func testContactPublicAcceptsYesNoTrueFalse() throws {
        writeV2Programme()
        for (text, expected) in [("yes", true), ("true", true), ("No", false), ("false", false)] {
            fixture.write("programme.yml", Self.programmeV2.replacingOccurrences(of: "public: no", with: "public: \(text)"))
            let result = fixture.check(strict: true)
            XCTAssertEqual(result.programme?.contact?.isPublic, expected, "public: \(text)\n\(listing(result))")
        }
    }

    // MARK: programme.yml: wrong values

    func testContactPhoneWithLetters() {
        assertProgrammeError(
            replacing: "\"+41 (0)31 123 45-67\"", with: "\"031 123 45 67 intern 5\"",
            contains: ["contact.phone", "digits, spaces", "'i'"])
    }

    func testContactPhonePlusInTheMiddle() {
        assertProgrammeError(
            replacing: "\"+41 (0)31 123 45-67\"", with: "\"031+123\"", contains: ["contact.phone", "'+' only at the start"])
    }

    func testContactURLMustBeHTTP() {
        assertProgrammeError(
            replacing: "\"https://forum-test.example.ch/mentoring\"", with: "\"ftp://forum-test.example.ch/\"",
            contains: ["contact.url", "http"])
    }

    func testContactURLWithUserInfo() {
        assertProgrammeError(
            replacing: "\"https://forum-test.example.ch/mentoring\"", with: "\"https://admin:geheim@forum-test.example.ch/\"",
            contains: ["contact.url", "user name or password"])
    }

    func testContactPublicMustBeYesOrNo() {
        assertProgrammeError(
            replacing: "public: no", with: "public: vielleicht", at: "vielleicht", contains: ["contact.public", "vielleicht"])
    }

    func testContactNeedsAnEmail() {
        assertProgrammeError(
            replacing: "  email: \"programm@forum-test.example.ch\"\n", with: "", at: "name: {de: \"Programmbüro\"",
            contains: ["'contact' needs an 'email'"])
    }

    func testMilestoneTimeOutOfRange() {
        assertProgrammeError(replacing: "\"13:30-18:00\"", with: "\"25:00\"", contains: ["milestones.time", "HH:MM", "25:00"])
    }

    func testMilestoneTimeRangeMustEndAfterItStarts() {
        assertProgrammeError(replacing: "\"13:30-18:00\"", with: "\"18:00-13:30\"", contains: ["milestones.time", "end after it starts"])
    }

    func testMilestoneTimeInAnotherFormat() {
        assertProgrammeError(replacing: "time: 9:00", with: "time: 9h00", at: "9h00", contains: ["milestones.time", "HH:MM"])
    }

    func testMilestoneURLMustBeHTTP() {
        assertProgrammeError(
            replacing: "\"https://forum-test.example.ch/symposium\"", with: "\"javascript:alert(1)\"", contains: ["milestones.url", "http"])
    }

    func testAgendaItemTimeIsChecked() {
        assertProgrammeError(
            replacing: "\"14:00-15:30\"", with: "\"14:00-13:00\"", contains: ["milestones.agenda.time", "end after it starts"])
    }

    func testAgendaItemNeedsATitle() {
        assertProgrammeError(
            replacing: "      - time: \"14:00-15:30\"\n        title: \"Podium der Tandems\"\n", with: "      - time: \"14:00-15:30\"\n",
            at: "time: \"14:00-15:30\"", contains: ["agenda item needs a 'title'"])
    }

    func testTimezoneMustBeAnIANAName() {
        assertProgrammeError(
            replacing: "timezone: Europe/Zurich", with: "timezone: Europe/Zürich", at: "Europe/Zürich",
            contains: ["IANA time zone", "Europe/Zurich", "did you mean 'Europe/Zurich'"])
    }

    func testTimesAsWordProcessorsWriteThem() throws {
        writeV2Programme()
        fixture.write(
            "programme.yml", Self.programmeV2.replacingOccurrences(of: "\"13:30-18:00\"", with: "\"13:30 – 18:00\""))
        let result = fixture.check(strict: true)
        XCTAssertEqual(result.diagnostics.map(\.description), [])
        XCTAssertEqual(result.programme?.milestones.last?.time?.description, "13:30-18:00")
    }

    func testTimezoneUTCAndAreaCityNamesAreAccepted() {
        writeV2Programme()
        for zone in ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires"] {
            fixture.write(
                "programme.yml", Self.programmeV2.replacingOccurrences(of: "timezone: Europe/Zurich", with: "timezone: \(zone)"))
            let result = fixture.check(strict: true)
            XCTAssertEqual(result.programme?.timezone, zone, listing(result))
        }
    }

    func testTimezoneAbbreviationsAreNotZoneNames() {
        assertProgrammeError(replacing: "timezone: Europe/Zurich", with: "timezone: PST", at: "PST", contains: ["IANA time zone"])
    }

    func testTimezoneOffsetsAreNotZoneNames() {
        assertProgrammeError(replacing: "timezone: Europe/Zurich", with: "timezone: GMT+1", at: "GMT+1", contains: ["IANA time zone"])
    }

    // MARK: participants.csv

    func testGenderOtherThanFOrM() {
        writeV2Programme()
        XCTAssertTrue(fixture.build().succeeded)
        fixture.write("participants.csv", Self.participantsV2.replacingOccurrences(of: "photos/anna.jpg,f", with: "photos/anna.jpg,w"))
        assertBuildFails(in: "participants.csv", line: 2, column: nil, contains: ["gender 'w' of 'anna-muster'", "'f', 'm' or empty"])
    }

    // MARK: tandems/

    func testPortraitForAnUnknownTandem() {
        writeV2Programme()
        XCTAssertTrue(fixture.build().succeeded)
        fixture.write("tandems/anna-dieter.md", "Gibt es nicht.\n")
        assertBuildFails(in: "tandems/anna-dieter.md", line: 1, column: nil, contains: ["unknown tandem 'anna-dieter'", "pairs.csv"])
    }

    func testPortraitPhotoMustExist() {
        writeV2Programme()
        XCTAssertTrue(fixture.build().succeeded)
        fixture.replace("tandems/anna-bruno.md", "photo: photos/anna-bruno.jpg", with: "photo: photos/fehlt.jpg")
        assertBuildFails(in: "tandems/anna-bruno.md", line: 3, column: 8, contains: ["photos/fehlt.jpg", "not found", "assets/"])
    }

    func testPortraitPhotoMustStayBelowAssets() {
        writeV2Programme()
        XCTAssertTrue(fixture.build().succeeded)
        fixture.replace("tandems/anna-bruno.md", "photo: photos/anna-bruno.jpg", with: "photo: ../participants.csv")
        assertBuildFails(in: "tandems/anna-bruno.md", line: 3, column: 8, contains: ["'..'"])
    }

    func testPortraitTranslationNeedsTheOriginal() {
        writeV2Programme()
        fixture.remove("tandems/anna-bruno.md")
        assertBuildFails(in: "tandems/anna-bruno.fr.md", line: 1, column: nil, contains: ["translation without original"])
    }

    func testPortraitTextLosesEmailAddresses() throws {
        writeV2Programme()
        fixture.write("tandems/anna-bruno.md", "Schreibt uns: anna.muster@alpha.example.ch\n")
        let result = fixture.check()
        assertDiagnostic(result, .warning, in: "tandems/anna-bruno.md", line: nil, contains: ["e-mail address"])
        let portrait = try XCTUnwrap(result.programme?.tandem("anna-bruno")?.portrait)
        XCTAssertFalse(portrait.body.html.contains("@"), portrait.body.html)
    }

    // MARK: pages/

    func testFooterMustBeTrueOrFalse() {
        writeV2Programme()
        XCTAssertTrue(fixture.build().succeeded)
        fixture.replace("pages/impressum.md", "footer: true", with: "footer: unten")
        assertBuildFails(in: "pages/impressum.md", line: 3, column: 9, contains: ["footer", "unten"])
    }

    /// From the command line, as a programme manager runs it: relative paths, exit status 1, every error on stderr,
    /// the output folder untouched.
    func testCommandLineReportsV2ErrorsWithTheirPlace() throws {
        let executable = ProgrammeFixture.packageRoot.appendingPathComponent(".build/debug/tandem")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: executable.path), "run `swift build` first")
        writeV2Programme()
        XCTAssertTrue(fixture.build().succeeded)
        let before = snapshot(output)
        let yaml = Self.programmeV2.replacingOccurrences(of: "\"13:30-18:00\"", with: "\"13:30-12:00\"")
        fixture.write("programme.yml", yaml)
        fixture.write("participants.csv", Self.participantsV2.replacingOccurrences(of: "yes,,M", with: "yes,,weiblich"))
        let process = Process()
        process.executableURL = executable
        process.arguments = ["build", "--content", "Content", "--templates", ProgrammeFixture.templatesPath, "--output", "Output"]
        process.currentDirectoryURL = fixture.root
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        let time = position(of: "\"13:30-12:00\"", in: yaml)
        XCTAssertTrue(
            stderr.contains("Content/programme.yml:\(time.line):\(time.column): error: 'milestones.time' must end after it starts"),
            stderr)
        XCTAssertTrue(stderr.contains("Content/participants.csv:3: error: gender 'weiblich' of 'bruno-beispiel'"), stderr)
        XCTAssertEqual(snapshot(output), before, "a failed build changed the output folder")
    }

    func testAllErrorsOfARunAreReportedTogether() {
        writeV2Programme()
        fixture.write(
            "programme.yml",
            Self.programmeV2.replacingOccurrences(of: "\"13:30-18:00\"", with: "\"25:00\"")
                .replacingOccurrences(of: "timezone: Europe/Zurich", with: "timezone: Mars/Olympus"))
        fixture.write("participants.csv", Self.participantsV2.replacingOccurrences(of: "yes,,M", with: "yes,,x"))
        fixture.write("tandems/niemand.md", "Text.\n")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        let messages = errors(result).map(\.description)
        for text in ["milestones.time", "IANA time zone", "gender 'x'", "unknown tandem 'niemand'"] {
            XCTAssertTrue(messages.contains { $0.contains(text) }, "missing '\(text)' in:\n\(listing(result))")
        }
    }
}
