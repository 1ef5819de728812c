// swift-tools-version:6.0
// sg-provisioner: compiles security-group tiers described in YAML into CloudFormation,
// validates them against the security guide, and keeps deployments honest.
import PackageDescription

let package = Package(
    name: "sg-provisioner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sg-provisioner", targets: ["sg-provisioner"]),
        .library(name: "SGActions", targets: ["SGActions"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries: the real libyaml and OpenSSL's libcrypto, never vendored copies.
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // glibc's <malloc.h> (mallopt), header only.
        .systemLibrary(name: "CMalloc"),

        // Stages, each with a typed boundary. Dependencies point one way.
        .target(name: "SGDiagnostics"),
        // Bounded reads of every input and stdout/stderr that survive a closed pipe.
        .target(name: "SGIO"),
        // Data-parallel helpers for the CPU-bound stages; results in input order.
        .target(name: "SGConcurrency"),
        .target(name: "SGYAML", dependencies: ["CYAML", "SGDiagnostics"]),
        .target(name: "SGModel", dependencies: ["SGDiagnostics", "SGCrypto"]),
        .target(name: "SGConfig", dependencies: ["SGYAML", "SGModel", "SGDiagnostics", "SGConcurrency", "SGIO"]),
        .target(name: "SGValidation", dependencies: ["SGModel", "SGDiagnostics"]),
        .target(name: "SGCloudFormation", dependencies: ["SGModel", "SGYAML", "SGDiagnostics", "SGConcurrency"]),
        .target(name: "SGReports", dependencies: ["SGModel", "SGValidation", "SGCloudFormation", "SGDiagnostics", "SGCrypto"]),
        .target(name: "SGCrypto", dependencies: ["CCrypto"]),
        .target(name: "SGAWS", dependencies: ["SGCrypto", "SGIO"]),
        .target(name: "SGInventory", dependencies: ["SGModel", "SGYAML", "SGDiagnostics", "SGAWS"]),
        // After the reports: drift (comparison, revert plan, drift report), deploy (change plans,
        // stack deploy/watch, verification) and the tool's own IAM policy. Actions wire them up.
        .target(name: "SGDrift", dependencies: [
            "SGModel", "SGValidation", "SGReports", "SGInventory", "SGAWS", "SGDiagnostics", "SGCrypto",
        ]),
        .target(name: "SGDeploy", dependencies: [
            "SGModel", "SGCloudFormation", "SGReports", "SGInventory", "SGAWS", "SGDiagnostics",
        ]),
        .target(name: "SGPolicy", dependencies: ["SGModel", "SGValidation", "SGReports"]),
        // import-security-groups: existing groups (live, snapshot, template) -> config + scenario text.
        .target(name: "SGImport", dependencies: ["SGModel", "SGInventory", "SGConfig", "SGDiagnostics"]),
        .target(name: "SGActions", dependencies: [
            "SGInventory", "SGDiagnostics", "SGYAML", "SGModel", "SGConfig", "SGValidation",
            "SGCloudFormation", "SGReports", "SGDrift", "SGDeploy", "SGPolicy", "SGImport", "SGAWS", "SGCrypto", "SGConcurrency", "SGIO",
        ]),
        .executableTarget(name: "sg-provisioner", dependencies: [
            "SGActions", "SGAWS", "SGIO", "CMalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Test helpers shared by test targets: fixture paths, local moto_server and stub servers.
        .target(name: "SGTestSupport", path: "Tests/SGTestSupport"),

        // libFuzzer target over the input front end (`make fuzz`); built only with --product FuzzInputs
        // --sanitize=fuzzer, because it holds LLVMFuzzerTestOneInput instead of a main.
        .executableTarget(name: "FuzzInputs", dependencies: [
            "SGYAML", "SGConfig", "SGModel", "SGDiagnostics", "SGValidation", "SGCloudFormation",
        ]),

        .testTarget(name: "SGDiagnosticsTests", dependencies: ["SGDiagnostics"]),
        .testTarget(name: "SGConcurrencyTests", dependencies: ["SGConcurrency"]),
        .testTarget(name: "SGIOTests", dependencies: ["SGIO"]),
        .testTarget(name: "SGYAMLTests", dependencies: ["SGYAML"]),
        .testTarget(name: "SGModelTests", dependencies: ["SGModel", "SGCrypto"]),
        .testTarget(name: "SGConfigTests", dependencies: ["SGConfig", "SGYAML", "SGModel"]),
        .testTarget(name: "SGValidationTests", dependencies: ["SGValidation", "SGModel", "SGConfig"]),
        .testTarget(name: "SGCloudFormationTests", dependencies: ["SGCloudFormation", "SGModel", "SGConfig", "SGYAML", "SGDiagnostics"]),
        .testTarget(name: "SGReportsTests", dependencies: ["SGReports", "SGValidation", "SGConfig"]),
        .testTarget(name: "SGCryptoTests", dependencies: ["SGCrypto"]),
        .testTarget(name: "SGAWSTests", dependencies: ["SGAWS", "SGCrypto", "SGTestSupport"]),
        .testTarget(name: "SGInventoryTests", dependencies: ["SGInventory", "SGModel", "SGAWS", "SGTestSupport"]),
        .testTarget(name: "SGDriftTests", dependencies: ["SGDrift", "SGReports", "SGInventory", "SGModel", "SGDiagnostics", "SGAWS", "SGValidation"]),
        .testTarget(name: "SGDeployTests", dependencies: ["SGDeploy", "SGCloudFormation", "SGInventory", "SGAWS", "SGModel", "SGDiagnostics", "SGTestSupport"]),
        .testTarget(name: "SGPolicyTests", dependencies: ["SGPolicy", "SGModel", "SGReports", "SGDiagnostics"]),
        .testTarget(name: "SGImportTests", dependencies: ["SGImport", "SGInventory", "SGConfig", "SGModel", "SGDiagnostics", "SGYAML"]),
        .testTarget(name: "SGActionsTests", dependencies: ["SGActions", "SGDrift", "SGDeploy", "SGImport", "SGTestSupport", "SGIO"]),
    ]
)
