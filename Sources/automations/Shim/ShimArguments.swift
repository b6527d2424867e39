/// The words of a `gitpod`/`ona`/`gp` command line: positional words, and options wherever they stand
/// (`--name N`, `-n N`, `--name=N`, flags such as `--dont-wait`).
struct ShimArguments {
    var words: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// Options that take a value, by every spelling real files use; each maps to its long name.
    private static let valued: [String: String] = [
        "--name": "name", "-n": "name", "--protocol": "protocol", "--admission": "admission", "-o": "output",
        "--output": "output", "--format": "output", "--context": "context", "--environment-id": "environment-id",
    ]

    init(_ arguments: [String]) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                words += arguments[index...]
                break
            }
            guard argument.hasPrefix("-"), argument.count > 1 else {
                words.append(argument)
                continue
            }
            if let equals = argument.firstIndex(of: "=") {
                let name = String(argument[..<equals])
                options[Self.valued[name] ?? String(name.drop { $0 == "-" })] = String(
                    argument[argument.index(after: equals)...]
                )
            } else if let name = Self.valued[argument] {
                if index < arguments.count {
                    options[name] = arguments[index]
                    index += 1
                }
            } else {
                flags.insert(String(argument.drop { $0 == "-" }))
            }
        }
    }

    /// `-o json` / `--output json`.
    var wantsJSON: Bool { options["output"] == "json" }
}
