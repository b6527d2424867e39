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
struct ServiceSupervisorTests {
    private func supervisor(
        start: String,
        ready: String? = nil,
        stop: String? = nil,
        readinessTimeout: Duration? = nil,
        grace: Duration = .seconds(5),
        directory: String = "/tmp",
        observer: RecordingObserver
    ) -> ServiceSupervisor {
        let definition = ServiceDefinition(
            reference: "svc",
            name: "Service",
            commands: .init(start: start, ready: ready, stop: stop),
            readinessTimeout: readinessTimeout
        )
        let options = ServiceOptions(stopGracePeriod: grace) { command in
            TestEnvironment.spec(command, in: directory)
        }
        return ServiceSupervisor(definition: definition, options: options, observer: observer)
    }

    /// The process group of the service's start command, read from its own output (`echo $$` first).
    private func group(_ observer: RecordingObserver) async throws -> Int32 {
        let source = OutputSource(kind: .service, reference: "svc")
        #expect(await TestEnvironment.eventually { observer.outputText(source).contains("\n") })
        return try #require(Int32(observer.outputText(source).split(separator: "\n").first ?? ""))
    }

    @Test func withoutReadyItRunsAtOnceAndStopsWithSIGTERM() async throws {
        let observer = RecordingObserver()
        let service = supervisor(start: "echo $$; exec sleep 30", observer: observer)
        await service.start()
        #expect(await service.waitUntilSettled() == .running)
        let group = try await group(observer)
        await service.stop()
        #expect(await service.phase == .stopped)
        #expect(await service.failureMessage == nil)
        #expect(observer.phases(of: "svc").map(\.0) == [.starting, .running, .stopping, .stopped])
        #expect(observer.phases(of: "svc").map(\.1) == [1, 2, 3, 4])
        #expect(TestEnvironment.groupIsGone(group))
    }

    @Test func readyProbeDecidesWhenItRuns() async throws {
        let directory = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let observer = RecordingObserver()
        let service = supervisor(
            start: "echo $$; sleep 0.3; touch up; exec sleep 30",
            ready: "test -f up",
            directory: directory,
            observer: observer
        )
        let before = Date()
        await service.start()
        #expect(await service.phase == .starting)
        #expect(await service.waitUntilSettled() == .running)
        let readyAt = try #require(await service.readyAt)
        #expect(readyAt.timeIntervalSince(before) >= 0.3)
        let marker = try FileManager.default.attributesOfItem(atPath: directory + "/up")[.modificationDate] as? Date
        #expect(readyAt >= (try #require(marker)))  // not RUNNING before the probe could succeed
        let group = try await group(observer)
        await service.stop()
        #expect(TestEnvironment.groupIsGone(group))
    }

    @Test func readinessTimeoutFailsWithTheLastProbe() async throws {
        let observer = RecordingObserver()
        let service = supervisor(
            start: "echo $$; exec sleep 30",
            ready: "echo not yet; exit 1",
            readinessTimeout: .milliseconds(500),
            observer: observer
        )
        await service.start()
        #expect(await service.waitUntilSettled() == .failed)
        #expect(await service.waitUntilFinal() == .failed)
        let message = try #require(await service.failureMessage)
        #expect(message == "not ready within 0.5s; the last ready probe exited with status 1: not yet")
        #expect(TestEnvironment.groupIsGone(try await group(observer)))
        let probes = observer.probeCount(of: "svc")
        try await Task.sleep(for: .milliseconds(200))
        #expect(observer.probeCount(of: "svc") == probes)  // probing has stopped
    }

    @Test(arguments: [
        ("exit 0", ServicePhase.stopped, nil as String?),
        ("exit 3", .failed, "start command exited with status 3"),
        ("kill -SEGV $$", .failed, "start command killed by signal 11 (SIGSEGV)"),
    ])
    func startEndingByItself(command: String, phase: ServicePhase, message: String?) async throws {
        let observer = RecordingObserver()
        let service = supervisor(start: command, observer: observer)
        await service.start()
        #expect(await service.waitUntilFinal() == phase)
        #expect(await service.failureMessage == message)
    }

    @Test func crashWhileRunningIsAFailure() async throws {
        let observer = RecordingObserver()
        let service = supervisor(start: "echo $$; sleep 0.2; exit 7", observer: observer)
        await service.start()
        #expect(await service.waitUntilSettled() == .running)
        #expect(await service.waitUntilFinal() == .failed)
        #expect(await service.failureMessage == "start command exited with status 7")
    }

    @Test func aServiceIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        let observer = RecordingObserver()
        let service = supervisor(
            start: "trap '' TERM; echo $$; sleep 30 & wait",
            grace: .milliseconds(500),
            observer: observer
        )
        await service.start()
        let group = try await group(observer)
        let before = ContinuousClock.now
        await service.stop()
        // It waited the grace period, then killed (how fast is Benchmarks' `runtime-bench stop`, not a test's).
        #expect(ContinuousClock.now - before >= .milliseconds(500))
        #expect(await service.phase == .stopped)
        #expect(TestEnvironment.groupIsGone(group))
    }

    @Test func stopCommandRunsInsteadOfSIGTERM() async throws {
        let directory = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let observer = RecordingObserver()
        let service = supervisor(
            start: "trap 'echo got TERM' TERM; echo $$; sleep 30 & wait",
            stop: "echo stopping; touch stopped",
            directory: directory,
            observer: observer
        )
        await service.start()
        let group = try await group(observer)
        await service.stop()
        #expect(await service.phase == .stopped)
        #expect(FileManager.default.fileExists(atPath: directory + "/stopped"))
        #expect(!observer.outputText(OutputSource(kind: .service, reference: "svc")).contains("got TERM"))
        #expect(observer.outputText(OutputSource(kind: .service, reference: "svc", part: .stop)) == "stopping\n")
        #expect(TestEnvironment.groupIsGone(group))
    }

    @Test func aFailingStopCommandFailsTheService() async throws {
        let observer = RecordingObserver()
        let service = supervisor(start: "echo $$; exec sleep 30", stop: "exit 4", observer: observer)
        await service.start()
        let group = try await group(observer)
        await service.stop()
        #expect(await service.phase == .failed)
        #expect(await service.failureMessage == "stop command exited with status 4")
        #expect(TestEnvironment.groupIsGone(group))
    }

    @Test func aHangingStopCommandIsKilledWithTheService() async throws {
        let observer = RecordingObserver()
        let service = supervisor(
            start: "echo $$; exec sleep 30",
            stop: "sleep 30",
            grace: .milliseconds(400),
            observer: observer
        )
        await service.start()
        let group = try await group(observer)
        await service.stop()
        #expect(await service.phase == .failed)
        #expect(await service.failureMessage == "stop command still running after 400ms; killed")
        #expect(TestEnvironment.groupIsGone(group))
    }

    @Test func stopDuringStartingEndsTheProbing() async throws {
        let observer = RecordingObserver()
        let service = supervisor(start: "echo $$; exec sleep 30", ready: "exit 1", observer: observer)
        await service.start()
        #expect(await TestEnvironment.eventually(within: .seconds(20)) { observer.probeCount(of: "svc") >= 2 })
        let group = try await group(observer)
        await service.stop()
        #expect(await service.phase == .stopped)
        let probes = observer.probeCount(of: "svc")
        try await Task.sleep(for: .milliseconds(200))
        #expect(observer.probeCount(of: "svc") == probes)
        #expect(TestEnvironment.groupIsGone(group))
    }

    @Test func aProbePrintingMegabytesWorks() async throws {
        let directory = try TestEnvironment.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let observer = RecordingObserver()
        let service = supervisor(
            start: "echo $$; exec sleep 30",
            ready: "head -c 3000000 /dev/zero | tr '\\0' x; test -f again || { touch again; exit 1; }",
            directory: directory,
            observer: observer
        )
        await service.start()
        #expect(await service.waitUntilSettled() == .running)
        #expect(observer.probeCount(of: "svc") == 2)
        #expect(observer.outputText(OutputSource(kind: .service, reference: "svc", part: .ready)).count == 6_000_000)
        await service.stop()
    }

    @Test func startAndStopAreIdempotent() async throws {
        let observer = RecordingObserver()
        let service = supervisor(start: "echo $$; exec sleep 30", observer: observer)
        await service.start()
        await service.start()
        #expect(await service.waitUntilSettled() == .running)
        let group = try await group(observer)
        async let first: Void = service.stop()
        async let second: Void = service.stop()
        _ = await (first, second)
        await service.stop()
        #expect(observer.phases(of: "svc").map(\.0) == [.starting, .running, .stopping, .stopped])
        #expect(TestEnvironment.groupIsGone(group))
        await service.start()
        #expect(await service.waitUntilSettled() == .running)
        await service.stop()
        #expect(observer.phases(of: "svc").map(\.1) == Array(1...8))
    }
}
