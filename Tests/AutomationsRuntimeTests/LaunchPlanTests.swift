import AutomationsTestSupport
import Testing

@testable import AutomationsRuntime

/// How a command is started: directly when it has no shell syntax (with the variables bash would set), through bash
/// otherwise, and not at all for the no-op builtins.
struct LaunchPlanTests {
    private func plan(_ command: String) -> LaunchPlan {
        LaunchPlan.make(for: TestEnvironment.spec(command, in: "/tmp"))
    }

    @Test func aCommandWithoutShellSyntaxIsExecutedDirectly() {
        let direct = plan("ls -la /tmp")
        #expect(direct.isDirect)
        #expect(direct.executable.hasSuffix("/ls"))
        #expect(direct.arguments == ["ls", "-la", "/tmp"])
        #expect(direct.overrides.map(\.0) == ["PWD", "SHLVL", "_"])
        #expect(direct.overrides.first?.1 == "/tmp")
    }

    @Test func shellSyntaxBuiltinsAndUnknownProgramsGoThroughTheShell() {
        for command in ["echo $HOME", "ls | wc -l", "cd /tmp", "a=1 env", "echo --help", "no-such-program-here x"] {
            let shell = plan(command)
            #expect(!shell.isDirect, "\(command)")
            #expect(shell.arguments == [LaunchPlan.shell, "-c", command], "\(command)")
        }
    }

    @Test func theNoOpBuiltinsStartNothing() {
        #expect(LaunchPlan.builtinStatus(of: "true") == 0)
        #expect(LaunchPlan.builtinStatus(of: "  :  ") == 0)
        #expect(LaunchPlan.builtinStatus(of: "false") == 1)
        #expect(LaunchPlan.builtinStatus(of: "true; false") == nil)
        #expect(LaunchPlan.builtinStatus(of: "/bin/true") == nil)
    }
}
