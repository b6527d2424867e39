import ArgumentParser
import AutomationsConfig
import AutomationsModel

/// `--warnings-as-errors` and `--allow CODE`: which warnings (``WarningRule``) are shown and whether they stop.
struct WarningOptions: ParsableArguments {
    @Flag(help: "Treat warnings as errors: print them and exit 2.")
    var warningsAsErrors = false

    @Option(
        name: .customLong("allow"),
        help: ArgumentHelp(
            "Do not warn about this rule (repeatable): "
                + WarningRule.allCases.map(\.code).joined(separator: ", ") + " (see README).",
            valueName: "code"
        )
    )
    var allowed: [String] = []

    /// The rules `--allow` names; an unknown code exits 2.
    func allowedRules(options: FileOptions) throws -> Set<WarningRule> {
        var rules: Set<WarningRule> = []
        for code in allowed {
            guard let rule = WarningRule(code: code) else {
                let known = WarningRule.allCases.map(\.code)
                throw options.fail(
                    "--allow \(code): no such warning (the codes are \(known.first!)…\(known.last!))"
                        + Suggestion.didYouMean(code.uppercased(), in: known)
                )
            }
            rules.insert(rule)
        }
        return rules
    }
}
