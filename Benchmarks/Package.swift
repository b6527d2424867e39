// swift-tools-version: 6.2

import Foundation
import PackageDescription

/// A path dependency is known by its folder's name, which is whatever the clone is called.
let rootPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// Benchmarks live in their own package so that `swift build` and CI of the main package never compile them.
let package = Package(
    name: "automations-benchmarks",
    dependencies: [
        .package(path: "..")
    ],
    targets: [
        .executableTarget(
            name: "runtime-bench",
            dependencies: [
                .product(name: "AutomationsRuntime", package: rootPackage),
                .product(name: "AutomationsModel", package: rootPackage),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "api-bench",
            dependencies: [
                .product(name: "AutomationsAPI", package: rootPackage),
                .product(name: "GitpodAPI", package: rootPackage),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
