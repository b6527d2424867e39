import Testing

@testable import AutomationsConfig

/// Where commands start in shell text, without running it: what the warnings find, and what they must not.
struct ShellScanTests {
    @Test func sleepsAreFoundWhereCommandsStartOnly() {
        let scan = ShellScan("sleep 5 && curl -sf localhost; echo \"sleep 9\" # sleep 7\n(sleep 0.5)")
        #expect(scan.sleeps().map(\.seconds) == [5, 0.5])
        #expect(scan.sleeps().map(\.offset) == [0, 57])
        #expect(ShellScan("curl x && sleep 1").leadingSleep() == nil)
        let leading = ShellScan("# wait first\nsleep 15 && curl -sf localhost:3000").leadingSleep()
        #expect(leading?.sleep.seconds == 15 && leading?.onlyCommand == false)
        #expect(ShellScan("sleep 2").leadingSleep()?.onlyCommand == true)
        #expect(ShellScan.seconds("1.5") == 1.5 && ShellScan.seconds("2m") == 120 && ShellScan.seconds("x") == nil)
    }

    @Test func workspacePathsAreAbsoluteOnes() {
        let paths = ShellScan("cd /workspace/app && cat ./workspace/x ~/workspace/y /workspaces/shop/a")
            .workspacePaths()
        #expect(paths.map(\.path) == ["/workspace/app", "/workspaces/shop/a"])
    }

    @Test func aBackgroundedLastCommandIsNotARedirection() {
        #expect(ShellScan("npm start &").backgroundedLastCommand()?.command == "npm start")
        #expect(ShellScan("server & wait").backgroundedLastCommand() == nil)
        #expect(ShellScan("run 2>&1").backgroundedLastCommand() == nil)
        #expect(ShellScan("a && b").backgroundedLastCommand() == nil)
    }

    @Test func cliServiceStartsAreFoundButNotInsideQuotes() {
        let starts = ShellScan("gitpod automations service start db redis; echo 'gp automations service start x'")
            .cliServiceStarts()
        #expect(starts.map(\.program) == ["gitpod"])
        #expect(starts.first?.references.map(\.name) == ["db", "redis"])
    }

    @Test func positionsAreLinesAndColumnsOfScalars() {
        let scan = ShellScan("é\nab sleep 1")
        // Counted from 0: the caller adds the value's own position in the file.
        #expect(scan.lineAndColumn(of: 0) == (0, 0))
        #expect(scan.lineAndColumn(of: 5) == (1, 3))
        #expect(ShellScan.mayContain("a sleepy cat", "sleep") && !ShellScan.mayContain("slee p", "sleep"))
    }
}
