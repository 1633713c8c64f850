import Foundation
import XCTest

@testable import TandemKit

/// DESIGN.md's language conventions that every output shares: role labels by `gender`, French punctuation spacing,
/// one avatar colour per person.
final class LanguageConventionsTests: TandemTestCase {
    func testFrenchSpacingPutsANarrowNoBreakSpaceBeforeHighPunctuation() {
        let nnbsp = "\u{202F}"
        XCTAssertEqual(FrenchTypography.apply("Points forts:"), "Points forts" + nnbsp + ":")
        XCTAssertEqual(FrenchTypography.apply("Points forts : x"), "Points forts" + nnbsp + ": x")
        XCTAssertEqual(FrenchTypography.apply("Vraiment?! Oui; non"), "Vraiment" + nnbsp + "?!" + " Oui" + nnbsp + "; non")
        XCTAssertEqual(FrenchTypography.apply("«Bonjour»"), "«" + nnbsp + "Bonjour" + nnbsp + "»")
        XCTAssertEqual(FrenchTypography.apply("« Bonjour »"), "«" + nnbsp + "Bonjour" + nnbsp + "»")
        // Times and placeholders joined by a colon stay as they are.
        XCTAssertEqual(FrenchTypography.apply("14:30 {a}:{b}"), "14:30 {a}:{b}")
        XCTAssertEqual(FrenchTypography.apply("Sans ponctuation"), "Sans ponctuation")
    }

    func testEveryFrenchThemeTextIsSpaced() throws {
        var diagnostics = Diagnostics()
        let theme = try XCTUnwrap(Theme.load(path: ProgrammeFixture.templatesPath, diagnostics: &diagnostics))
        let strings = try XCTUnwrap(theme.strings["fr"])
        var offenders: [String] = []
        func visit(_ value: Any, _ key: String) {
            if let text = value as? String {
                let scalars = Array(text.unicodeScalars)
                for (i, s) in scalars.enumerated() where ";?!".unicodeScalars.contains(s) && i > 0 {
                    if scalars[i - 1] != "\u{202F}" && !";?!".unicodeScalars.contains(scalars[i - 1]) {
                        offenders.append(key + ": " + text)
                    }
                }
                if text.contains(" :") || text.contains(" ;") || text.contains(" ?") || text.contains(" !") {
                    offenders.append(key + ": " + text)
                }
            } else if let map = value as? [String: Any] {
                for (k, v) in map { visit(v, key + "." + k) }
            } else if let list = value as? [Any] {
                for v in list { visit(v, key) }
            }
        }
        visit(strings.values, "fr")
        XCTAssertEqual(offenders, [])
    }

    func testRoleLabelsFollowGenderAndTheNeutralFormWhenEmpty() throws {
        fixture.replace("participants.csv", "languages,topics,publish,photo\n", with: "languages,topics,publish,photo,gender\n")
        fixture.replace("participants.csv", "yes,photos/anna.jpg\n", with: "yes,photos/anna.jpg,f\n")
        fixture.replace("participants.csv", "de,TikTok,yes,\n", with: "de,TikTok,yes,,m\n")
        fixture.replace("participants.csv", "fr,Podcasts,no,photos/clara.jpg\n", with: "fr,Podcasts,no,photos/clara.jpg,\n")
        fixture.replace("participants.csv", "de,Podcasts,yes,\n", with: "de,Podcasts,yes,,\n")
        let result = fixture.build()
        assertSucceeded(result)
        let anna = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        XCTAssertTrue(anna.contains("Mentorin"), "f: the feminine label")
        XCTAssertFalse(anna.contains("Mentor/in"))
        fixture.replace("participants.csv", "yes,photos/anna.jpg,f\n", with: "yes,photos/anna.jpg,m\n")
        assertSucceeded(fixture.build())
        let annaMale = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        XCTAssertFalse(annaMale.contains("Mentorin<"), "m: the masculine label")
        fixture.replace("participants.csv", "yes,photos/anna.jpg,m\n", with: "yes,photos/anna.jpg,\n")
        assertSucceeded(fixture.build())
        let annaNeutral = try XCTUnwrap(readText(output, "site/participants/anna-muster.html"))
        XCTAssertTrue(annaNeutral.contains("Mentorin/Mentor"), "empty: the neutral form of the strings")
    }

    func testAvatarColoursAreStableAndDifferWithinATandem() throws {
        var participants: [Participant] = []
        var tandems: [Tandem] = []
        for i in 0..<300 {
            participants.append(
                Participant(
                    id: "mentor-\(i)", name: "M \(i)", role: .mentor, organisation: "A", languages: [], topics: [], publish: true, line: i))
            participants.append(
                Participant(
                    id: "mentee-\(i)", name: "E \(i)", role: .mentee, organisation: "B", languages: [], topics: [], publish: true, line: i))
        }
        let byID = Dictionary(uniqueKeysWithValues: participants.map { ($0.id, $0) })
        for i in 0..<300 {
            tandems.append(
                Tandem(id: "t\(i)", mentor: "mentor-\(i)", mentee: "mentee-\(i)", started: nil, goals: [], status: .active, line: i + 2))
        }
        let view = PublicProgramme(participants: participants, tandems: tandems, feedback: []) { byID[$0] }
        var used = Set<Int>()
        for i in 0..<300 {
            let mentor = view.avatarColour(of: "mentor-\(i)")
            let mentee = view.avatarColour(of: "mentee-\(i)")
            XCTAssertNotEqual(mentor, mentee, "the two avatars of tandem t\(i)")
            XCTAssertTrue((1...PublicProgramme.avatarColourCount).contains(mentor))
            used.insert(mentor)
        }
        XCTAssertEqual(used.count, PublicProgramme.avatarColourCount, "every colour is used")
        // Stable: the same id gets the same colour in another programme.
        let other = PublicProgramme(participants: [participants[0]], tandems: [], feedback: []) { byID[$0] }
        XCTAssertEqual(other.avatarColour(of: "mentor-0"), view.avatarColour(of: "mentor-0"))
    }
}

extension LanguageConventionsTests {
    func testInitialsAreTheFirstAndTheLastName() {
        XCTAssertEqual(Cards.initials("Anna-Katharina von Graffenried-Wattenwyl"), "AG")
        XCTAssertEqual(Cards.initials("Hans-Peter Kälin"), "HK")
        XCTAssertEqual(Cards.initials("Łukasz"), "Ł")
        XCTAssertEqual(Cards.initials("Zoë Favre"), "ZF")
        XCTAssertEqual(Cards.initials(""), "")
    }
}
