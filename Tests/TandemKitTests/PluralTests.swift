import XCTest

@testable import TandemKit

/// Texts that count something take their singular form for one (`{one: …, other: …}` in the strings files).
final class PluralTests: TandemTestCase {
    func testOneHiddenParticipantAndTandemAreCountedInTheSingular() {
        // The fixture has one unpublished participant and one tandem that is not public.
        assertSucceeded(fixture.build())
        let participants = readText(output, "site/participants/index.html") ?? ""
        XCTAssertTrue(
            participants.contains("1 weitere Person hat einer Veröffentlichung nicht zugestimmt und wird hier nicht gezeigt."), participants
        )
        let tandems = readText(output, "site/tandems/index.html") ?? ""
        XCTAssertTrue(tandems.contains("1 weiteres Tandem ist nicht öffentlich."), tandems)
        XCTAssertFalse(tandems.contains("1 weitere Tandems"))
    }

    func testTwoHiddenParticipantsAreCountedInThePlural() {
        fixture.replace("participants.csv", "de,Podcasts,yes,", with: "de,Podcasts,no,")
        assertSucceeded(fixture.build())
        let participants = readText(output, "site/participants/index.html") ?? ""
        XCTAssertTrue(participants.contains("weitere Teilnehmende haben einer Veröffentlichung nicht zugestimmt"), participants)
        XCTAssertFalse(participants.contains("weitere Person hat"))
    }

    func testFormsFollowEachLanguagesRule() {
        let forms: [String: Any] = ["things": ["one": "{count} chose", "other": "{count} choses"], "plain": "{count} x"]
        let french = UIStrings(values: forms, path: "Templates/strings/fr.yml", language: "fr")
        XCTAssertEqual(french.language, "fr")
        XCTAssertEqual(french.format("things", ["count": "0"], count: 0), "0 chose", "French counts 0 as singular")
        XCTAssertEqual(french.format("things", ["count": "1"], count: 1), "1 chose")
        XCTAssertEqual(french.format("things", ["count": "2"], count: 2), "2 choses")
        let german = UIStrings(values: forms, path: "Templates/strings/report.de.yml", language: "de")
        XCTAssertEqual(german.language, "de")
        XCTAssertEqual(german.format("things", ["count": "0"], count: 0), "0 choses", "German counts 0 as plural")
        XCTAssertEqual(german.format("things", ["count": "1"], count: 1), "1 chose")
        XCTAssertEqual(german.format("things", ["count": "3"]), "3 choses", "without a count: the other form")
        XCTAssertEqual(german["things"], "{count} choses")
        // A theme copied before plural forms existed keeps working: a plain text serves every number.
        XCTAssertEqual(german.format("plain", ["count": "1"], count: 1), "1 x")
    }
}
