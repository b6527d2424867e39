import ArgumentParser
import AutomationsConfig
import AutomationsModel

/// `automations schema`: the JSON Schema of an automations file, for editors.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema (draft-07) of an automations file, for editors.",
        discussion: """
            The schema accepts what validate accepts, except what a schema cannot say (a dependency naming an item \
            of the file, cycles, a reference used by both a service and a task). Write it next to the file and \
            point the YAML language server at it with the file's first line:

              automations schema > .gitpod/automations.schema.json
              # yaml-language-server: $schema=./automations.schema.json
            """
    )

    @Flag(help: "Print the schema of the runner file (automations.runner.yaml) instead.")
    var runner = false

    func run() {
        print((runner ? RunnerFileSchema.document : AutomationsSchema.document).serialized(pretty: true))
    }
}
