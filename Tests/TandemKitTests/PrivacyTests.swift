import Foundation
import XCTest

@testable import TandemKit

/// SPEC rule 2: what must never reach the public site (and the handouts).
final class PrivacyTests: TandemTestCase {
    private static let textExtensions: Set<String> = ["html", "xml", "ics", "txt"]

    /// Builds the fixture and returns every file of `folder` (e.g. "site") with its text.
    private func builtFiles(_ folder: String = "site", file: StaticString = #filePath, line: UInt = #line) -> [String: String] {
        let result = fixture.build()
        assertSucceeded(result, file: file, line: line)
        let files = snapshot(output + "/" + folder)
        return files.mapValues { String(decoding: $0, as: UTF8.self) }
    }

    /// Fails for each file of `files` that contains `text`.
    private func assertAbsent(
        _ text: String, in files: [String: String], _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        for (path, content) in files.sorted(by: { $0.key < $1.key }) where content.contains(text) {
            XCTFail("\(path) contains \(what) '\(text)'", file: file, line: line)
        }
    }

    /// No participant's address; the programme office's address is public (SPEC v2) and the only one allowed.
    func testNoEmailAddressOnTheSite() throws {
        let files = builtFiles()
        XCTAssertFalse(files.isEmpty)
        for email in ProgrammeFixture.participantEmails { assertAbsent(email, in: files, "a participant's e-mail address") }
        try assertOnlyOfficeAddress(in: files)
    }

    /// With `contact.public: no` not even the office's address reaches the site or the handouts.
    func testNoEmailAddressAtAllWhenTheContactIsNotPublic() throws {
        fixture.replace("programme.yml", "  name: \"Programmbüro\"\n", with: "  name: \"Programmbüro\"\n  public: no\n")
        let files = builtFiles()
        XCTAssertFalse(files.isEmpty)
        for email in ProgrammeFixture.emails { assertAbsent(email, in: files, "an e-mail address") }
        try assertOnlyOfficeAddress(in: files, allowed: [])
        let print = snapshot(output + "/print").mapValues { String(decoding: $0, as: UTF8.self) }
        for email in ProgrammeFixture.emails { assertAbsent(email, in: print, "an e-mail address") }
    }

    /// Fails for anything that looks like an e-mail address in a text file of `files` other than `allowed`.
    private func assertOnlyOfficeAddress(
        in files: [String: String], allowed: Set<String> = [ProgrammeFixture.officeEmail], file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let pattern = try NSRegularExpression(pattern: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")
        for (path, text) in files where Self.textExtensions.contains((path as NSString).pathExtension) {
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let found = Range(match.range, in: text), !allowed.contains(String(text[found])) else { continue }
                XCTFail("\(path) contains something that looks like an e-mail address: \(text[found])", file: file, line: line)
            }
        }
    }

    func testEmailAddressInProfileTextIsRemoved() {
        fixture.write(
            "profiles/bruno-beispiel.md",
            "Schreiben Sie mir: bruno.privat@beta.example.ch oder [per Mail](mailto:bruno.privat@beta.example.ch).\n")
        let files = builtFiles()
        assertAbsent("bruno.privat@beta.example.ch", in: files, "an e-mail address from a profile")
        // The programme office's mailto: link is public by design (SPEC v2); no other is.
        let officeLink = "mailto:" + ProgrammeFixture.officeEmail
        assertAbsent("mailto:", in: files.mapValues { $0.replacingOccurrences(of: officeLink, with: "") }, "a mailto link")
    }

    func testUnpublishedParticipantIsNowhereOnTheSite() {
        let files = builtFiles()
        assertAbsent(ProgrammeFixture.hiddenName, in: files, "the unpublished participant's name")
        assertAbsent("Geheimnis", in: files, "the unpublished participant's surname")
        assertAbsent(ProgrammeFixture.hiddenID, in: files, "the unpublished participant's id")
        assertAbsent("CLARAPROFIL", in: files, "the unpublished participant's profile text")
        assertAbsent("clara-dieter", in: files, "the id of a tandem with an unpublished member")
        XCTAssertFalse(
            files.keys.contains { $0.contains("clara") }, "files named after the unpublished participant: \(files.keys.sorted())")
        XCTAssertFalse(fileExists(output + "/site/assets/photos/clara.jpg"), "the unpublished participant's photo was copied")
        assertAbsent("CLARA-JPEG-BYTES", in: files, "the unpublished participant's photo")
        XCTAssertTrue(fileExists(output + "/site/assets/photos/anna.jpg"), "the published photo is missing")
    }

    func testNoMeetingNotes() {
        let files = builtFiles()
        for note in ProgrammeFixture.meetingNotes { assertAbsent(note, in: files, "a meeting note") }
        assertAbsent("vertraulich", in: files, "a meeting note")
    }

    func testOnlyQuoteFeedbackIsPublicAndAttributedToTheRoleOnly() {
        let files = builtFiles()
        assertAbsent(ProgrammeFixture.privateFeedback, in: files, "private feedback text")
        assertAbsent(ProgrammeFixture.anonymousFeedback, in: files, "anonymous feedback text")

        let home = files["index.html"] ?? ""
        guard let quote = home.range(of: ProgrammeFixture.quoteFeedback) else {
            return XCTFail("the quote is missing on the home page")
        }
        // The quote's figure: from the last <figure before it to the next </figure> after it.
        let start =
            home[..<quote.lowerBound].range(of: "<figure", options: .backwards)?.lowerBound ?? home.index(
                quote.lowerBound, offsetBy: -300, limitedBy: home.startIndex) ?? home.startIndex
        let end =
            home[quote.upperBound...].range(of: "</figure>")?.upperBound ?? home.index(
                quote.upperBound, offsetBy: 300, limitedBy: home.endIndex) ?? home.endIndex
        let figure = String(home[start..<end])
        XCTAssertTrue(figure.contains("Mentee"), "the quote is not attributed to its role: \(figure)")
        for name in ["Anna", "Bruno", "Muster", "Beispiel", "anna-bruno", "anna-muster", "bruno-beispiel"] {
            XCTAssertFalse(figure.contains(name), "the quote is attributed to '\(name)': \(figure)")
        }
    }

    func testQuoteFromTandemWithUnpublishedMemberIsShownWithoutNames() {
        fixture.replace("feedback/clara-dieter-mentee-kickoff.md", "share: anonymous", with: "share: quote")
        let files = builtFiles()
        XCTAssertTrue((files["index.html"] ?? "").contains(ProgrammeFixture.anonymousFeedback), "a quote should appear on the home page")
        assertAbsent(ProgrammeFixture.hiddenName, in: files, "the unpublished participant's name")
        assertAbsent("clara-dieter", in: files, "the tandem id next to a quote")
    }

    /// SPEC rule 2 also covers Output/print/ (when the build writes it).
    func testPrintFolderHasNoPrivateData() throws {
        let result = fixture.build()
        assertSucceeded(result)
        let files = snapshot(output + "/print").mapValues { String(decoding: $0, as: UTF8.self) }
        guard !files.isEmpty else { throw XCTSkip("this build writes no print/ folder yet") }
        for email in ProgrammeFixture.participantEmails { assertAbsent(email, in: files, "a participant's e-mail address") }
        assertAbsent(ProgrammeFixture.hiddenName, in: files, "the unpublished participant's name")
        for note in ProgrammeFixture.meetingNotes { assertAbsent(note, in: files, "a meeting note") }
        assertAbsent(ProgrammeFixture.privateFeedback, in: files, "private feedback text")
        assertAbsent(ProgrammeFixture.anonymousFeedback, in: files, "anonymous feedback text")
    }
}

/// Rule 2 beyond the `email` column: an address typed into any other field must not reach the public site either.
final class PublicFieldPrivacyTests: TandemTestCase {
    func testEmailAddressesInOtherFieldsNeverReachTheSite() {
        let planted = [
            "position in participants.csv": "anna.position@alpha.example.ch",
            "topics in participants.csv": "topic.mail@alpha.example.ch",
            "quote in a profile's front matter": "anna.quote@alpha.example.ch",
            "milestone description in programme.yml": "milestone.info@forum-test.example.ch",
            "page title": "page.title@forum-test.example.ch",
        ]
        fixture.replace("participants.csv", "Social-Media-Managerin", with: "Social Media (\(planted["position in participants.csv"]!))")
        fixture.replace("participants.csv", "TikTok;KI-Tools", with: "TikTok;\(planted["topics in participants.csv"]!)")
        fixture.replace(
            "profiles/anna-muster.md", "quote: \"Lernen geht in beide Richtungen.\"",
            with: "quote: \"Schreibt mir: \(planted["quote in a profile's front matter"]!)\"")
        fixture.replace(
            "programme.yml", "    location: \"Bern\"\n",
            with: "    location: \"Bern\"\n    description: \"Anmeldung bei \(planted["milestone description in programme.yml"]!)\"\n")
        fixture.replace("pages/about.md", "title: Über das Programm", with: "title: Fragen an \(planted["page title"]!)")
        let result = fixture.build()
        assertSucceeded(result)
        let files = snapshot(output + "/site").mapValues { String(decoding: $0, as: UTF8.self) }
        XCTAssertFalse(files.isEmpty)
        for (field, address) in planted.sorted(by: { $0.key < $1.key }) {
            let leaks = files.filter { $0.value.contains(address) }.keys.sorted()
            XCTAssertTrue(
                leaks.isEmpty, "an e-mail address typed into the \(field) is published in site/\(leaks.joined(separator: ", site/"))")
        }
    }

    func testNoFeedbackAggregateBelowTheAnonymityThreshold() {
        // Three responses to 'nutzen'; with k = 4 no figure about it may be shown.
        fixture.replace("programme.yml", "feedback:\n", with: "anonymity_threshold: 4\nfeedback:\n")
        let result = fixture.build()
        assertSucceeded(result)
        for (path, data) in snapshot(output + "/site") where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(text.contains("Wie nützlich waren die Treffen?"), "site/\(path) shows a figure over fewer than k responses")
        }
    }
}

extension ProgrammeFixture {
    /// The programme office's address: public on the site and in handouts unless `contact.public: no` (SPEC v2).
    static let officeEmail = "programm@forum-test.example.ch"
    /// The participants' addresses: never on the site or in print.
    static let participantEmails = emails.filter { $0 != officeEmail }
}
