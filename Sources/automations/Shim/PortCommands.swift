import AutomationsClient
import AutomationsRun
import SwiftProtobuf

/// `environment port open|list|close|get` and `gp url`: outside Gitpod a port is reached at `http://localhost:PORT`;
/// the run records the ports opened (its JSON report lists them).
enum PortCommands {
    static func run(_ words: ArraySlice<String>, arguments: ShimArguments, context: ShimContext) -> Int32 {
        var words = words
        switch words.popFirst() {
        case "open", "expose": return open(words, arguments: arguments, context: context)
        case "list", "ls": return list(arguments: arguments, context: context)
        case "close", "remove": return close(words, context: context)
        case "get": return get(words, context: context)
        default: return context.unsupported()
        }
    }

    static func url(_ words: ArraySlice<String>, context: ShimContext) -> Int32 {
        guard let port = number(words.first, context: context) else { return 2 }
        ShimOutput.print("http://localhost:\(port)")
        return 0
    }

    private static func number(_ word: String?, context: ShimContext) -> Int? {
        guard let word, let port = Int(word), (1...65535).contains(port) else {
            ShimOutput.error("'\(context.command)': a port number from 1 to 65535 is needed")
            return nil
        }
        return port
    }

    private static func open(_ words: ArraySlice<String>, arguments: ShimArguments, context: ShimContext) -> Int32 {
        guard let port = number(words.first, context: context) else { return 2 }
        if let client = context.client {
            do {
                try client.openPort(
                    port,
                    name: arguments.options["name"],
                    protocol: arguments.options["protocol"],
                    step: context.step
                )
            } catch {
                return context.failed(error)
            }
        }
        // Gitpod prints the port's URL (scripts capture it with `URL=$(…)`).
        ShimOutput.print("http://localhost:\(port)")
        return 0
    }

    private static func list(arguments: ShimArguments, context: ShimContext) -> Int32 {
        guard let client = context.requireClient() else { return 1 }
        let found: [Google_Protobuf_Struct]
        do {
            found = try client.ports()
        } catch {
            return context.failed(error)
        }
        let ports: [[String: Any]] = found.map { object in
            object.fields.mapValues { field -> Any in
                switch field.kind {
                case .numberValue(let number)?: Int(number)
                case .stringValue(let text)?: text
                default: ""
                }
            }
        }
        if arguments.wantsJSON {
            ShimOutput.print(ShimOutput.json(ports))
        } else {
            let rows = ports.map { port in
                [
                    "\(port["port"] ?? "")", "\(port["name"] ?? "")", "\(port["protocol"] ?? "http")",
                    "\(port["url"] ?? "")",
                ]
            }
            ShimOutput.print(ShimOutput.table(["PORT", "NAME", "PROTOCOL", "URL"], rows))
        }
        return 0
    }

    private static func close(_ words: ArraySlice<String>, context: ShimContext) -> Int32 {
        guard let port = number(words.first, context: context) else { return 2 }
        guard let client = context.requireClient() else { return 1 }
        do {
            try client.closePort(port)
        } catch {
            return context.failed(error)
        }
        return 0
    }

    private static func get(_ words: ArraySlice<String>, context: ShimContext) -> Int32 {
        guard let port = number(words.first, context: context) else { return 2 }
        guard let client = context.requireClient() else { return 1 }
        do {
            try client.checkPort(port)
        } catch {
            return context.failed(error)
        }
        ShimOutput.print("http://localhost:\(port)")
        return 0
    }
}
