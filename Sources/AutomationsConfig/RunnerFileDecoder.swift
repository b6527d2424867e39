import AutomationsModel
import Yams

/// Walks the YAML tree of a runner file (`automations.runner.yaml`) into ``RunnerSettings``, as strictly as the
/// automations file: shapes, types, known keys, and references to the automations file's tasks and services.
struct RunnerFileDecoder {
    static let topLevelKeys = ["env", "sources", "tasks", "services", "quarantine", "skipDuring"]
    static let taskKeys = ["sources", "outputs", "env", "cache"]
    static let serviceKeys = ["sources"]
    static let quarantineKeys = ["test", "owner", "until", "reason"]

    var reader: NodeReader
    let file: AutomationsFile

    init(displayPath: String, file: AutomationsFile) {
        reader = NodeReader(displayPath: displayPath)
        self.file = file
    }

    mutating func decode(_ root: Node?) -> RunnerSettings {
        var settings = RunnerSettings()
        guard let root, !root.isNull else { return settings }
        guard case .mapping(let mapping) = root else {
            reader.report("a runner file must be a mapping, found \(root.typeDescription)", at: root)
            return settings
        }
        let owner = FieldOwner.topLevel
        let fields = reader.fields(of: mapping, owner: owner, known: Self.topLevelKeys)
        settings.environment = variableNames(fields["env"], owner: owner)
        settings.sources = globs(fields["sources"], owner: owner) ?? []
        for (key, value) in items(fields["tasks"], kind: "task") {
            guard let reference = reference(key, kind: "task", known: file.tasks.map(\.reference)) else { continue }
            settings.tasks[reference] = task(value, owner: .task(reference))
        }
        for (key, value) in items(fields["services"], kind: "service") {
            guard let reference = reference(key, kind: "service", known: file.services.map(\.reference)) else {
                continue
            }
            settings.services[reference] = service(value, owner: .service(reference))
        }
        settings.quarantine = quarantine(fields["quarantine"])
        for (operation, node) in reader.stringList(fields["skipDuring"], owner: owner, itemName: "operation") ?? [] {
            guard operation == "rebase" || operation == "merge" else {
                reader.report("skipDuring: '\(operation)' is not rebase or merge", at: node)
                continue
            }
            settings.skipDuring.append(operation)
        }
        return settings
    }

    private mutating func task(_ node: Node, owner: FieldOwner) -> RunnerSettings.TaskInputs {
        var inputs = RunnerSettings.TaskInputs()
        guard !node.isNull else { return inputs }
        guard case .mapping(let mapping) = node else {
            reader.report("\(owner.name) must be a mapping, found \(node.typeDescription)", at: node)
            return inputs
        }
        let fields = reader.fields(of: mapping, owner: owner, known: Self.taskKeys)
        inputs.sources = globs(fields["sources"], owner: owner)
        inputs.outputs = globs(fields["outputs"], owner: owner)
        inputs.environment = variableNames(fields["env"], owner: owner)
        inputs.cache = reader.boolean(fields["cache"], owner: owner) ?? true
        return inputs
    }

    private mutating func service(_ node: Node, owner: FieldOwner) -> RunnerSettings.ServiceInputs {
        var inputs = RunnerSettings.ServiceInputs()
        guard !node.isNull else { return inputs }
        guard case .mapping(let mapping) = node else {
            reader.report("\(owner.name) must be a mapping, found \(node.typeDescription)", at: node)
            return inputs
        }
        let fields = reader.fields(of: mapping, owner: owner, known: Self.serviceKeys)
        inputs.sources = globs(fields["sources"], owner: owner)
        return inputs
    }

    private mutating func quarantine(_ field: NodeReader.Field?) -> [RunnerSettings.QuarantineEntry] {
        guard let field, !field.value.isNull else { return [] }
        guard case .sequence(let sequence) = field.value else {
            reader.report(
                "quarantine must be a sequence of entries, found \(field.value.typeDescription)",
                at: field.value
            )
            return []
        }
        var entries: [RunnerSettings.QuarantineEntry] = []
        for (index, node) in sequence.enumerated() {
            let owner = FieldOwner(item: "quarantine entry \(index + 1)", path: "")
            guard case .mapping(let mapping) = node else {
                reader.report("\(owner.name) must be a mapping, found \(node.typeDescription)", at: node)
                continue
            }
            let fields = reader.fields(of: mapping, owner: owner, known: Self.quarantineKeys)
            var values: [String: String] = [:]
            for key in Self.quarantineKeys {
                guard let value = reader.string(fields[key], owner: owner), !value.isEmpty else {
                    if fields[key] == nil { reader.reportMissing(key, owner: owner, at: node) }
                    continue
                }
                values[key] = value
            }
            if let until = values["until"], let untilField = fields["until"], !Self.isDate(until) {
                reader.report(
                    "until of \(owner.name) must be a date written YYYY-MM-DD, found '\(until)'",
                    at: untilField.value
                )
                values["until"] = nil
            }
            if let test = values["test"], let testField = fields["test"] {
                let step = String(test.split(separator: "/", maxSplits: 1).first ?? "")
                let known = file.tasks.map(\.reference) + file.services.map(\.reference)
                if !known.contains(step) {
                    reader.report(
                        "test of \(owner.name): no task or service '\(step)'\(Suggestion.didYouMean(step, in: known))",
                        at: testField.value
                    )
                    continue
                }
            }
            guard let test = values["test"], let who = values["owner"], let until = values["until"],
                let reason = values["reason"]
            else { continue }
            entries.append(
                .init(test: test, owner: who, until: until, reason: reason, location: reader.location(of: node))
            )
        }
        return entries
    }

    // MARK: - Values

    /// The reference/value pairs under `tasks` or `services`.
    private mutating func items(_ field: NodeReader.Field?, kind: String) -> [(Node, Node)] {
        guard let field, !field.value.isNull else { return [] }
        guard case .mapping(let mapping) = field.value else {
            reader.report(
                "\(field.name) must be a mapping from \(kind) references to settings, found \(field.value.typeDescription)",
                at: field.value
            )
            return []
        }
        return mapping.map { ($0.key, $0.value) }
    }

    /// A key naming an item of the automations file; unknown ones are reported with a suggestion.
    private mutating func reference(_ key: Node, kind: String, known: [String]) -> String? {
        guard let name = key.scalar?.string else {
            reader.report("a \(kind) reference must be a string, found \(key.typeDescription)", at: key)
            return nil
        }
        guard known.contains(name) else {
            reader.report(
                "no \(kind) '\(name)' in the automations file\(Suggestion.didYouMean(name, in: known))",
                at: key
            )
            return nil
        }
        return name
    }

    /// Globs relative to the working directory: not absolute, no `..` segment.
    private mutating func globs(_ field: NodeReader.Field?, owner: FieldOwner) -> [String]? {
        guard let items = reader.stringList(field, owner: owner, itemName: "glob") else { return nil }
        var globs: [String] = []
        for (glob, node) in items {
            if glob.hasPrefix("/") || glob.split(separator: "/").contains("..") {
                reader.report(
                    "'\(glob)' in \(owner.field(field?.name ?? "")) must be relative to the working directory, without '..'",
                    at: node
                )
                continue
            }
            globs.append(glob)
        }
        return globs
    }

    /// Names of environment variables (letters, digits and _, not starting with a digit).
    private mutating func variableNames(_ field: NodeReader.Field?, owner: FieldOwner) -> [String] {
        guard let items = reader.stringList(field, owner: owner, itemName: "variable name") else { return [] }
        var names: [String] = []
        for (name, node) in items {
            let valid =
                name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
                && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            guard valid else {
                reader.report("'\(name)' in \(owner.field(field?.name ?? "")) is not a variable name", at: node)
                continue
            }
            names.append(name)
        }
        return names
    }

    private static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let month = Int(parts[1]), let day = Int(parts[2]), Int(parts[0]) != nil
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
