/// The rules of an automations file that concern its meaning rather than how it is written (spec section 1): valid
/// references, one item per reference, required values, the readiness limit, known triggers and roles, and
/// dependencies that exist without a cycle. The YAML loader and the API's `UpsertAutomationsFile` both check a file
/// here, so a file means the same, and is refused with the same words, whichever way it arrives.
public enum FileRules {
    /// The longest `readinessTimeout` a service may have (one day).
    public static let maximumReadinessTimeout = Duration.seconds(86_400)

    /// Where a problem is: the item's reference (its key), one of its fields, or one of its dependencies.
    public enum Site: Sendable, Hashable {
        case reference(StepKind, String)
        /// A field by its dotted path inside the item: `name`, `command`, `commands.start`, `runsOn.docker.image`,
        /// `readinessTimeout`.
        case field(StepKind, String, path: String)
        /// An entry of a task's `dependsOn`.
        case dependency(task: String, on: String)
    }

    /// A broken rule: where, and the message people read.
    public struct Problem: Sendable, Hashable {
        public var site: Site
        public var message: String
    }

    /// Every problem of `file`, items in file order (services first), then dependencies, then cycles.
    public static func problems(in file: AutomationsFile) -> [Problem] {
        var problems: [Problem] = []
        var seen: [String: ServiceDefinition] = [:]
        for service in file.services {
            problems += referenceProblems(service.reference, kind: .service)
            seen[service.reference] = service
            problems += required(service.name, "name", of: .service, service.reference)
            if let commands = service.commands {
                problems += required(commands.start, "commands.start", of: .service, service.reference)
            }
            problems += required(service.runsOn, of: .service, service.reference)
            if let timeout = service.readinessTimeout, let message = readinessTimeoutProblem(timeout) {
                let site = Site.field(.service, service.reference, path: "readinessTimeout")
                problems.append(
                    Problem(site: site, message: "\(field("readinessTimeout", .service, service.reference)) \(message)")
                )
            }
        }
        for task in file.tasks {
            problems += referenceProblems(task.reference, kind: .task)
            if let service = seen[task.reference] {
                let line = service.location.map { " (the service is at line \($0.line))" } ?? ""
                problems.append(
                    Problem(
                        site: .reference(.task, task.reference),
                        message:
                            "'\(task.reference)' is both a service and a task\(line); a reference must name one item"
                    )
                )
                continue
            }
            problems += required(task.name, "name", of: .task, task.reference)
            problems += required(task.command, "command", of: .task, task.reference)
            problems += required(task.runsOn, of: .task, task.reference)
        }
        problems += dependencyProblems(in: file)
        return problems
    }

    // MARK: - Single values

    /// Why `reference` cannot name a `kind`, or nothing when it can (`^[a-zA-Z0-9_-]{1,128}$`).
    public static func referenceProblems(_ reference: String, kind: StepKind) -> [Problem] {
        guard !ReferenceSyntax.isValid(reference) else { return [] }
        let shown = reference.count > 40 ? String(reference.prefix(40)) + "…" : reference
        return [
            Problem(
                site: .reference(kind, reference),
                message: "invalid \(kind.rawValue) reference '\(shown)': use 1 to 128 letters, digits, '_' or '-'"
            )
        ]
    }

    /// Why `timeout` is not an allowed `readinessTimeout` (`must be at most 86400s, found '90000s'`), or `nil`.
    public static func readinessTimeoutProblem(_ timeout: Duration) -> String? {
        if timeout < .zero {
            return "must not be negative, found '\(DurationText.secondsForProtoJSON(timeout))'"
        }
        guard timeout > maximumReadinessTimeout else { return nil }
        return "must be at most \(maximumReadinessTimeout.components.seconds)s, "
            + "found '\(DurationText.secondsForProtoJSON(timeout))'"
    }

    /// The trigger a file names `name`, or `nil` for a name the format does not know.
    public static func trigger(named name: String) -> Trigger? { Trigger(rawValue: name) }

    /// `did you mean 'prebuild'?`, or the list of triggers.
    public static func triggerHint(for name: String) -> String {
        Suggestion.hint(for: name, oneOf: Trigger.allCases.map(\.rawValue))
    }

    /// `unknown trigger 'x' in triggeredBy of task 'build' (did you mean …?)`.
    public static func unknownTrigger(_ name: String, in field: String) -> String {
        "unknown trigger '\(name)' in \(field) (\(triggerHint(for: name)))"
    }

    /// The role a file names `name` (the empty name is no role), or `nil` for a name the format does not know.
    public static func role(named name: String) -> ServiceRole? { ServiceRole(rawValue: name) }

    /// `unknown role 'x' of service 'db' (did you mean 'editor'?)`.
    public static func unknownRole(_ name: String, of owner: String) -> String {
        let known = ServiceRole.allCases.map(\.rawValue).filter { !$0.isEmpty }
        let hint = Suggestion.hint(
            for: name,
            in: known,
            otherwise: "use one of \(known.joined(separator: ", ")) or leave it out"
        )
        return "unknown role '\(name)' of \(owner) (\(hint))"
    }

    /// `command of task 'build'`: how messages name a field of an item.
    public static func field(_ path: String, _ kind: StepKind, _ reference: String) -> String {
        "\(path) of \(kind.rawValue) '\(reference)'"
    }

    // MARK: - Required values

    private static func required(_ value: String, _ path: String, of kind: StepKind, _ reference: String) -> [Problem] {
        guard value.isEmpty else { return [] }
        return [
            Problem(
                site: .field(kind, reference, path: path),
                message: "\(field(path, kind, reference)) must not be empty"
            )
        ]
    }

    private static func required(_ runsOn: RunsOn, of kind: StepKind, _ reference: String) -> [Problem] {
        guard case .docker(let image, _) = runsOn else { return [] }
        return required(image, "runsOn.docker.image", of: kind, reference)
    }

    // MARK: - Dependencies

    /// Every `dependsOn` names an existing task or service other than the task itself, and there is no cycle (each
    /// reported once, with its path, at the dependency that closes it).
    private static func dependencyProblems(in file: AutomationsFile) -> [Problem] {
        var problems: [Problem] = []
        let references = Set(file.allReferences)
        for task in file.tasks {
            for dependency in task.dependsOn {
                let site = Site.dependency(task: task.reference, on: dependency)
                if dependency == task.reference {
                    problems.append(Problem(site: site, message: "task '\(task.reference)' cannot depend on itself"))
                } else if !references.contains(dependency) {
                    let suggestion = Suggestion.didYouMean(dependency, in: file.allReferences)
                    problems.append(
                        Problem(
                            site: site,
                            message: "task '\(task.reference)' depends on unknown task or service '\(dependency)'"
                                + suggestion
                        )
                    )
                }
            }
        }
        for cycle in DependencyGraph(file).cycles() where cycle.count > 2 {
            problems.append(
                Problem(
                    site: .dependency(task: cycle[0], on: cycle[1]),
                    message: "dependency cycle: " + cycle.joined(separator: " -> ")
                )
            )
        }
        return problems
    }
}
