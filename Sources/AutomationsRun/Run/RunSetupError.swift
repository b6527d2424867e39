package import AutomationsCache
package import AutomationsModel
package import AutomationsReports
package import AutomationsRuntime

/// Why a run cannot start: each is reported with the offending value, exit status 2, and nothing runs.
package enum RunSetupError: Error, CustomStringConvertible {
    /// `--rerun-failed` chooses the targets itself.
    case rerunWithTargets
    /// A report given to `--rerun-failed` or `--timings` cannot be used.
    case unreadableReport(TimingsError)
    case plan(PlanError)
    case workdirNotADirectory(String)
    case environmentFile(EnvironmentFileError)
    /// `--secret-env NAME` names no variable.
    case secretNotSet(name: String)
    case logDirectory(LogDirectoryError)
    case reportFolder(option: String, path: String, folder: String, error: FileWriteError)
    case reportIsADirectory(option: String, path: String)
    /// The changes that select the tasks cannot be known.
    case changes(ChangeError)
    /// `--collect-junit REF=GLOB` names no task of the file.
    case collectJUnitUnknownTask(entry: String, reference: String, known: [String])

    package var description: String {
        switch self {
        case .rerunWithTargets: "--rerun-failed chooses the targets: give no references and no --trigger with it"
        case .unreadableReport(let error): error.description
        case .plan(let error): error.description
        case .workdirNotADirectory(let path): "--workdir '\(path)' is not a directory"
        case .environmentFile(let error): error.description
        case .secretNotSet(let name):
            "--secret-env \(name): no such variable (set it in the environment, --env or --env-file)"
        case .logDirectory(let error): error.description
        case .reportFolder(let option, let path, let folder, let error):
            "\(option) '\(path)': cannot create the folder '\(folder)': \(error)"
        case .reportIsADirectory(let option, let path): "\(option) '\(path)' is a directory"
        case .changes(let error): error.description
        case .collectJUnitUnknownTask(let entry, let reference, let known):
            "--collect-junit '\(entry)': no task '\(reference)'\(Suggestion.didYouMean(reference, in: known))"
        }
    }
}
