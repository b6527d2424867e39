import AutomationsModel

/// Checks the rules that span items: every `dependsOn` names an existing task or service, no task depends on
/// itself, and there are no dependency cycles (each reported once, with its path).
enum ReferenceChecker {
    static func check(
        _ file: AutomationsFile,
        dependencyLocations: [String: [(reference: String, location: SourceLocation)]]
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let references = Set(file.allReferences)
        for task in file.tasks {
            for (dependency, location) in dependencyLocations[task.reference] ?? [] {
                if dependency == task.reference {
                    diagnostics.append(Diagnostic(at: location, "task '\(task.reference)' cannot depend on itself"))
                } else if !references.contains(dependency) {
                    let suggestion = Suggestion.didYouMean(dependency, in: file.allReferences)
                    diagnostics.append(
                        Diagnostic(
                            at: location,
                            "task '\(task.reference)' depends on unknown task or service '\(dependency)'\(suggestion)"
                        )
                    )
                }
            }
        }
        for cycle in DependencyGraph(file).cycles() where cycle.count > 2 {
            let edge = dependencyLocations[cycle[0]]?.first { $0.reference == cycle[1] }
            let message = "dependency cycle: " + cycle.joined(separator: " -> ")
            if let location = edge?.location ?? file.task(cycle[0])?.location {
                diagnostics.append(Diagnostic(at: location, message))
            } else {
                diagnostics.append(Diagnostic(file: nil, message))
            }
        }
        return diagnostics
    }
}
