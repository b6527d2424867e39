import ArgumentParser
import AutomationsConfig
import AutomationsModel

/// `automations validate`: checks the file and prints a summary or every problem.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an automations file strictly and report every problem.",
        discussion: """
            Prints 'ok: N services, M tasks' and exits 0, or prints each problem as PATH:LINE:COL: error: MESSAGE \
            and exits 2. Warnings follow the errors as PATH:LINE:COL: warning: MESSAGE [AU0NN]; alone they exit 0 \
            (2 with --warnings-as-errors). With --trigger, also warns about what nothing starts with that trigger.

            Examples:
              automations validate --file .gitpod/automations.yaml
              automations validate --trigger postEnvironmentStart --warnings-as-errors --allow AU002
            """
    )

    @OptionGroup var options: FileOptions
    @OptionGroup var warnings: WarningOptions

    @Option(help: "Also warn about the services and tasks that a run with this trigger never starts.")
    var trigger: String?

    func run() throws {
        let selection = try TargetSelection.parse(references: [], trigger: trigger, options: options)
        let loaded = try options.load(warnings: warnings, trigger: selection.trigger)
        let services = loaded.file.services.count
        let tasks = loaded.file.tasks.count
        let shown = loaded.warnings.count
        print(
            "ok: \(services) service\(services == 1 ? "" : "s"), \(tasks) task\(tasks == 1 ? "" : "s")"
                + (shown == 0 ? "" : ", \(shown) warning\(shown == 1 ? "" : "s")")
                + (loaded.runner.map { "; runner file \($0.displayPath): ok" } ?? "")
        )
    }
}
