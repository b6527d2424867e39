import AutomationsModel
import Yams

/// Reads typed values out of Yams nodes, strictly, collecting every problem as a positioned diagnostic.
struct NodeReader {
    /// A key and its value in a mapping, under the key's canonical (lowerCamelCase) name.
    struct Field {
        var name: String
        var key: Node
        var value: Node
    }

    let displayPath: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Known keys that an unknown key was taken for (`owner name` + key), so that a misspelt required key is
    /// reported once, as unknown, not also as missing.
    private var suggestedKeys: Set<String> = []

    init(displayPath: String) {
        self.displayPath = displayPath
    }

    func location(of node: Node) -> SourceLocation {
        SourceLocation(file: displayPath, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func report(_ message: String, at node: Node) {
        diagnostics.append(Diagnostic(at: location(of: node), message))
    }

    mutating func report(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(at: location, message))
    }

    // MARK: - Mappings

    /// The fields of `mapping` by canonical name. Keys may be written in lowerCamelCase or snake_case; unknown keys,
    /// keys that are not plain text and a key written in both spellings are reported. YAML merge keys (`<<`) are
    /// applied: merged fields fill in what the mapping does not set itself.
    mutating func fields(of mapping: Node.Mapping, owner: FieldOwner, known: [String]) -> [String: Field] {
        var result: [String: Field] = [:]
        var merged: [(key: Node, value: Node)] = []
        for (key, value) in mapping {
            if key.scalar?.string == "<<", key.scalar?.style == .plain {
                merged.append(contentsOf: mergeSources(value, owner: owner))
                continue
            }
            if let field = field(key: key, value: value, owner: owner, known: known) {
                if let existing = result[field.name] {
                    let first = location(of: existing.key)
                    report(
                        "key '\(key.scalar?.string ?? "")' repeats '\(existing.key.scalar?.string ?? "")' "
                            + "(line \(first.line), column \(first.column)) \(owner.location)",
                        at: key
                    )
                    continue
                }
                result[field.name] = field
            }
        }
        for (key, value) in merged {
            if let field = field(key: key, value: value, owner: owner, known: known), result[field.name] == nil {
                result[field.name] = field
            }
        }
        return result
    }

    private mutating func field(key: Node, value: Node, owner: FieldOwner, known: [String]) -> Field? {
        guard let scalar = key.scalar, !ScalarKind.isNull(scalar) else {
            report("keys must be plain names, found \(key.typeDescription) \(owner.location)", at: key)
            return nil
        }
        let written = scalar.string
        let name = written.contains("_") ? Self.camelCase(written) : written
        // Two spellings only: `dependsOn` and `depends_on` (not `depends__on` or `name_`).
        guard known.contains(name), name == written || Self.snakeCase(name) == written else {
            let suggestion = Suggestion.closest(to: name, in: known)
            if let suggestion { suggestedKeys.insert(owner.name + "\u{0}" + suggestion) }
            report(
                "unknown key '\(written)' \(owner.location)" + Suggestion.didYouMean(suggestion),
                at: key
            )
            return nil
        }
        return Field(name: name, key: key, value: value)
    }

    private mutating func mergeSources(_ value: Node, owner: FieldOwner) -> [(key: Node, value: Node)] {
        switch value {
        case .mapping(let mapping):
            return Array(mapping)
        case .sequence(let sequence):
            return sequence.flatMap { item -> [(key: Node, value: Node)] in
                guard case .mapping(let mapping) = item else {
                    report("a merge (<<) takes mappings, found \(item.typeDescription) \(owner.location)", at: item)
                    return []
                }
                return Array(mapping)
            }
        default:
            report("a merge (<<) takes a mapping, found \(value.typeDescription) \(owner.location)", at: value)
            return []
        }
    }

    /// `dependsOn` → `depends_on`.
    static func snakeCase(_ camel: String) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// `depends_on` → `dependsOn`.
    static func camelCase(_ snake: String) -> String {
        var result = ""
        var upperNext = false
        for character in snake {
            if character == "_" {
                upperNext = true
            } else {
                result.append(upperNext ? Character(character.uppercased()) : character)
                upperNext = false
            }
        }
        return result
    }

    // MARK: - Scalars

    /// The text of a string field, or `nil` when it is absent, null or not a scalar (reported).
    mutating func string(_ field: Field?, owner: FieldOwner) -> String? {
        guard let field, !field.value.isNull else { return nil }
        guard let scalar = field.value.scalar else {
            report(
                "\(owner.field(field.name)) must be a string, found \(field.value.typeDescription)",
                at: field.value
            )
            return nil
        }
        return scalar.string
    }

    /// Reports a required key that is absent, unless an unknown key of the same mapping was already suggested as it.
    mutating func reportMissing(_ name: String, owner: FieldOwner, at ownerNode: Node) {
        guard !suggestedKeys.contains(owner.name + "\u{0}" + name) else { return }
        report("\(owner.name) is missing required key '\(name)'", at: ownerNode)
    }

    /// A boolean written `true` or `false`; YAML 1.1 words such as `yes` and `on` are refused.
    mutating func boolean(_ field: Field?, owner: FieldOwner) -> Bool? {
        guard let field, !field.value.isNull else { return nil }
        if let scalar = field.value.scalar, case .boolean(let value) = ScalarKind(scalar) {
            return value
        }
        var message = "\(owner.field(field.name)) must be true or false, found \(field.value.typeDescription)"
        let word = field.value.scalar?.string.lowercased() ?? ""
        if field.value.scalar?.style == .plain, ["yes", "no", "on", "off", "y", "n"].contains(word) {
            message += " (YAML 1.1 words like yes/no/on/off are not booleans here)"
        }
        report(message, at: field.value)
        return nil
    }

    /// A protobuf duration string (`"30s"`, `"1.5s"`); its limits are ``FileRules``'.
    mutating func duration(_ field: Field?, owner: FieldOwner) -> Duration? {
        guard let field, !field.value.isNull else { return nil }
        let name = owner.field(field.name)
        guard let scalar = field.value.scalar, ScalarKind(scalar) == .string else {
            var message = "\(name) must be a duration string like \"30s\", found \(field.value.typeDescription)"
            if let scalar = field.value.scalar, [.integer, .number].contains(ScalarKind(scalar)),
                let seconds = Double(scalar.string), seconds > 0
            {
                message += " (write \"\(DurationText.secondsForProtoJSON(.nanoseconds(Int64(seconds * 1e9))))\")"
            }
            report(message, at: field.value)
            return nil
        }
        guard let duration = DurationText.parseProtoJSON(scalar.string) else {
            var message = "\(name) must be a duration in seconds like \"30s\" or \"1.5s\", found '\(scalar.string)'"
            if let withUnits = DurationText.parseWithUnits(scalar.string), withUnits > .zero {
                message += " (write \"\(DurationText.secondsForProtoJSON(withUnits))\")"
            }
            report(message, at: field.value)
            return nil
        }
        return duration
    }

    /// A sequence of non-empty strings with the node of each (for positions); `nil` when absent or null.
    mutating func stringList(_ field: Field?, owner: FieldOwner, itemName: String) -> [(String, Node)]? {
        guard let field, !field.value.isNull else { return nil }
        let name = owner.field(field.name)
        guard case .sequence(let sequence) = field.value else {
            var message = "\(name) must be a sequence of \(itemName)s, found \(field.value.typeDescription)"
            if let text = field.value.scalar?.string { message += " (write [\(text)])" }
            report(message, at: field.value)
            return nil
        }
        var items: [(String, Node)] = []
        for item in sequence {
            guard let scalar = item.scalar, !ScalarKind.isNull(scalar), !scalar.string.isEmpty else {
                report("each item of \(name) must be a \(itemName), found \(item.typeDescription)", at: item)
                continue
            }
            items.append((scalar.string, item))
        }
        return items
    }
}
