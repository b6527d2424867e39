import Foundation

/// `gitpod environment get [ID] [-o json]`: the environment a command runs in is the run's (or `serve`'s), named by
/// the variables every command gets (`GITPOD_ENVIRONMENT_ID`, `ONA_ENVIRONMENT_NAME`). Real files read its name
/// with `gitpod environment get $GITPOD_ENVIRONMENT_ID -o json | jq -r '.[0].metadata.name // .[0].id'`.
enum EnvironmentCommands {
    static func get(_ words: ArraySlice<String>, arguments: ShimArguments, context: ShimContext) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        guard let id = environment["GITPOD_ENVIRONMENT_ID"], !id.isEmpty else { return context.unsupported() }
        if let asked = words.first ?? arguments.options["environment-id"], asked != id {
            ShimOutput.error("'\(context.command)': no environment '\(asked)' here; this one is '\(id)'")
            return 1
        }
        let name = environment["ONA_ENVIRONMENT_NAME"] ?? ""
        let phase = "ENVIRONMENT_PHASE_RUNNING"
        if arguments.options["output"] == "json" {
            ShimOutput.print(ShimOutput.json([["id": id, "metadata": ["name": name], "status": ["phase": phase]]]))
        } else {
            ShimOutput.print(ShimOutput.table(["ID", "NAME", "PHASE"], [[id, name, "running"]]))
        }
        return 0
    }
}
