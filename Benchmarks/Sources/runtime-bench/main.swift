// Benchmarks of the process runtime (issue 3), run with a release build:
//   swift run -c release --package-path Benchmarks runtime-bench [spawn|readiness|throughput|stop|all]
// Prints one line per figure; README records them.

import AutomationsModel
import AutomationsRuntime
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let environment: [String: String] = [
    "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "LANG": "C.UTF-8",
]

func milliseconds(_ duration: Duration) -> String { String(format: "%.3f ms", duration.secondsDouble * 1000) }

func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }

// MARK: - Spawn overhead

/// The floor: posix_spawn + waitpid of /bin/true, one after another.
func plainSpawnLoop(_ count: Int) -> Duration {
    let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
    let environmentPointers = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    let clock = ContinuousClock()
    return clock.measure {
        for _ in 0..<count {
            var pid: pid_t = 0
            posix_spawn(&pid, "/bin/true", nil, nil, arguments, environmentPointers)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}

func runtimeSpawnLoop(_ count: Int) async -> Duration {
    // `/bin/true`, not `true`: the runtime runs a bare `true` in-process, as bash runs its builtin.
    let spec = CommandSpec(command: "/bin/true", workingDirectory: "/tmp", environment: environment)
    let start = ContinuousClock.now
    for _ in 0..<count {
        _ = try! await ProcessRuntime.run(spec, output: DiscardingOutputSink())
    }
    return .now - start
}

func benchmarkSpawn() async {
    let count = 2000
    _ = plainSpawnLoop(100)
    _ = await runtimeSpawnLoop(100)
    var ratios: [Double] = []
    for round in 1...5 {
        let plain = plainSpawnLoop(count)
        let runtime = await runtimeSpawnLoop(count)
        let ratio = runtime.secondsDouble / plain.secondsDouble
        ratios.append(ratio)
        print(
            "spawn round \(round): posix_spawn+waitpid \(milliseconds(plain / count))/spawn, "
                + "runtime \(milliseconds(runtime / count))/spawn, ratio \(String(format: "%.2f", ratio))"
        )
    }
    print("spawn: median ratio runtime/floor = \(String(format: "%.2f", ratios.sorted()[2])) (target <= 1.30)")
}

// MARK: - Readiness latency

final class NoOutput: RuntimeObserver {
    func record(_ event: RuntimeEvent) {}
    func output(from source: OutputSource, stream: OutputStreamKind, bytes: UnsafeRawBufferPointer) {}
}

/// Starts a service whose probe starts succeeding `delay` after start; returns how long after the marker file
/// appeared the service was RUNNING.
func readinessLatency(delay: Double) async -> Duration {
    let directory = NSTemporaryDirectory() + "bench-ready-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let definition = ServiceDefinition(
        reference: "bench",
        name: "bench",
        commands: .init(start: "sleep \(delay); touch up; exec sleep 60", ready: "test -f up")
    )
    let options = ServiceOptions(stopGracePeriod: .seconds(5)) { command in
        CommandSpec(command: command, workingDirectory: directory, environment: environment)
    }
    let service = ServiceSupervisor(definition: definition, options: options, observer: NoOutput())
    await service.start()
    _ = await service.waitUntilSettled()
    let readyAt = await service.readyAt!
    var info = stat()
    stat(directory + "/up", &info)
    let markerTime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    await service.stop()
    return .nanoseconds(Int64((readyAt.timeIntervalSince1970 - markerTime) * 1e9))
}

func benchmarkReadiness() async {
    var latencies: [Duration] = []
    for _ in 0..<50 { latencies.append(await readinessLatency(delay: 0.3)) }
    let sorted = latencies.sorted()
    print(
        "readiness (ready after 300 ms, 50 runs): median \(milliseconds(median(latencies))), "
            + "min \(milliseconds(sorted.first!)), max \(milliseconds(sorted.last!)) (target median <= 40 ms)"
    )
    var slow: [Duration] = []
    for _ in 0..<3 { slow.append(await readinessLatency(delay: 10)) }
    print("readiness (ready after 10 s, 3 runs): \(slow.map(milliseconds).joined(separator: ", ")) (target <= 1100 ms)")
}

// MARK: - Output throughput

/// Writes everything it receives to a file descriptor.
final class FileSink: CommandOutputSink {
    let descriptor: Int32
    init(path: String) { descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) }
    func receive(_ bytes: UnsafeRawBufferPointer, from stream: OutputStreamKind) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
    deinit { close(descriptor) }
}

func peakResidentKilobytes() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
}

func benchmarkThroughput() async {
    let size = 1 << 30
    let path = NSTemporaryDirectory() + "bench-output-\(UUID().uuidString)"
    defer { unlink(path) }
    let produce = "head -c \(size) /dev/zero"
    let before = peakResidentKilobytes()
    var rates: [(Double, Double)] = []
    for _ in 0..<3 {
        let direct = try! await ProcessRuntime.run(
            CommandSpec(command: "\(produce) > \(path)", workingDirectory: "/tmp", environment: environment),
            output: DiscardingOutputSink()
        )
        let sink = FileSink(path: path)
        let through = try! await ProcessRuntime.run(
            CommandSpec(command: produce, workingDirectory: "/tmp", environment: environment),
            output: sink
        )
        rates.append((Double(size) / direct.duration.secondsDouble, Double(size) / through.duration.secondsDouble))
    }
    let best = rates.map { $0.1 / $0.0 }.sorted()[1]
    for (plain, runtime) in rates {
        print(
            String(
                format: "throughput 1 GiB: cmd > file %.0f MB/s, through the runtime %.0f MB/s (%.0f%%)",
                plain / 1e6,
                runtime / 1e6,
                runtime / plain * 100
            )
        )
    }
    print(
        String(format: "throughput: median %.0f%% of cmd > file (target >= 70%%)", best * 100)
            + "; peak RSS \(peakResidentKilobytes() / 1024) MB (before: \(before / 1024) MB; target < 64 MB)"
    )
}

// MARK: - Stopping a service that ignores SIGTERM

func benchmarkStop() async {
    for _ in 0..<3 {
        let definition = ServiceDefinition(
            reference: "stubborn",
            name: "stubborn",
            commands: .init(start: "trap '' TERM; sleep 60 & sleep 60 & wait")
        )
        let options = ServiceOptions(stopGracePeriod: .seconds(1)) { command in
            CommandSpec(command: command, workingDirectory: "/tmp", environment: environment)
        }
        let service = ServiceSupervisor(definition: definition, options: options, observer: NoOutput())
        await service.start()
        try? await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        await service.stop()
        print(
            "stop (ignores SIGTERM, grace 1 s): all processes gone after \(milliseconds(.now - start)) (target <= 1200 ms)"
        )
    }
}

let which = CommandLine.arguments.dropFirst().first ?? "all"
ProcessRuntime.becomeSubreaper()
if which == "spawn" || which == "all" { await benchmarkSpawn() }
if which == "readiness" || which == "all" { await benchmarkReadiness() }
if which == "throughput" || which == "all" { await benchmarkThroughput() }
if which == "stop" || which == "all" { await benchmarkStop() }
