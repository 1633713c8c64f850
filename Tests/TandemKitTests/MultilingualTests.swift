import Foundation
import XCTest

@testable import TandemKit

/// Sites in several languages (issue 5): one folder per language, translations with fallback, locale dates and typography.
final class MultilingualTests: TandemTestCase {
    /// The fixture made bilingual: German main language, French translations of one profile and one page.
    private func makeBilingual() {
        fixture.replace(
            "programme.yml", "title: \"Reverse Mentoring Test\"",
            with: "title: {de: \"Reverse Mentoring Test\", fr: \"Mentorat inversé test\"}\nlanguages: [de, fr]")
        fixture.replace("programme.yml", "title: \"Kick-off\"", with: "title: {de: \"Kick-off\", fr: \"Lancement\"}")
        fixture.write(
            "profiles/anna-muster.fr.md",
            "---\nquote: \"Apprendre dans les deux sens.\"\n---\nJe montre comment fonctionne TikTok, \"vraiment\".\n")
        fixture.write("pages/about.fr.md", "---\ntitle: À propos du programme\n---\nLe programme FRANZTEXT rapproche les générations.\n")
    }

    func testEachLanguageGetsItsFolderAndTheRootLeadsToTheMainLanguage() throws {
        makeBilingual()
        let result = fixture.build()
        assertSucceeded(result)
        for language in ["de", "fr"] {
            for page in [
                "index.html", "participants/index.html", "participants/anna-muster.html", "tandems/index.html", "timeline.html",
                "about.html", "programme.ics",
            ] {
                XCTAssertTrue(fileExists(output + "/site/\(language)/\(page)"), "missing site/\(language)/\(page)")
            }
        }
        let index = try XCTUnwrap(readText(output, "site/index.html"))
        XCTAssertTrue(index.contains("url=de/index.html"), index)
        XCTAssertTrue(index.contains("href=\"fr/index.html\""), index)
        XCTAssertTrue(fileExists(output + "/site/404.html"))
        XCTAssertTrue(fileExists(output + "/site/theme/style.css"))
        XCTAssertTrue(fileExists(output + "/site/assets/photos/anna.jpg"))
        XCTAssertFalse(fileExists(output + "/site/de/theme"), "theme is shared, not copied per language")
    }

    func testPagesCarryLangAlternatesAndSwitcher() throws {
        makeBilingual()
        assertSucceeded(fixture.build())
        let german = try XCTUnwrap(readText(output, "site/de/participants/anna-muster.html"))
        let french = try XCTUnwrap(readText(output, "site/fr/participants/anna-muster.html"))
        XCTAssertTrue(german.contains("<html lang=\"de\">"))
        XCTAssertTrue(french.contains("<html lang=\"fr\">"))
        for page in [german, french] {
            XCTAssertTrue(
                page.contains(
                    "<link rel=\"alternate\" hreflang=\"de\" href=\"https://mentoring.example.ch/de/participants/anna-muster.html\">"), page
            )
            XCTAssertTrue(
                page.contains(
                    "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://mentoring.example.ch/fr/participants/anna-muster.html\">"), page
            )
            XCTAssertTrue(page.contains("hreflang=\"x-default\""))
            XCTAssertTrue(page.contains("href=\"../../theme/style.css\""), "theme link must climb out of the language folder")
            XCTAssertTrue(page.contains("src=\"../../assets/photos/anna.jpg\""))
        }
        // The switcher links to the same page in the other language.
        XCTAssertTrue(german.contains("href=\"../../fr/participants/anna-muster.html\""), german)
        XCTAssertTrue(french.contains("href=\"../../de/participants/anna-muster.html\""), french)
    }

    func testTranslationOnlyOnItsLanguageAndFallbackMarked() throws {
        makeBilingual()
        assertSucceeded(fixture.build())
        let germanAnna = try XCTUnwrap(readText(output, "site/de/participants/anna-muster.html"))
        let frenchAnna = try XCTUnwrap(readText(output, "site/fr/participants/anna-muster.html"))
        XCTAssertTrue(frenchAnna.contains("Je montre comment fonctionne TikTok"))
        XCTAssertFalse(germanAnna.contains("Je montre"))
        XCTAssertTrue(germanAnna.contains("Ich zeige, wie TikTok funktioniert."))
        XCTAssertFalse(frenchAnna.contains("Ich zeige"))
        // French typography from smart punctuation.
        XCTAssertTrue(frenchAnna.contains("«\u{202F}vraiment\u{202F}»"), frenchAnna)

        // A page without French translation shows the German text on the French site, marked lang="de".
        fixture.remove("pages/about.fr.md")
        assertSucceeded(fixture.build())
        let frenchAbout = try XCTUnwrap(readText(output, "site/fr/about.html"))
        XCTAssertTrue(frenchAbout.contains("<div class=\"prose\" lang=\"de\">"), frenchAbout)
        XCTAssertTrue(frenchAbout.contains("Das Programm bringt Generationen zusammen."))
        let germanAbout = try XCTUnwrap(readText(output, "site/de/about.html"))
        XCTAssertTrue(germanAbout.contains("<div class=\"prose\">"))
        // Swiss German typography: «hier».
        XCTAssertTrue(germanAbout.contains("\u{00AB}hier\u{00BB}"), germanAbout)
    }

    func testLocaleDates() throws {
        makeBilingual()
        assertSucceeded(fixture.build())
        let german = try XCTUnwrap(readText(output, "site/de/timeline.html"))
        let french = try XCTUnwrap(readText(output, "site/fr/timeline.html"))
        XCTAssertTrue(german.contains("Kick-off"))
        XCTAssertTrue(french.contains("Lancement"))
        let germanHome = try XCTUnwrap(readText(output, "site/de/index.html"))
        let frenchHome = try XCTUnwrap(readText(output, "site/fr/index.html"))
        XCTAssertTrue(germanHome.contains("1. März 2026"), germanHome)
        XCTAssertTrue(frenchHome.contains("1 mars 2026"), frenchHome)
    }

    func testSitemapListsEveryLanguageWithAlternates() throws {
        makeBilingual()
        assertSucceeded(fixture.build())
        let sitemap = try XCTUnwrap(readText(output, "site/sitemap.xml"))
        XCTAssertTrue(sitemap.contains("<loc>https://mentoring.example.ch/fr/about.html</loc>"))
        XCTAssertTrue(
            sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://mentoring.example.ch/de/about.html\"/>"))
    }

    func testTranslationWithoutOriginalIsAnError() {
        makeBilingual()
        fixture.write("profiles/dieter-daten.fr.md", "Bonjour.\n")
        fixture.write("pages/missing.fr.md", "---\ntitle: Absent\n---\nRien.\n")
        let result = fixture.build()
        XCTAssertFalse(result.succeeded)
        assertDiagnostic(result, in: "profiles/dieter-daten.fr.md", line: 1, contains: ["without original"])
        assertDiagnostic(result, in: "pages/missing.fr.md", line: 1, contains: ["without original"])
    }

    func testOneLanguageHasNoLanguageFolder() {
        assertSucceeded(fixture.build())
        XCTAssertTrue(fileExists(output + "/site/index.html"))
        XCTAssertFalse(fileExists(output + "/site/de"))
        let home = readText(output, "site/index.html") ?? ""
        XCTAssertFalse(home.contains("hreflang"), "no alternates with one language")
    }

    func testEveryStringKeyExistsInEveryLanguage() throws {
        let folder = URL(fileURLWithPath: ProgrammeFixture.templatesPath).appendingPathComponent("strings")
        var diagnostics = Diagnostics()
        let theme = try XCTUnwrap(Theme.load(path: ProgrammeFixture.templatesPath, diagnostics: &diagnostics))
        XCTAssertFalse(diagnostics.hasErrors, diagnostics.all.map(\.description).joined(separator: "\n"))
        func keys(_ value: Any, prefix: String = "") -> Set<String> {
            guard let map = value as? [String: Any] else { return [prefix] }
            return map.reduce(into: Set<String>()) { result, entry in result.formUnion(keys(entry.value, prefix: prefix + "." + entry.key))
            }
        }
        let languages = ["de", "fr", "it", "en"]
        let sets = try languages.map { try XCTUnwrap(theme.strings[$0], "no strings for \($0) in \(folder.path)") }.map { keys($0.values) }
        for (language, set) in zip(languages, sets) {
            let missing = sets[0].union(sets[1]).union(sets[2]).union(sets[3]).subtracting(set)
            XCTAssertTrue(missing.isEmpty, "strings for \(language) lack: \(missing.sorted().joined(separator: ", "))")
        }
    }

    func testHandoutPerLanguageAndAnnouncementsOnce() throws {
        makeBilingual()
        assertSucceeded(fixture.build())
        let german = try XCTUnwrap(readText(output, "print/handout.de.html"))
        let french = try XCTUnwrap(readText(output, "print/handout.fr.html"))
        XCTAssertFalse(fileExists(output + "/print/handout.html"))
        XCTAssertTrue(german.contains("<html lang=\"de\""), german)
        XCTAssertTrue(french.contains("<html lang=\"fr\""), french)
        XCTAssertTrue(french.contains("FRANZTEXT"), "the French handout uses the French page")
        XCTAssertFalse(german.contains("FRANZTEXT"))
        XCTAssertTrue(fileExists(output + "/print/announcements/anna-bruno.html"))
    }

    func testEachMailIsInTheTandemsFirstSharedLanguage() throws {
        // Anna (de;en) and Bruno (de) share German; Clara (fr) and Dieter become French speakers.
        fixture.replace("participants.csv", "Delta AG,CFO,dieter@delta.example.ch,de,", with: "Delta AG,CFO,dieter@delta.example.ch,fr;de,")
        assertSucceeded(fixture.build())
        let german = try XCTUnwrap(readText(output, "mail/anna-bruno.eml"))
        let french = try XCTUnwrap(readText(output, "mail/clara-dieter.eml"))
        XCTAssertTrue(german.contains("Content-Language: de"), german)
        XCTAssertTrue(french.contains("Content-Language: fr"), french)
    }
}
