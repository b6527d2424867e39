import ArgumentParser

/// The `automations` command: runs Gitpod/Ona automations files outside Gitpod.
struct AutomationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "automations",
        abstract: "Check, plan and run the services and tasks of a Gitpod/Ona automations.yaml file.",
        discussion: """
            Without --file, the file is found from the working directory upward as .gitpod/automations.yaml, \
            .gitpod/automations.yml, .ona/automations.yaml or .ona/automations.yml.

            Exit status: 0 success; 1 a step or service failed; 2 invalid file or command line; 130, 143, 129 \
            stopped by SIGINT, SIGTERM, SIGHUP.
            """,
        version: "0.1.0",
        subcommands: [
            Run.self, Validate.self, Schema.self, List.self, Plan.self, Merge.self, Report.self, Serve.self,
            ServiceSubcommand.self,
            TaskSubcommand.self,
            UpdateSubcommand.self, HookSubcommand.self, History.self, Watchdog.self,
        ]
    )
}
