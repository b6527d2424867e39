// swift-tools-version: 6.2

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "automations",
    products: [
        .executable(name: "automations", targets: ["automations"]),
        .library(name: "AutomationsRuntime", targets: ["AutomationsRuntime"]),
        .library(name: "AutomationsModel", targets: ["AutomationsModel"]),
        .library(name: "AutomationsConfig", targets: ["AutomationsConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
    ],
    targets: [
        .target(
            name: "AutomationsModel",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CAutomationsSystem"
        ),
        .target(
            name: "AutomationsRuntime",
            dependencies: ["AutomationsModel", "CAutomationsSystem"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AutomationsReports",
            dependencies: ["AutomationsModel", "AutomationsRuntime"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AutomationsConfig",
            dependencies: [
                "AutomationsModel",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "automations",
            dependencies: [
                "AutomationsModel",
                "AutomationsConfig",
                "AutomationsRuntime",
                "AutomationsReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AutomationsModelTests",
            dependencies: ["AutomationsModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AutomationsConfigTests",
            dependencies: ["AutomationsConfig", "AutomationsModel"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AutomationsRuntimeTests",
            dependencies: ["AutomationsRuntime", "AutomationsModel"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["automations", "AutomationsRuntime"],
            swiftSettings: swiftSettings
        ),
    ]
)
