// swift-tools-version: 6.2

import Foundation
import PackageDescription

/// A path dependency is known by its folder's name, which is whatever the clone is called.
let rootPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// The libFuzzer target for the loader, in its own package so that the main build never compiles it. See run.sh.
let package = Package(
    name: "automations-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "fuzz-loader",
            dependencies: [.product(name: "AutomationsConfig", package: rootPackage)],
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
        )
    ]
)
