import AutomationsTestSupport
import Foundation
import Testing

@testable import AutomationsReports

/// Reading JUnit XML that other tools write, as a stream: suites (nested or bare), outcomes, CDATA and entities,
/// texts capped, and a clear error for a file that cannot be read.
struct JUnitFileReaderTests {
    private func cases(_ xml: String) throws -> [InnerTestCase] {
        let folder = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/junit.xml"
        try xml.write(toFile: path, atomically: false, encoding: .utf8)
        var found: [InnerTestCase] = []
        try JUnitFileReader.read(path: path) { found.append($0) }
        return found
    }

    @Test func outcomesSuitesAndTextsAreRead() throws {
        let found = try cases(
            """
            <?xml version="1.0"?>
            <testsuites><testsuite name="outer"><testsuite name="pkg.mod">
              <testcase classname="pkg.mod" name="passes" time="0.5"/>
              <testcase classname="pkg.mod" name="fails &amp; says so" time="1">
                <failure message="boom &lt;1&gt;" type="AssertionError"><![CDATA[trace <here>]]></failure>
              </testcase>
              <testcase name="errs"><error message="crash"/></testcase>
              <testcase name="skips"><skipped/></testcase>
            </testsuite></testsuite></testsuites>
            """
        )
        #expect(found.map(\.name) == ["passes", "fails & says so", "errs", "skips"])
        #expect(found.map(\.outcome) == [nil, "failure", "error", "skipped"])
        #expect(found[0].suite == "pkg.mod" && found[0].time == 0.5)
        #expect(found[1].message == "boom <1>" && found[1].type == "AssertionError")
        #expect(found[1].body.contains("trace <here>"))
    }

    @Test func aBareTestsuiteRootAndLongTextsAreRead() throws {
        let long = String(repeating: "x", count: 100_000)
        let found = try cases(
            "<testsuite name=\"s\"><testcase name=\"t\"><system-out>\(long)</system-out></testcase></testsuite>"
        )
        #expect(found.count == 1 && found[0].suite == "s")
        #expect(found[0].output.utf8.count <= 2 * JUnitFileReader.textLimit + 64)
    }

    @Test func aMissingFileIsAClearError() {
        #expect(throws: JUnitReadError.self) { try JUnitFileReader.read(path: "/nonexistent/junit.xml") { _ in } }
    }
}
