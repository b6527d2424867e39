import AutomationsModel
import AutomationsRuntime
import Foundation
import Testing

/// `--help` and `-h` work on every command the parser knows, with or without a running server, and start nothing.
@Suite(.timeLimit(.minutes(2)))
struct HelpTests {
    /// The subcommands `automations [PATH] --help` lists (the parser's own list; hidden ones are not listed).
    private static func subcommands(of path: [String], in project: Project) async throws -> [String] {
        let help = try await project.run(path + ["--help"])
        guard let section = help.stdout.components(separatedBy: "SUBCOMMANDS:").dropFirst().first else { return [] }
        return section.split(separator: "\n").compactMap { line in
            // A subcommand's line is indented by two spaces; its description's wrapped lines by more.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            guard let word = line.split(separator: " ").first, word.allSatisfy({ $0.isLowercase || $0 == "-" })
            else { return nil }  // "See 'automations help <subcommand>'…"
            return String(word)
        }
    }

    private func checkEveryCommand(in project: Project, _ situation: String) async throws {
        let commands = try await Self.subcommands(of: [], in: project)
        #expect(commands.count >= 12, "\(commands)")
        #expect(commands.contains("service") && commands.contains("task") && commands.contains("update"))
        for command in commands {
            for flag in ["--help", "-h"] {
                let result = try await project.run([command, flag])
                #expect(result.status == 0, "\(situation): automations \(command) \(flag): \(result.stderr)")
                #expect(result.stdout.hasPrefix("OVERVIEW: "), "\(situation): automations \(command) \(flag)")
                #expect(result.stdout.contains("USAGE: automations \(command)"), "\(situation): \(command) \(flag)")
            }
        }
        // And after a verb, as people type it.
        for words in [["service", "start", "--help"], ["task", "start", "-h"], ["hook", "install", "--help"]] {
            let result = try await project.run(words)
            #expect(result.status == 0 && result.stdout.hasPrefix("OVERVIEW: "), "\(situation): \(words)")
        }
    }

    @Test func everyCommandAnswersHelpWithoutAServer() async throws {
        let project = try Project("tasks:\n  build: {name: Build, command: 'touch built'}\n")
        defer { project.remove() }
        try await checkEveryCommand(in: project, "without a server")
        #expect(!project.exists("built"))
    }

    @Test func everyCommandAnswersHelpWithAServer() async throws {
        let project = try Project("tasks:\n  build: {name: Build, command: 'touch built'}\n")
        defer { project.remove() }
        let server = try await ServeProcess.start(in: project, stateDir: ".automations/state")
        defer { server.running.signalGroup(SIGTERM) }
        try await checkEveryCommand(in: project, "with a server")
        #expect(!project.exists("built"))
        #expect(await server.stop().termination == .exited(0))
    }
}
