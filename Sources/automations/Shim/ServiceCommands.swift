import AutomationsClient
import AutomationsModel
import AutomationsRun
import Foundation
import GitpodAPI

/// `automations service start|stop|restart|status|logs|list [REF...]` against the run or server's services.
enum ServiceCommands {
    static func run(_ words: ArraySlice<String>, arguments: ShimArguments, context: ShimContext) -> Int32 {
        var words = words
        let verb = words.popFirst()
        guard let client = context.requireClient() else { return 1 }
        let references = Array(words)
        do throws(ClientError) {
            switch verb {
            case "start":
                for service in try client.services(references, required: true) { try client.start(service) }
            case "stop":
                for service in try client.services(references, required: true) { try client.stop(service) }
            case "restart":
                try client.restart(try client.services(references, required: true))
            case "status", "list", "ls":
                let found = try client.services(references, required: false)
                if arguments.wantsJSON {
                    ShimOutput.print(ShimOutput.json(found.map(ShimOutput.jsonObject)))
                } else {
                    let rows = found.map { service in
                        [
                            service.metadata.reference, ServicePhase(service.status.phase).shortName,
                            service.status.failureMessage,
                        ]
                    }
                    ShimOutput.print(ShimOutput.table(["REFERENCE", "PHASE", "FAILURE"], rows))
                }
            case "logs", "log":
                let follow = arguments.flags.contains("follow") || arguments.flags.contains("f")
                for service in try client.services(references, required: true) {
                    try client.log(of: service, follow: follow) { ShimOutput.write($0) }
                }
            default:
                return context.unsupported()
            }
        } catch {
            return context.failed(error)
        }
        return 0
    }
}
