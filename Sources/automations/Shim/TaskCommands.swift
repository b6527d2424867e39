import AutomationsClient
import AutomationsModel
import AutomationsRun
import Foundation
import GitpodAPI

/// `automations task start REF [--dont-wait]`, `task list`, `task logs REF`.
enum TaskCommands {
    static func run(_ words: ArraySlice<String>, arguments: ShimArguments, context: ShimContext) -> Int32 {
        var words = words
        let verb = words.popFirst()
        guard let client = context.requireClient() else { return 1 }
        do throws(ClientError) {
            switch verb {
            case "start", "run":
                guard let reference = words.first else {
                    throw ClientError.rpc(.invalidArgument, "name the task to start")
                }
                let id = try client.startTask(reference)
                if arguments.flags.contains("dont-wait") {
                    ShimOutput.print(id)
                    return 0
                }
                let end = try client.follow(execution: id) { ShimOutput.write($0) }
                guard end.succeeded else {
                    let message = end.failureMessage
                    ShimOutput.error("task '\(reference)' \(message.isEmpty ? "did not succeed" : message)")
                    return 1
                }
            case "list", "ls":
                let all = try client.tasks()
                if arguments.wantsJSON {
                    ShimOutput.print(ShimOutput.json(all.map(ShimOutput.jsonObject)))
                } else {
                    ShimOutput.print(
                        ShimOutput.table(["REFERENCE", "NAME"], all.map { [$0.metadata.reference, $0.metadata.name] })
                    )
                }
            case "logs", "log":
                guard let reference = words.first else {
                    throw ClientError.rpc(.invalidArgument, "name the task whose log to print")
                }
                try client.latestLog(ofTask: reference) { ShimOutput.write($0) }
            default:
                return context.unsupported()
            }
        } catch {
            return context.failed(error)
        }
        return 0
    }
}
