/// The variables Gitpod and Ona give every command that real automations files read, with their local values: the
/// environment is the run's (or `serve`'s) own, the one its API answers for.
public enum GitpodVariables {
    /// Their names, in the order README lists them.
    public static let names = ["GITPOD_ENVIRONMENT_ID", "ONA_ENVIRONMENT_NAME", "GITPOD_REPO_ROOT"]

    /// `GITPOD_ENVIRONMENT_ID`: the environment id; `ONA_ENVIRONMENT_NAME`: the repository folder's name (Ona names
    /// an environment after its repository); `GITPOD_REPO_ROOT`: the repository root, where commands run.
    public static func values(environmentID: String, repositoryRoot: String) -> [String: String] {
        let trimmed =
            repositoryRoot.count > 1 && repositoryRoot.hasSuffix("/")
            ? String(repositoryRoot.dropLast()) : repositoryRoot
        let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        return [
            "GITPOD_ENVIRONMENT_ID": environmentID,
            "ONA_ENVIRONMENT_NAME": name,
            "GITPOD_REPO_ROOT": trimmed,
        ]
    }
}
