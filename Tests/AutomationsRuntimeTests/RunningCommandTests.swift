import AutomationsModel
import AutomationsRuntime
import AutomationsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.timeLimit(.minutes(1)))
struct RunningCommandTests {
    @Test func exitStatusesAndSignals() async throws {
        let cases: [(String, Termination)] = [
            ("true", .exited(0)),
            ("exit 3", .exited(3)),
            ("false", .exited(1)),
            ("kill -SEGV $$", .signaled(11)),
            ("kill -KILL $$", .signaled(9)),
            ("definitely-not-a-command-xyz", .exited(127)),
        ]
        for (command, expected) in cases {
            let result = try await ProcessRuntime.run(TestEnvironment.spec(command), output: DiscardingOutputSink())
            #expect(result.termination == expected, "\(command)")
            #expect(!result.wasStopped)
        }
    }

    @Test func outputIsByteExactAndTaggedByStream() async throws {
        let sink = CollectingSink()
        let command = #"printf 'a\000b\377c\n'; printf 'err\033[31m\n' >&2"#
        let result = try await ProcessRuntime.run(TestEnvironment.spec(command), output: sink)
        #expect(result.termination == .exited(0))
        #expect(sink.stdout == [0x61, 0x00, 0x62, 0xFF, 0x63, 0x0A])
        #expect(sink.stderr == Array("err\u{1B}[31m\n".utf8))
    }

    @Test func standardInputIsClosed() async throws {
        let sink = CollectingSink()
        let result = try await ProcessRuntime.run(TestEnvironment.spec("cat; echo done"), output: sink)
        #expect(result.termination == .exited(0))
        #expect(sink.stdoutText == "done\n")
    }

    @Test func outputOfABackgroundChildAfterTheShellExitedIsKept() async throws {
        let sink = CollectingSink()
        let result = try await ProcessRuntime.run(
            TestEnvironment.spec("(sleep 0.3; echo late) & echo early"),
            output: sink
        )
        #expect(result.termination == .exited(0))
        #expect(sink.stdoutText == "early\nlate\n")
        #expect(result.duration >= .milliseconds(300))
    }

    @Test func aCommandIsRunningWhileItsGroupHasMembers() async throws {
        let sink = CollectingSink()
        let command = try ProcessRuntime.start(TestEnvironment.spec("sleep 100 & echo started"), output: sink)
        #expect(await command.wait(upTo: .milliseconds(300)) == nil)
        #expect(sink.stdoutText == "started\n")
        let result = await command.stop(grace: .seconds(5))
        #expect(result.termination == .exited(0))  // the shell itself had exited normally
        #expect(result.wasStopped)
        #expect(TestEnvironment.groupIsGone(command.processGroup))
    }

    @Test func aCommandIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        let sink = CollectingSink()
        let command = try ProcessRuntime.start(
            TestEnvironment.spec("trap '' TERM; echo ready; sleep 600"),
            output: sink
        )
        #expect(await TestEnvironment.eventually { sink.stdoutText == "ready\n" })
        let before = ContinuousClock.now
        let result = await command.stop(grace: .milliseconds(400))
        #expect(result.termination == .signaled(9))
        #expect(result.wasKilledAfterGracePeriod)
        #expect(ContinuousClock.now - before >= .milliseconds(400))
        #expect(TestEnvironment.groupIsGone(command.processGroup))
    }

    @Test func aGrandchildIgnoringSIGTERMIsKilledWhenTheLeaderDies() async throws {
        let sink = CollectingSink()
        let script = #"bash -c "trap '' TERM; echo child; sleep 30" & wait"#
        let command = try ProcessRuntime.start(TestEnvironment.spec(script), output: sink)
        #expect(await TestEnvironment.eventually { sink.stdoutText == "child\n" })
        let result = await command.stop(grace: .milliseconds(300))
        #expect(result.termination == .signaled(15))
        #expect(TestEnvironment.groupIsGone(command.processGroup))
    }

    @Test(
        .disabled(
            if: TestEnvironment.onPOSIXBackend,
            "the POSIX backend has no subreaper: a setsid daemon is adopted by init (README: what it misses)"
        )
    )
    func aSetsidDaemonIsAdoptedAndSweptAway() async throws {
        let sink = CollectingSink()
        let result = try await ProcessRuntime.run(
            TestEnvironment.spec("setsid sleep 100 > /dev/null 2>&1 & echo $!"),
            output: sink
        )
        #expect(result.termination == .exited(0))
        let daemon = try #require(Int32(sink.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(daemon, 0) == 0)  // it escaped the group and still runs
        #expect(await TestEnvironment.eventually { ProcessTableProbe.parent(of: daemon) == getpid() })
        let killed = await ProcessRuntime.sweepEscapedProcesses()
        #expect(killed.contains(daemon))
        #expect(await TestEnvironment.eventually { TestEnvironment.processIsGone(daemon) })
    }

    @Test func twoHundredCommandsAtOnce() async throws {
        let results = try await withThrowingTaskGroup(of: (Int, String, Termination).self) { group in
            for index in 0..<200 {
                group.addTask {
                    let sink = CollectingSink()
                    let result = try await ProcessRuntime.run(
                        TestEnvironment.spec("echo \(index); sleep 0.2"),
                        output: sink
                    )
                    return (index, sink.stdoutText, result.termination)
                }
            }
            var all: [(Int, String, Termination)] = []
            for try await item in group { all.append(item) }
            return all
        }
        #expect(results.count == 200)
        for (index, output, termination) in results {
            #expect(output == "\(index)\n")
            #expect(termination == .exited(0))
        }
    }

    @Test func largeOutputAndLongLinesArriveWhole() async throws {
        let sink = CountingSink()
        let result = try await ProcessRuntime.run(
            TestEnvironment.spec("head -c 50000000 /dev/zero; head -c 300000 /dev/zero | tr '\\0' a"),
            output: sink
        )
        #expect(result.termination == .exited(0))
        #expect(sink.total == 50_300_000)
    }

    @Test func aMissingWorkingDirectoryIsASpawnError() throws {
        #expect(throws: SpawnError.self) {
            try ProcessRuntime.start(
                TestEnvironment.spec("true", in: "/definitely/missing"),
                output: DiscardingOutputSink()
            )
        }
    }

    @Test func directExecutionLooksLikeBash() async throws {
        let directory = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let direct = CollectingSink()
        let directCommand = try ProcessRuntime.start(TestEnvironment.spec("env", in: directory), output: direct)
        #expect(directCommand.isDirect)
        _ = await directCommand.wait()
        let shell = CollectingSink()
        let shellCommand = try ProcessRuntime.start(TestEnvironment.spec("env;", in: directory), output: shell)
        #expect(!shellCommand.isDirect)
        _ = await shellCommand.wait()
        let directLines = Set(direct.stdoutText.split(separator: "\n"))
        var shellLines = Set(shell.stdoutText.split(separator: "\n"))
        // With `env;` bash runs env as a child instead of exec-ing it; only `_` (the last argument) differs then.
        shellLines = shellLines.filter { !$0.hasPrefix("_=") }
        #expect(directLines.filter { !$0.hasPrefix("_=") } == shellLines)
        #expect(directLines.contains("PWD=\(directory)"))
        #expect(directLines.contains("_=/usr/bin/env"))
    }
}

/// Reads a process's parent from /proc.
enum ProcessTableProbe {
    static func parent(of pid: Int32) -> Int32? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let closing = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: closing)...].split(separator: " ")
        return fields.count > 2 ? Int32(fields[1]) : nil
    }
}
