import AutomationsClient
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
            var request = Google_Protobuf_Struct()
            request.fields["port"] = Google_Protobuf_Value(numberValue: Double(port))
            if let name = arguments.options["name"] {
                request.fields["name"] = Google_Protobuf_Value(stringValue: name)
            }
            if let value = arguments.options["protocol"] {
                request.fields["protocol"] = Google_Protobuf_Value(stringValue: value)
            }
            if let step = context.step { request.fields["step"] = Google_Protobuf_Value(stringValue: step) }
            do {
                _ = try client.call("OpenPort", request, service: portService, as: Google_Protobuf_Struct.self)
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
        let answer: Google_Protobuf_Struct
        do {
            answer = try client.call("ListPorts", Google_Protobuf_Struct(), service: portService)
        } catch {
            return context.failed(error)
        }
        guard case .listValue(let list)? = answer.fields["ports"]?.kind else { return 0 }
        let ports: [[String: Any]] = list.values.compactMap { value in
            guard case .structValue(let object)? = value.kind else { return nil }
            return object.fields.mapValues { field -> Any in
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
        var request = Google_Protobuf_Struct()
        request.fields["port"] = Google_Protobuf_Value(numberValue: Double(port))
        do {
            _ = try client.call("ClosePort", request, service: portService, as: Google_Protobuf_Struct.self)
        } catch {
            return context.failed(error)
        }
        return 0
    }

    private static func get(_ words: ArraySlice<String>, context: ShimContext) -> Int32 {
        guard let port = number(words.first, context: context) else { return 2 }
        guard let client = context.requireClient() else { return 1 }
        var request = Google_Protobuf_Struct()
        request.fields["port"] = Google_Protobuf_Value(numberValue: Double(port))
        do {
            _ = try client.call("GetPort", request, service: portService, as: Google_Protobuf_Struct.self)
        } catch {
            return context.failed(error)
        }
        ShimOutput.print("http://localhost:\(port)")
        return 0
    }

    private static let portService = "automations.v1.PortService"
}
