import AutomationsHistory
import AutomationsTestSupport
import Foundation
import Testing

/// JUnit from any tool, read with libxml2's streaming reader; hostile files are refused with a clear error.
struct JUnitImportTests {
    private func file(_ text: String) throws -> String {
        let path = try TestEnvironment.directory() + "/report.xml"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    @Test func readsTheCasesOfPytestGoAndSurefireShapes() throws {
        let pytest = try file(
            """
            <?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" tests="3">
            <testcase classname="tests.test_a" name="test_ok" time="0.5"/>
            <testcase classname="tests.test_a" name="test_bad" time="0.25"><failure message="assert 1 == 2">trace</failure></testcase>
            <testcase classname="tests.test_a" name="test_skip" time="0"><skipped message="later"/></testcase>
            </testsuite></testsuites>
            """
        )
        let cases = try JUnitImport.read(path: pytest)
        #expect(cases.map(\.name) == ["test_ok", "test_bad", "test_skip"])
        #expect(cases.map(\.result) == ["passed", "failed", "skipped"])
        #expect(cases.map(\.seconds) == [0.5, 0.25, 0])
        #expect(cases.allSatisfy { $0.suite == "pytest" })
        // A bare <testsuite> root, an error, and a classname standing in for a nameless suite.
        let bare = try file(
            "<testsuite><testcase classname=\"pkg.Math\" name=\"divides\"><error type=\"panic\"/></testcase></testsuite>"
        )
        #expect(
            try JUnitImport.read(path: bare) == [.init(suite: "pkg.Math", name: "divides", seconds: 0, result: "error")]
        )
    }

    @Test func hostileFilesAreRefusedWithAClearError() throws {
        let external = try file(
            "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><testsuite><testcase name=\"&x;\"/></testsuite>"
        )
        #expect(throws: JUnitImportError.documentType(path: external)) { try JUnitImport.read(path: external) }
        let laughs = (2...9).map { level in
            "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }.joined()
        let bomb = try file(
            "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol1 \"lol\">\(laughs)]><testsuite><testcase name=\"a\"><system-out>&lol9;</system-out></testcase></testsuite>"
        )
        #expect(throws: JUnitImportError.documentType(path: bomb)) { try JUnitImport.read(path: bomb) }
        let deep = try file(
            "<testsuite>" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
                + "</testsuite>"
        )
        do {
            _ = try JUnitImport.read(path: deep)
            Issue.record("deep nesting was read")
        } catch {
            #expect(error.description.contains("Excessive depth"), "\(error)")
        }
        let html = try file("<html><body>502</body></html>")
        #expect(throws: JUnitImportError.notJUnit(path: html)) { try JUnitImport.read(path: html) }
        let broken = try file("<testsuite><testcase name=\"a\">")
        #expect(throws: (any Error).self) { try JUnitImport.read(path: broken) }
    }

    @Test func aHundredThousandCasesAreReadInFlatMemory() throws {
        var text = "<testsuites><testsuite name=\"big\">"
        for index in 0..<100_000 { text += "<testcase classname=\"c\" name=\"t\(index)\" time=\"0.001\"/>" }
        text += "</testsuite></testsuites>"
        #expect(try JUnitImport.read(path: try file(text)).count == 100_000)
    }

    @Test func utf16AndLatin1FilesAreReadToo() throws {
        let template =
            "<?xml version=\"1.0\" encoding=\"ENC\"?><testsuite name=\"s\"><testcase name=\"tést\"/></testsuite>"
        let folder = try TestEnvironment.directory()
        let utf16 = folder + "/utf16.xml"
        try template.replacingOccurrences(of: "ENC", with: "UTF-16").data(using: .utf16)?.write(
            to: URL(fileURLWithPath: utf16)
        )
        let latin1 = folder + "/latin1.xml"
        try template.replacingOccurrences(of: "ENC", with: "ISO-8859-1").data(using: .isoLatin1)?.write(
            to: URL(fileURLWithPath: latin1)
        )
        #expect(try JUnitImport.read(path: utf16).map(\.name) == ["tést"])
        #expect(try JUnitImport.read(path: latin1).map(\.name) == ["tést"])
    }
}
