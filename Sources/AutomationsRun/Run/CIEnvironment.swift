/// The CI a run is under, read once from the environment: it chooses the console's default mode, its annotations
/// and fold markers, and where the job summary goes.
package struct CIEnvironment: Sendable, Equatable {
    package var githubActions: Bool
    package var gitlabCI: Bool
    /// `GITHUB_STEP_SUMMARY`: the file GitHub shows as the job's summary.
    package var githubStepSummary: String?

    package init(_ environment: [String: String]) {
        githubActions = environment["GITHUB_ACTIONS"] == "true"
        gitlabCI = environment["GITLAB_CI"] == "true"
        githubStepSummary = environment["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A CI whose log folds groups: one block per step reads better there than interleaved lines.
    package var foldsGroups: Bool { githubActions || gitlabCI }
}
