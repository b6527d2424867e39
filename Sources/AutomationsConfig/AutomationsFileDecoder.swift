import AutomationsModel
import Yams

/// Walks the YAML tree of an automations file into the model, checking every rule of spec section 1 that
/// concerns one item at a time. Rules across items (references, cycles) are ``ReferenceChecker``'s.
struct AutomationsFileDecoder {
    static let topLevelKeys = ["services", "tasks"]
    static let serviceKeys = ["name", "description", "triggeredBy", "commands", "readinessTimeout", "role", "runsOn"]
    static let taskKeys = [
        "name", "description", "command", "dependsOn", "triggeredBy", "runsOn", "prebuildRequiresSuccess",
    ]
    static let commandKeys = ["start", "ready", "stop"]
    static let runsOnKeys = ["docker", "machine"]
    static let dockerKeys = ["image", "environment"]
    static let maximumReadinessTimeout = Duration.seconds(86_400)

    var reader: NodeReader
    /// Where each reference is written.
    private(set) var referenceLocations: [String: SourceLocation] = [:]
    /// For each task, its `dependsOn` items with their positions.
    private(set) var dependencyLocations: [String: [(reference: String, location: SourceLocation)]] = [:]

    init(displayPath: String) {
        reader = NodeReader(displayPath: displayPath)
    }

    /// The file's services and tasks; problems are collected in `reader.diagnostics`.
    mutating func decode(_ root: Node?) -> AutomationsFile {
        guard let root, !root.isNull else { return AutomationsFile() }
        guard case .mapping(let mapping) = root else {
            reader.report(
                "an automations file must be a mapping with 'services' and 'tasks', found \(root.typeDescription)",
                at: root
            )
            return AutomationsFile()
        }
        let fields = reader.fields(of: mapping, owner: .topLevel, known: Self.topLevelKeys)
        var file = AutomationsFile()
        for (key, value) in items(fields["services"], kind: "service") {
            if let service = decodeService(key: key, value: value) { file.services.append(service) }
        }
        for (key, value) in items(fields["tasks"], kind: "task") {
            if let task = decodeTask(key: key, value: value) { file.tasks.append(task) }
        }
        return file
    }

    // MARK: - Items

    /// The reference/definition pairs under `services` or `tasks`; a null or `{}` value means none.
    private mutating func items(_ field: NodeReader.Field?, kind: String) -> [(Node, Node)] {
        guard let field, !field.value.isNull else { return [] }
        guard case .mapping(let mapping) = field.value else {
            reader.report(
                "\(field.name) must be a mapping from \(kind) references to \(kind)s, "
                    + "found \(field.value.typeDescription)",
                at: field.value
            )
            return []
        }
        return mapping.map { ($0.key, $0.value) }
    }

    /// Checks a reference (the map key) and records where it is; `nil` when it is not usable.
    private mutating func reference(_ key: Node, kind: String) -> String? {
        guard let scalar = key.scalar, !ScalarKind.isNull(scalar) else {
            reader.report("a \(kind) reference must be a name, found \(key.typeDescription)", at: key)
            return nil
        }
        let reference = scalar.string
        if !ReferenceSyntax.isValid(reference) {
            let shown = reference.count > 40 ? String(reference.prefix(40)) + "…" : reference
            reader.report(
                "invalid \(kind) reference '\(shown)': use 1 to 128 letters, digits, '_' or '-'",
                at: key
            )
        }
        if let first = referenceLocations[reference] {
            reader.report(
                "'\(reference)' is both a service and a task (the service is at line \(first.line)); "
                    + "a reference must name one item",
                at: key
            )
            return nil
        }
        referenceLocations[reference] = reader.location(of: key)
        return reference
    }

    /// The mapping of an item's definition, or `nil` (reported) when it is something else.
    private mutating func definition(_ value: Node, owner: FieldOwner, required: String) -> Node.Mapping? {
        guard case .mapping(let mapping) = value else {
            reader.report(
                "\(owner.item) must be a mapping with at least \(required), found \(value.typeDescription)",
                at: value
            )
            return nil
        }
        return mapping
    }

    private mutating func decodeService(key: Node, value: Node) -> ServiceDefinition? {
        guard let reference = reference(key, kind: "service") else { return nil }
        let owner = FieldOwner.service(reference)
        var service = ServiceDefinition(
            reference: reference,
            name: reference,
            commands: nil,
            location: reader.location(of: key)
        )
        guard let mapping = definition(value, owner: owner, required: "'name' and 'commands'") else { return service }
        let fields = reader.fields(of: mapping, owner: owner, known: Self.serviceKeys)
        service.name = reader.requiredString(fields["name"], named: "name", owner: owner, ownerNode: key) ?? reference
        service.description = reader.string(fields["description"], owner: owner) ?? ""
        service.triggeredBy = triggers(fields["triggeredBy"], owner: owner)
        service.commands = commands(fields["commands"], owner: owner)
        service.readinessTimeout = reader.duration(
            fields["readinessTimeout"],
            owner: owner,
            maximum: Self.maximumReadinessTimeout
        )
        service.role = role(fields["role"], owner: owner)
        service.runsOn = runsOn(fields["runsOn"], owner: owner)
        return service
    }

    private mutating func decodeTask(key: Node, value: Node) -> TaskDefinition? {
        guard let reference = reference(key, kind: "task") else { return nil }
        let owner = FieldOwner.task(reference)
        var task = TaskDefinition(
            reference: reference,
            name: reference,
            command: "",
            location: reader.location(of: key)
        )
        guard let mapping = definition(value, owner: owner, required: "'name' and 'command'") else { return task }
        let fields = reader.fields(of: mapping, owner: owner, known: Self.taskKeys)
        task.name = reader.requiredString(fields["name"], named: "name", owner: owner, ownerNode: key) ?? reference
        task.description = reader.string(fields["description"], owner: owner) ?? ""
        task.command = reader.requiredString(fields["command"], named: "command", owner: owner, ownerNode: key) ?? ""
        let dependencies = reader.stringList(fields["dependsOn"], owner: owner, itemName: "reference") ?? []
        var seen: Set<String> = []
        for (dependency, node) in dependencies where seen.insert(dependency).inserted {
            task.dependsOn.append(dependency)
            dependencyLocations[reference, default: []].append((dependency, reader.location(of: node)))
        }
        task.triggeredBy = triggers(fields["triggeredBy"], owner: owner)
        task.runsOn = runsOn(fields["runsOn"], owner: owner)
        task.prebuildRequiresSuccess = reader.boolean(fields["prebuildRequiresSuccess"], owner: owner) ?? false
        return task
    }

    // MARK: - Fields

    private mutating func triggers(_ field: NodeReader.Field?, owner: FieldOwner) -> [Trigger] {
        var triggers: [Trigger] = []
        for (name, node) in reader.stringList(field, owner: owner, itemName: "trigger") ?? [] {
            guard let trigger = Trigger(rawValue: name) else {
                let known = Trigger.allCases.map(\.rawValue)
                let hint =
                    Suggestion.closest(to: name, in: known).map { "did you mean '\($0)'?" }
                    ?? "use one of \(known.joined(separator: ", "))"
                reader.report("unknown trigger '\(name)' in \(owner.field("triggeredBy")) (\(hint))", at: node)
                continue
            }
            if !triggers.contains(trigger) { triggers.append(trigger) }
        }
        return triggers
    }

    private mutating func commands(_ field: NodeReader.Field?, owner: FieldOwner) -> ServiceDefinition.Commands? {
        guard let field, !field.value.isNull else { return nil }
        let nested = owner.nested("commands")
        guard case .mapping(let mapping) = field.value else {
            reader.report(
                "\(owner.field("commands")) must be a mapping with 'start' (and optionally 'ready' and 'stop'), "
                    + "found \(field.value.typeDescription)",
                at: field.value
            )
            return nil
        }
        let fields = reader.fields(of: mapping, owner: nested, known: Self.commandKeys)
        let start = reader.requiredString(fields["start"], named: "start", owner: nested, ownerNode: field.key)
        let ready = reader.string(fields["ready"], owner: nested).flatMap { $0.isEmpty ? nil : $0 }
        let stop = reader.string(fields["stop"], owner: nested).flatMap { $0.isEmpty ? nil : $0 }
        return ServiceDefinition.Commands(start: start ?? "", ready: ready, stop: stop)
    }

    private mutating func role(_ field: NodeReader.Field?, owner: FieldOwner) -> ServiceRole {
        guard let text = reader.string(field, owner: owner) else { return .unspecified }
        if let role = ServiceRole(rawValue: text) { return role }
        let known = ServiceRole.allCases.map(\.rawValue).filter { !$0.isEmpty }
        let hint =
            Suggestion.closest(to: text, in: known).map { "did you mean '\($0)'?" }
            ?? "use one of \(known.joined(separator: ", ")) or leave it out"
        reader.report("unknown role '\(text)' of \(owner.name) (\(hint))", at: field!.value)
        return .unspecified
    }

    private mutating func runsOn(_ field: NodeReader.Field?, owner: FieldOwner) -> RunsOn {
        guard let field, !field.value.isNull else { return .machine }
        let nested = owner.nested("runsOn")
        let expectation = "exactly one of 'docker' or 'machine'"
        guard case .mapping(let mapping) = field.value else {
            reader.report(
                "\(owner.field("runsOn")) must be a mapping with \(expectation), found \(field.value.typeDescription)",
                at: field.value
            )
            return .machine
        }
        let fields = reader.fields(of: mapping, owner: nested, known: Self.runsOnKeys)
        if fields.count == 2 || (fields.isEmpty && mapping.count == 0) {
            let found = fields.isEmpty ? "neither" : "both"
            reader.report("\(owner.field("runsOn")) must hold \(expectation), found \(found)", at: field.value)
            if fields.isEmpty { return .machine }
        }
        if let machine = fields["machine"], fields["docker"] == nil {
            if !machine.value.isNull {
                if case .mapping(let inner) = machine.value {
                    _ = reader.fields(of: inner, owner: nested.nested("machine"), known: [])
                } else {
                    reader.report(
                        "\(nested.field("machine")) must be an empty mapping {}, found \(machine.value.typeDescription)",
                        at: machine.value
                    )
                }
            }
            return .machine
        }
        guard let docker = fields["docker"] else { return .machine }
        let dockerOwner = nested.nested("docker")
        guard case .mapping(let inner) = docker.value else {
            reader.report(
                "\(nested.field("docker")) must be a mapping with 'image', found \(docker.value.typeDescription)",
                at: docker.value
            )
            return .machine
        }
        let dockerFields = reader.fields(of: inner, owner: dockerOwner, known: Self.dockerKeys)
        let image = reader.requiredString(
            dockerFields["image"],
            named: "image",
            owner: dockerOwner,
            ownerNode: docker.key
        )
        let environment = reader.stringList(
            dockerFields["environment"],
            owner: dockerOwner,
            itemName: "KEY=VALUE string"
        )
        return .docker(image: image ?? "", environment: environment?.map(\.0) ?? [])
    }
}
