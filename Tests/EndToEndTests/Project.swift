import AutomationsModel
import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A temporary project with `.gitpod/automations.yaml`, removed at the end of a test.
struct Project {
    let root: String

    init(_ automations: String) throws {
        root = try TestEnvironment.directory()
        try FileManager.default.createDirectory(atPath: root + "/.gitpod", withIntermediateDirectories: true)
        try automations.write(toFile: root + "/.gitpod/automations.yaml", atomically: false, encoding: .utf8)
    }

    /// A project in a folder that already holds one (a clone).
    init(existing root: String) {
        self.root = root
    }

    func path(_ relative: String) -> String { root + "/" + relative }

    func read(_ relative: String) -> String { (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? "" }

    func bytes(_ relative: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path(relative))))) ?? []
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// Runs `automations ARGUMENTS` in the project.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> BinaryRunner.Result {
        try await BinaryRunner.run(arguments, in: root, environment: environment)
    }

    /// `automations run ARGUMENTS --junit report.xml --report-json report.json`, with the reports read back.
    func runWithReports(_ arguments: [String], environment: [String: String] = [:]) async throws -> RunOutcome {
        let result = try await run(
            ["run"] + arguments + ["--junit", "report.xml", "--report-json", "report.json"],
            environment: environment
        )
        let outcome = try RunOutcome(result: result, project: self)
        try await ReportChecks.validate(junitPath: path("report.xml"), jsonPath: path("report.json"))
        return outcome
    }

    /// `runWithReports`, interrupted: once the console output satisfies `ready`, `signals` go to the runner's process
    /// group 100 ms apart (as a terminal sends Ctrl-C); then it waits for the end and reads the reports.
    func runInterrupted(
        _ arguments: [String],
        once ready: @escaping (String) -> Bool,
        with signals: [Int32],
        environment: [String: String] = [:]
    ) async throws -> RunOutcome {
        let running = try BinaryRunner.start(
            ["run"] + arguments + ["--junit", "report.xml", "--report-json", "report.json"],
            in: root,
            environment: environment
        )
        #expect(await TestEnvironment.eventually { ready(running.output.stdoutText) }, "never ready to interrupt")
        for signal in signals {
            kill(running.running.processGroup, signal)
            try await Task.sleep(for: .milliseconds(100))
        }
        let result = await running.running.wait()
        try? FileManager.default.removeItem(atPath: running.input)
        let outcome = try RunOutcome(
            result: .init(
                status: result.termination.shellStatus,
                stdout: running.output.stdoutText,
                stderr: running.output.stderrText
            ),
            project: self
        )
        try await ReportChecks.validate(junitPath: path("report.xml"), jsonPath: path("report.json"))
        return outcome
    }

    /// The pid written to `relative` by a command (`echo $$ > pid`).
    func pid(_ relative: String) -> Int32? { Int32(read(relative).trimmingCharacters(in: .whitespacesAndNewlines)) }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// What a run left behind: its exit status, console output and both reports.
struct RunOutcome {
    var result: BinaryRunner.Result
    var json: [String: Any]
    var junit: String

    init(result: BinaryRunner.Result, project: Project) throws {
        self.result = result
        let data = Data(project.read("report.json").utf8)
        json = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        junit = project.read("report.xml")
    }

    var status: Int32 { result.status }
    var phase: String? { json["phase"] as? String }

    /// The JSON report's entry for a step.
    func step(_ reference: String) -> [String: Any] {
        ((json["steps"] as? [[String: Any]]) ?? []).first { $0["reference"] as? String == reference } ?? [:]
    }

    func stepPhase(_ reference: String) -> String? { step(reference)["phase"] as? String }

    func service(_ reference: String) -> [String: Any] {
        ((json["services"] as? [[String: Any]]) ?? []).first { $0["reference"] as? String == reference } ?? [:]
    }

    /// Step start and end as seconds since 1970, from the JSON report.
    func interval(_ reference: String) -> (start: Double, end: Double)? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let start = (step(reference)["startedAt"] as? String).flatMap(formatter.date(from:)),
            let end = (step(reference)["completedAt"] as? String).flatMap(formatter.date(from:))
        else { return nil }
        return (start.timeIntervalSince1970, end.timeIntervalSince1970)
    }
}

/// Checks reports the way CI consumers read them.
enum ReportChecks {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "shared/junit/xsd/jenkins-xunit-junit-10.xsd"
        ).path

    /// xmllint against the junit-10 schema (when xmllint is installed; CI installs it), and a copy of both reports
    /// for the Python consumers that `.ci/run` runs afterwards when `AUTOMATIONS_REPORTS_DIR` is set.
    static func validate(junitPath: String, jsonPath: String) async throws {
        guard FileManager.default.fileExists(atPath: junitPath) else {
            Issue.record("no JUnit report at \(junitPath)")
            return
        }
        #expect(FileManager.default.fileExists(atPath: schema), "the junit-10 schema is missing at \(schema)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") {
            let check = try await BinaryRunner.runProgram(
                "xmllint --noout --huge --schema \(BinaryRunner.quote(schema)) \(BinaryRunner.quote(junitPath))"
            )
            #expect(check.status == 0, "xmllint rejected \(junitPath): \(check.stderr)")
        }
        if let folder = ProcessInfo.processInfo.environment["AUTOMATIONS_REPORTS_DIR"] {
            let name = UUID().uuidString
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: junitPath, toPath: "\(folder)/\(name).xml")
            try FileManager.default.copyItem(atPath: jsonPath, toPath: "\(folder)/\(name).json")
        }
    }

}
