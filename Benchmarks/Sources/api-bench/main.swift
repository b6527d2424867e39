// Saving the API server's state with 1,000 services (target: under 50 ms), release build:
//   swift run -c release --package-path Benchmarks api-bench

import AutomationsAPI
import Foundation
import GitpodAPI

let store = AutomationStore()
let directory = NSTemporaryDirectory() + "api-bench-\(UUID().uuidString)"
defer { try? FileManager.default.removeItem(atPath: directory) }
let host = AutomationsHost(
    store: store,
    workingDirectory: "/tmp",
    environment: [:],
    logDirectory: directory + "/logs"
)
for index in 0..<1000 {
    var request = Gitpod_V1_CreateServiceRequest()
    request.metadata.reference = "service-\(index)"
    request.metadata.name = "Service number \(index)"
    request.metadata.description_p = "A service the benchmark made"
    request.spec.commands.start = "python3 -m http.server \(8000 + index)"
    request.spec.commands.ready = "curl -fsS http://127.0.0.1:\(8000 + index)/"
    _ = try await store.createService(request)
}
await host.persist(in: StateFiles(directory: directory), restoring: nil)
var times: [Double] = []
for _ in 0..<20 {
    let start = ContinuousClock.now
    await host.save()
    let elapsed = ContinuousClock.now - start
    times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
}
times.sort()
let size = (try? FileManager.default.attributesOfItem(atPath: directory + "/services.json")[.size] as? Int) ?? 0
print(
    String(
        format: "save with 1,000 services (%d KB): median %.1f ms, max %.1f ms over 20 saves (target < 50 ms)",
        size / 1024,
        times[10],
        times[19]
    )
)
