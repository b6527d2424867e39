import CAutomationsSystem
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a shell string is started: through `bash -c`, or, when it has no shell syntax at all, directly, with the
/// same environment changes bash makes (`PWD`, `SHLVL`, `_`), so that the result cannot be told apart.
struct LaunchPlan {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    /// Variables set on top of `environment` (what bash itself would set).
    var overrides: [(String, String)] = []
    /// True when the command is executed without a shell.
    var isDirect: Bool

    /// The shell used for commands: bash, or /bin/sh where there is no bash.
    static let shell: String = {
        for candidate in ["/bin/bash", "/usr/bin/bash"] where access(candidate, X_OK) == 0 { return candidate }
        return "/bin/sh"
    }()

    /// Shell words that are builtins or keywords with no external twin that behaves the same.
    private static let shellOnlyWords: Set<String> = [
        "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command", "compgen", "complete", "compopt",
        "continue", "declare", "dirs", "disown", "enable", "eval", "exec", "exit", "export", "fc", "fg", "getopts",
        "hash", "help", "history", "jobs", "kill", "let", "local", "logout", "mapfile", "popd", "pushd", "pwd", "read",
        "readarray", "readonly", "return", "set", "shift", "shopt", "source", "suspend", "times", "trap", "type",
        "typeset", "ulimit", "umask", "unalias", "unset", "wait", ".", ":", "if", "then", "else", "elif", "fi", "case",
        "esac", "for", "select", "while", "until", "do", "done", "in", "function", "time", "{", "}", "!", "[[", "]]",
        "coproc",
    ]

    /// Characters that give a command shell meaning: quoting, expansion, globbing, redirection, control operators.
    private static let shellCharacters: Set<UInt8> = Set("'\"`$*?[]<>|&;()\n\r\t~#={}\\!%".utf8)

    /// The exit status of a command that is only a no-op builtin (`true`, `:`, `false`): bash runs those without
    /// starting any process, and so does the runtime.
    static func builtinStatus(of command: String) -> Int32? {
        let utf8 = command.utf8
        guard utf8.count <= 16 else { return nil }
        let word = utf8.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
        if word.elementsEqual("true".utf8) || word.elementsEqual(":".utf8) { return 0 }
        if word.elementsEqual("false".utf8) { return 1 }
        return nil
    }

    static func make(for spec: CommandSpec) -> LaunchPlan {
        var plan = direct(spec) ?? shellPlan(for: spec, marked: false)
        plan.mark(spec)
        return plan
    }

    static func shellPlan(for spec: CommandSpec) -> LaunchPlan {
        shellPlan(for: spec, marked: true)
    }

    private static func shellPlan(for spec: CommandSpec, marked: Bool) -> LaunchPlan {
        var plan = LaunchPlan(
            executable: shell,
            arguments: [shell, "-c", spec.command],
            environment: spec.environment,
            isDirect: false
        )
        if marked { plan.mark(spec) }
        return plan
    }

    /// Names the command's step in its environment.
    private mutating func mark(_ spec: CommandSpec) {
        if let step = spec.step { overrides.append((CommandSpec.stepVariable, step)) }
    }

    private static func direct(_ spec: CommandSpec) -> LaunchPlan? {
        let utf8 = spec.command.utf8
        guard !utf8.isEmpty, !utf8.contains(where: { shellCharacters.contains($0) || $0 < 0x20 }) else { return nil }
        let words = spec.command.split(separator: " ").map(String.init)
        guard let program = words.first, !shellOnlyWords.contains(program) else { return nil }
        // GNU tools answer --help/--version where bash's builtins would print or ignore them.
        if ["echo", "printf", "test", "[", "true", "false"].contains(program),
            words.dropFirst().contains(where: { $0.hasPrefix("--") || $0 == "-v" })
        {
            return nil
        }
        guard let path = resolve(program, environment: spec.environment, workingDirectory: spec.workingDirectory)
        else { return nil }
        let overrides = [("PWD", spec.workingDirectory), ("SHLVL", spec.environment["SHLVL"] ?? "0"), ("_", path)]
        return LaunchPlan(
            executable: path,
            arguments: words,
            environment: spec.environment,
            overrides: overrides,
            isDirect: true
        )
    }

    /// The executable file for `program`, found as bash would (a path with `/` is used as it is, relative to the
    /// working directory), or `nil` when it cannot be found (then bash runs it and reports the error).
    /// Programs found on PATH (by PATH and name) and absolute paths are remembered without being checked again: a
    /// file that has gone or cannot be executed any more fails the spawn, and the command then runs through bash,
    /// which reports it as it would have.
    private static let resolved = Mutex<[String: String]>([:])

    private static func resolve(_ program: String, environment: [String: String], workingDirectory: String) -> String? {
        let key: String
        if program.hasPrefix("/") {
            key = program
        } else if !program.contains("/"), let searchPath = environment["PATH"],
            searchPath.split(separator: ":", omittingEmptySubsequences: false).allSatisfy({ $0.hasPrefix("/") })
        {
            key = searchPath + "\u{0}" + program
        } else {
            return search(program, environment: environment, workingDirectory: workingDirectory)
        }
        if let path = resolved.withLock({ $0[key] }) { return path }
        let path = search(program, environment: environment, workingDirectory: workingDirectory)
        if let path { resolved.withLock { $0[key] = path } }
        return path
    }

    private static func search(_ program: String, environment: [String: String], workingDirectory: String) -> String? {
        if program.contains("/") {
            let path = program.hasPrefix("/") ? program : workingDirectory + "/" + program
            return isExecutableFile(path) ? path : nil
        }
        guard let searchPath = environment["PATH"] else { return nil }
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            // An empty PATH entry means the working directory, as in bash.
            let base =
                directory.isEmpty
                ? workingDirectory : (directory.hasPrefix("/") ? String(directory) : workingDirectory + "/" + directory)
            let candidate = base + "/" + program
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}

extension LaunchPlan {
    /// Spawns the plan in `directory` with the given output descriptors, its process leading a new group.
    /// - Returns: 0, or the error number of the failed spawn.
    func spawn(in directory: String, stdout: Int32, stderr: Int32, pid: inout Int32) -> Int32 {
        let arguments = self.arguments.map { strdup($0) } + [nil]
        // At most four names (PWD, SHLVL, _, the step marker): comparing them costs less than hashing every name.
        let overridden = overrides.map(\.0)
        let extra = overrides.map { strdup("\($0.0)=\($0.1)") }
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in extra { free(pointer) }
        }
        return EnvironmentBlocks.shared.withBlock(for: environment) { base in
            let environment = base.filter { !overridden.contains($0.name) }.map(\.pointer) + extra + [nil]
            return Platform.spawn(&pid, executable, arguments, environment, directory, -1, stdout, stderr)
        }
    }

    static func isSearchableDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && access(path, X_OK) == 0
    }
}
