import ArgumentParser
import AutomationsConfig
import AutomationsModel

/// `automations validate`: checks the file and prints a summary or every problem.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an automations file strictly and report every problem.",
        discussion: """
            Prints 'ok: N services, M tasks' and exits 0, or prints each problem as PATH:LINE:COL: error: MESSAGE \
            and exits 2.

            Example:
              automations validate --file .gitpod/automations.yaml
            """
    )

    @OptionGroup var options: FileOptions

    func run() throws {
        let loaded = try options.load()
        let services = loaded.file.services.count
        let tasks = loaded.file.tasks.count
        print("ok: \(services) service\(services == 1 ? "" : "s"), \(tasks) task\(tasks == 1 ? "" : "s")")
    }
}
