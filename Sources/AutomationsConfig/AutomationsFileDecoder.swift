import AutomationsModel
import Yams

/// Walks the YAML tree of an automations file into the model, checking how it is written: shapes, types, known
/// keys, required keys. What the values mean (references, required values, limits, dependencies) is checked by
/// ``FileRules`` on the result; the decoder records where each item, field and dependency is written, so that
/// those problems point at the file too (``problems()``).
struct AutomationsFileDecoder {
    static let topLevelKeys = ["services", "tasks"]
    static let serviceKeys = ["name", "description", "triggeredBy", "commands", "readinessTimeout", "role", "runsOn"]
    static let taskKeys = [
        "name", "description", "command", "dependsOn", "triggeredBy", "runsOn", "prebuildRequiresSuccess",
    ]
    static let commandKeys = ["start", "ready", "stop"]
    static let runsOnKeys = ["docker", "machine"]
    static let dockerKeys = ["image", "environment"]

    var reader: NodeReader
    /// Where each item, field and dependency that ``FileRules`` may name is written.
    private var locations: [FileRules.Site: SourceLocation] = [:]
    /// Sites that already have a diagnostic of how they are written (a missing key, a wrong type): a rule about
    /// their value would only repeat it.
    private var reportedSites: Set<FileRules.Site> = []
    /// The commands and timeouts as written, for the warnings (``FileLint``).
    private(set) var lintSources = LintSources()

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

    /// The diagnostics of how the file is written, then the broken ``FileRules`` at their positions.
    func problems(in file: AutomationsFile) -> [Diagnostic] {
        reader.diagnostics
            + FileRules.problems(in: file).filter { !reportedSites.contains($0.site) }.map { problem in
                guard let location = location(of: problem.site) else {
                    return Diagnostic(file: reader.displayPath, problem.message)
                }
                return Diagnostic(at: location, problem.message)
            }
    }

    /// Where a site is written; a field or dependency without a position of its own points at its item.
    private func location(of site: FileRules.Site) -> SourceLocation? {
        if let location = locations[site] { return location }
        switch site {
        case .reference: return nil
        case .field(let kind, let reference, _): return locations[.reference(kind, reference)]
        case .dependency(let task, _): return locations[.reference(.task, task)]
        }
    }

    /// Reads a reference (the map key) and records where it is; `nil` when it is not a name at all.
    private mutating func reference(_ key: Node, kind: StepKind) -> String? {
        guard let scalar = key.scalar, !ScalarKind.isNull(scalar) else {
            reader.report("a \(kind.rawValue) reference must be a name, found \(key.typeDescription)", at: key)
            return nil
        }
        let reference = scalar.string
        locations[.reference(kind, reference)] = reader.location(of: key)
        return reference
    }

    /// The text of a required string field (empty when absent or null); records where it is, or that it is already
    /// reported (missing, or not a string).
    private mutating func required(
        _ field: NodeReader.Field?,
        named name: String,
        owner: FieldOwner,
        ownerNode: Node,
        site: FileRules.Site
    ) -> String {
        guard let field else {
            reader.reportMissing(name, owner: owner, at: ownerNode)
            reportedSites.insert(site)
            return ""
        }
        locations[site] = reader.location(of: field.value)
        guard let text = reader.string(field, owner: owner) else {
            if !field.value.isNull { reportedSites.insert(site) }
            return ""
        }
        return text
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
        guard let reference = reference(key, kind: .service) else { return nil }
        let owner = FieldOwner.service(reference)
        var service = ServiceDefinition(
            reference: reference,
            name: reference,
            commands: nil,
            location: reader.location(of: key)
        )
        guard let mapping = definition(value, owner: owner, required: "'name' and 'commands'") else { return service }
        let fields = reader.fields(of: mapping, owner: owner, known: Self.serviceKeys)
        service.name = required(
            fields["name"],
            named: "name",
            owner: owner,
            ownerNode: key,
            site: .field(.service, reference, path: "name")
        )
        service.description = reader.string(fields["description"], owner: owner) ?? ""
        service.triggeredBy = triggers(fields["triggeredBy"], owner: owner)
        service.commands = commands(fields["commands"], owner: owner, reference: reference)
        if let timeout = fields["readinessTimeout"] {
            locations[.field(.service, reference, path: "readinessTimeout")] = reader.location(of: timeout.value)
            lintSources.readinessTimeouts[reference] = reader.location(of: timeout.value)
        }
        service.readinessTimeout = reader.duration(fields["readinessTimeout"], owner: owner)
        service.role = role(fields["role"], owner: owner)
        service.runsOn = runsOn(fields["runsOn"], owner: owner, kind: .service, reference: reference)
        return service
    }

    private mutating func decodeTask(key: Node, value: Node) -> TaskDefinition? {
        guard let reference = reference(key, kind: .task) else { return nil }
        let owner = FieldOwner.task(reference)
        var task = TaskDefinition(
            reference: reference,
            name: reference,
            command: "",
            location: reader.location(of: key)
        )
        guard let mapping = definition(value, owner: owner, required: "'name' and 'command'") else {
            reportedSites.insert(.field(.task, reference, path: "command"))
            return task
        }
        let fields = reader.fields(of: mapping, owner: owner, known: Self.taskKeys)
        task.name = required(
            fields["name"],
            named: "name",
            owner: owner,
            ownerNode: key,
            site: .field(.task, reference, path: "name")
        )
        task.description = reader.string(fields["description"], owner: owner) ?? ""
        recordCommand(fields["command"], kind: .task, reference: reference, field: .command)
        task.command = required(
            fields["command"],
            named: "command",
            owner: owner,
            ownerNode: key,
            site: .field(.task, reference, path: "command")
        )
        let dependencies = reader.stringList(fields["dependsOn"], owner: owner, itemName: "reference") ?? []
        var seen: Set<String> = []
        for (dependency, node) in dependencies where seen.insert(dependency).inserted {
            task.dependsOn.append(dependency)
            locations[.dependency(task: reference, on: dependency)] = reader.location(of: node)
        }
        task.triggeredBy = triggers(fields["triggeredBy"], owner: owner)
        task.runsOn = runsOn(fields["runsOn"], owner: owner, kind: .task, reference: reference)
        task.prebuildRequiresSuccess = reader.boolean(fields["prebuildRequiresSuccess"], owner: owner) ?? false
        return task
    }

    // MARK: - Fields

    /// Remembers a command written as text, with where and how it is written.
    private mutating func recordCommand(
        _ field: NodeReader.Field?,
        kind: StepKind,
        reference: String,
        field name: CommandSite.Field
    ) {
        guard let field, case .scalar(let scalar) = field.value, !ScalarKind.isNull(scalar) else { return }
        lintSources.commands.append(
            CommandSite(
                kind: kind,
                reference: reference,
                field: name,
                text: scalar.string,
                location: reader.location(of: field.value),
                style: CommandSite.Style(scalar.style)
            )
        )
    }

    private mutating func triggers(_ field: NodeReader.Field?, owner: FieldOwner) -> [Trigger] {
        var triggers: [Trigger] = []
        for (name, node) in reader.stringList(field, owner: owner, itemName: "trigger") ?? [] {
            guard let trigger = FileRules.trigger(named: name) else {
                reader.report(FileRules.unknownTrigger(name, in: owner.field("triggeredBy")), at: node)
                continue
            }
            if !triggers.contains(trigger) { triggers.append(trigger) }
        }
        return triggers
    }

    private mutating func commands(
        _ field: NodeReader.Field?,
        owner: FieldOwner,
        reference: String
    ) -> ServiceDefinition.Commands? {
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
        recordCommand(fields["start"], kind: .service, reference: reference, field: .start)
        recordCommand(fields["ready"], kind: .service, reference: reference, field: .ready)
        recordCommand(fields["stop"], kind: .service, reference: reference, field: .stop)
        let start = required(
            fields["start"],
            named: "start",
            owner: nested,
            ownerNode: field.key,
            site: .field(.service, reference, path: "commands.start")
        )
        let ready = reader.string(fields["ready"], owner: nested).flatMap { $0.isEmpty ? nil : $0 }
        let stop = reader.string(fields["stop"], owner: nested).flatMap { $0.isEmpty ? nil : $0 }
        return ServiceDefinition.Commands(start: start, ready: ready, stop: stop)
    }

    private mutating func role(_ field: NodeReader.Field?, owner: FieldOwner) -> ServiceRole {
        guard let text = reader.string(field, owner: owner) else { return .unspecified }
        if let role = FileRules.role(named: text) { return role }
        reader.report(FileRules.unknownRole(text, of: owner.name), at: field!.value)
        return .unspecified
    }

    private mutating func runsOn(
        _ field: NodeReader.Field?,
        owner: FieldOwner,
        kind: StepKind,
        reference: String
    ) -> RunsOn {
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
        let image = required(
            dockerFields["image"],
            named: "image",
            owner: dockerOwner,
            ownerNode: docker.key,
            site: .field(kind, reference, path: "runsOn.docker.image")
        )
        let environment = reader.stringList(
            dockerFields["environment"],
            owner: dockerOwner,
            itemName: "KEY=VALUE string"
        )
        return .docker(image: image, environment: environment?.map(\.0) ?? [])
    }
}
