import AutomationsConfig
import AutomationsModel
import AutomationsReports
import AutomationsRun
import AutomationsTestSupport
import Foundation
import Testing

/// A run is configured by a value and checked into a setup before anything starts: what it plans, where its files
/// go, and each problem as a value naming the offending input.
struct RunSetupTests {
    private let folder: String
    private let loaded: LoadedAutomationsFile

    init() throws {
        folder = try TestEnvironment.directory()
        try FileManager.default.createDirectory(atPath: folder + "/.gitpod", withIntermediateDirectories: true)
        try """
        services:
          db:
            name: db
            commands:
              start: exec sleep 60
        tasks:
          build:
            name: build
            command: make
          test:
            name: test
            dependsOn: [build, db]
            command: make test
        """.write(toFile: folder + "/.gitpod/automations.yaml", atomically: false, encoding: .utf8)
        loaded = try AutomationsConfigLoader.load(path: nil, workingDirectory: folder)
    }

    private func configuration(_ references: [String] = ["test"]) -> RunConfiguration {
        RunConfiguration(
            loaded: loaded,
            selection: TargetSelection(references: references),
            invocationDirectory: folder,
            processEnvironment: ["PATH": "/usr/bin:/bin", "SECRET": "s3cret"]
        )
    }

    @Test func aConfigurationBecomesAPlanWithItsFilesInPlace() throws {
        var configuration = configuration()
        configuration.environmentAssignments = [("MODE", "ci")]
        configuration.secretNames = ["SECRET"]
        configuration.junitPath = "out/reports/junit.xml"
        let setup = try RunSetup(configuration)
        #expect(setup.plan.groups.map { $0.map(\.reference) } == [["build", "db"], ["test"]])
        #expect(setup.workingDirectory == loaded.rootDirectory)
        #expect(setup.environment["MODE"] == "ci" && setup.environment["PATH"] == "/usr/bin:/bin")
        #expect(setup.secrets == ["s3cret"])
        #expect(setup.junitPath == folder + "/out/reports/junit.xml")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder + "/out/reports", isDirectory: &isDirectory))
        #expect(isDirectory.boolValue, "the report's folder is made before the run")
        #expect(setup.consoleMode == .prefixed, "no CI: live prefixed lines")
        #expect(setup.nothingToRun == nil)
    }

    @Test func underACIThatFoldsGroupsTheConsoleIsGrouped() throws {
        var configuration = configuration()
        configuration.processEnvironment["GITLAB_CI"] = "true"
        #expect(try RunSetup(configuration).consoleMode == .grouped)
        configuration.consoleMode = .quiet
        #expect(try RunSetup(configuration).consoleMode == .quiet, "--output wins")
    }

    @Test func eachProblemNamesTheOffendingInput() throws {
        var secret = configuration()
        secret.secretNames = ["NOPE"]
        #expect(throws: RunSetupError.self) { try RunSetup(secret) }
        #expect(message(secret).contains("--secret-env NOPE: no such variable"))

        var collect = configuration()
        collect.collectJUnit = [("tset", "junit.xml")]
        #expect(message(collect) == "--collect-junit 'tset=junit.xml': no task 'tset' (did you mean 'test'?)")

        var workdir = configuration()
        workdir.workdir = "missing"
        #expect(message(workdir) == "--workdir 'missing' is not a directory")

        var envFile = configuration()
        try "GOOD=1\nnot an assignment\n".write(toFile: folder + "/bad.env", atomically: false, encoding: .utf8)
        envFile.environmentFiles = ["bad.env"]
        #expect(message(envFile) == "\(folder)/bad.env:2: error: expected KEY=VALUE, found 'not an assignment'")

        var rerun = configuration()
        rerun.rerunFailed = "report.json"
        #expect(message(rerun).hasPrefix("--rerun-failed chooses the targets"))

        #expect(message(configuration(["nope"])).contains("nope"))
    }

    @Test func aReportThatIsAFolderIsRefusedBeforeAnythingRuns() throws {
        try FileManager.default.createDirectory(atPath: folder + "/report.json", withIntermediateDirectories: true)
        var configuration = configuration()
        configuration.jsonPath = "report.json"
        #expect(message(configuration) == "--report-json 'report.json' is a directory")
    }

    private func message(_ configuration: RunConfiguration) -> String {
        do {
            _ = try RunSetup(configuration)
            return "no error"
        } catch {
            return error.description
        }
    }
}
