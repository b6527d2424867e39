import Yams

/// How a YAML scalar would be typed by the YAML 1.2 core schema; used to say what was found.
enum ScalarKind: Equatable {
    case null
    case boolean(Bool)
    case integer
    case number
    case string

    /// The kind of `scalar`: quoted scalars are always strings; plain ones follow the core schema, so YAML 1.1's
    /// `yes`, `no`, `on` and `off` are strings.
    init(_ scalar: Node.Scalar) {
        guard scalar.style == .plain || scalar.style == .any else {
            self = .string
            return
        }
        let text = scalar.string
        switch text {
        case "", "~", "null", "Null", "NULL": self = .null
        case "true", "True", "TRUE": self = .boolean(true)
        case "false", "False", "FALSE": self = .boolean(false)
        default:
            if ScalarKind.isInteger(text) {
                self = .integer
            } else if ScalarKind.isNumber(text) {
                self = .number
            } else {
                self = .string
            }
        }
    }

    private static func isInteger(_ text: String) -> Bool {
        var digits = Substring(text)
        if text.hasPrefix("0x") {
            digits = digits.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy(\.isHexDigit)
        }
        if text.hasPrefix("0o") {
            digits = digits.dropFirst(2)
            return !digits.isEmpty && digits.allSatisfy { ("0"..."7").contains($0) }
        }
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func isNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        if [".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"].contains(rest) { return true }
        let mantissa = rest.prefix { $0 != "e" && $0 != "E" }
        let exponent = rest.dropFirst(mantissa.count)
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let isDigits = { (part: Substring) in part.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.allSatisfy(isDigits), parts.contains(where: { !$0.isEmpty }) else { return false }
        if exponent.isEmpty { return parts.count == 2 }
        var exponentDigits = exponent.dropFirst()
        if exponentDigits.first == "-" || exponentDigits.first == "+" { exponentDigits = exponentDigits.dropFirst() }
        return !exponentDigits.isEmpty && isDigits(exponentDigits)
    }
}

extension Node {
    /// What this node is, for messages: `a mapping`, `integer 30`, `string 'yes'`, `null`.
    var typeDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        case .scalar(let scalar):
            let shown = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
            switch ScalarKind(scalar) {
            case .null: return "null"
            case .boolean(let value): return "boolean \(value)"
            case .integer: return "integer \(shown)"
            case .number: return "number \(shown)"
            case .string: return "string '\(shown)'"
            }
        }
    }

    /// True for an absent value written as `key:`, `~` or `null`.
    var isNull: Bool {
        if case .scalar(let scalar) = self { return ScalarKind(scalar) == .null }
        return false
    }
}
