import ArgumentParser
import AutomationsConfig
import AutomationsModel
import AutomationsReports

/// `automations list`: the services and tasks of the file.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the services and tasks of an automations file.",
        discussion: """
            Text output is a table of kind, reference, name, triggers and dependencies; JSON output holds every field.

            Examples:
              automations list
              automations list --format json --file ci/automations.yaml
            """
    )

    @OptionGroup var options: FileOptions

    @Option(help: "text (an aligned table) or json.")
    var format: OutputFormat = .text

    func run() throws {
        let file = try options.load().file
        switch format {
        case .text: print(table(file), terminator: "")
        case .json: print(FileJSON.file(file).serialized(pretty: true))
        }
    }

    private func table(_ file: AutomationsFile) -> String {
        var table = TextTable(header: ["KIND", "REFERENCE", "NAME", "TRIGGERS", "DEPENDS ON"])
        for service in file.services {
            table.rows.append([
                "service", service.reference, service.name, list(service.triggeredBy.map(\.rawValue)), "-",
            ])
        }
        for task in file.tasks {
            table.rows.append([
                "task", task.reference, task.name, list(task.triggeredBy.map(\.rawValue)), list(task.dependsOn),
            ])
        }
        return table.render()
    }

    private func list(_ items: [String]) -> String { items.isEmpty ? "-" : items.joined(separator: ", ") }
}
