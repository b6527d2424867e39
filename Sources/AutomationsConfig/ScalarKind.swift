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
        if ScalarKind.isNullText(text) {
            self = .null
            return
        }
        switch text {
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

    /// True for a plain scalar that means null: empty, `~`, `null`, `Null` or `NULL`.
    static func isNull(_ scalar: Node.Scalar) -> Bool {
        (scalar.style == .plain || scalar.style == .any) && isNullText(scalar.string)
    }

    private static func isNullText(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count <= 4 else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isInteger(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.starts(with: "0x".utf8) {
            bytes = bytes.dropFirst(2)
            return !bytes.isEmpty && bytes.allSatisfy { isDigit($0) || (0x61...0x66).contains($0 | 0x20) }
        }
        if bytes.starts(with: "0o".utf8) {
            bytes = bytes.dropFirst(2)
            return !bytes.isEmpty && bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x37 }
        }
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy(isDigit)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` and `.inf`/`.nan` forms.
    private static func isNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        guard let first = bytes.first,
            isDigit(first) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".")
        else { return false }
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        if [".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"].contains(where: { bytes.elementsEqual($0.utf8) }) {
            return true
        }
        let whole = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(whole.count)
        var fraction = bytes[bytes.startIndex..<bytes.startIndex]
        var hasDot = false
        if bytes.first == UInt8(ascii: ".") {
            hasDot = true
            bytes = bytes.dropFirst()
            fraction = bytes.prefix(while: isDigit)
            bytes = bytes.dropFirst(fraction.count)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return false }
        if bytes.isEmpty { return hasDot }
        guard bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") else { return false }
        bytes = bytes.dropFirst()
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy(isDigit)
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
        if case .scalar(let scalar) = self { return ScalarKind.isNull(scalar) }
        return false
    }
}
