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
        // A config's text edited in place (check-drift --accept): new overrides and accepted risks,
        // every other byte kept, and the unified diff of the change.
        .target(name: "SGConfigEditing", dependencies: ["SGYAML", "SGModel", "SGDiagnostics"]),
        // What the validator says: findings, their kinds with help text and examples, risk levels.
        .target(name: "SGFindings", dependencies: ["SGModel", "SGDiagnostics"]),
        .target(name: "SGValidation", dependencies: ["SGFindings", "SGModel", "SGDiagnostics"]),
        .target(name: "SGCloudFormation", dependencies: ["SGModel", "SGYAML", "SGDiagnostics", "SGConcurrency"]),
        .target(name: "SGReports", dependencies: ["SGModel", "SGValidation", "SGFindings", "SGCloudFormation", "SGDiagnostics", "SGCrypto"]),
        .target(name: "SGCrypto", dependencies: ["CCrypto"]),
        // The AWS client knows nothing of configs, in three layers:
        // the wire: HTTP transport, SigV4, the Query and JSON 1.1 protocols, errors, retries, endpoints.
        .target(name: "SGAWS", dependencies: ["SGCrypto", "SGIO", "SGDiagnostics"]),
        // The credential chain and the session resolving it like the AWS CLI (with STS and SSO, which it calls).
        .target(name: "SGAWSCredentials", dependencies: ["SGAWS", "SGCrypto"]),
        // Typed clients of the services the tool works with: EC2, CloudFormation with StackSets, CloudTrail.
        .target(name: "SGAWSServices", dependencies: ["SGAWS", "SGAWSCredentials"]),
        .target(name: "SGInventory", dependencies: ["SGModel", "SGYAML", "SGDiagnostics", "SGAWSServices"]),
        // After the reports: drift (comparison, revert plan, drift report), deploy (change plans,
        // stack deploy/watch, verification) and the tool's own IAM policy. Actions wire them up.
        .target(name: "SGDrift", dependencies: [
            "SGModel", "SGValidation", "SGFindings", "SGReports", "SGInventory", "SGAWS", "SGAWSServices", "SGDiagnostics", "SGCrypto",
        ]),
        // Who changed a drifted rule: CloudTrail's event history searched per group and matched to
        // the drift report's items (best effort: never fails a drift check).
        .target(name: "SGDriftAttribution", dependencies: ["SGDrift", "SGModel", "SGInventory", "SGAWS", "SGAWSServices"]),
        .target(name: "SGDeploy", dependencies: [
            "SGModel", "SGCloudFormation", "SGReports", "SGInventory", "SGAWS", "SGAWSServices", "SGDiagnostics",
        ]),
        // StackSet deployments: the plan of a StackSet and its instances against what exists, and
        // its operations run and watched to the end in every account and region.
        .target(name: "SGStackSets", dependencies: ["SGDeploy", "SGModel", "SGCloudFormation", "SGAWS", "SGAWSServices"]),
        .target(name: "SGPolicy", dependencies: ["SGModel", "SGValidation", "SGFindings", "SGReports"]),
        // import-security-groups: existing groups (live, snapshot, template) -> config + scenario text.
        .target(name: "SGImport", dependencies: ["SGModel", "SGInventory", "SGConfig", "SGDiagnostics", "SGYAML"]),
        // What every action runs on: its request, environment (files, clock, output, AWS) and context,
        // the outcome and exit codes, the audit log, fan-out over many configs or targets, and the
        // steps actions share (load-validate-compile, the live AWS setup, a file's audit).
        .target(name: "SGActionKit", dependencies: [
            "SGDiagnostics", "SGModel", "SGConfig", "SGValidation", "SGFindings", "SGCloudFormation", "SGReports", "SGInventory", "SGDeploy",
            "SGAWS", "SGAWSCredentials", "SGAWSServices", "SGCrypto", "SGConcurrency", "SGIO",
        ]),
        // The actions on a deployment with targets: every account and region through one fan-out, StackSets.
        .target(name: "SGFleet", dependencies: [
            "SGActionKit", "SGDiagnostics", "SGModel", "SGValidation", "SGFindings", "SGCloudFormation", "SGReports", "SGInventory",
            "SGDrift", "SGDeploy", "SGStackSets", "SGAWS", "SGAWSCredentials", "SGAWSServices",
        ]),
        // The actions, one file each, and the runner that dispatches to them: wiring only.
        .target(name: "SGActions", dependencies: [
            "SGActionKit", "SGFleet", "SGDriftAttribution", "SGInventory", "SGDiagnostics", "SGYAML", "SGModel", "SGConfig",
            "SGConfigEditing", "SGValidation", "SGFindings", "SGCloudFormation", "SGReports", "SGDrift", "SGDeploy", "SGPolicy",
            "SGImport", "SGAWS", "SGAWSCredentials", "SGAWSServices", "SGCrypto", "SGConcurrency", "SGIO",
        ]),
        .executableTarget(name: "sg-provisioner", dependencies: [
            "SGActions", "SGActionKit", "SGAWSCredentials", "SGAWSServices", "SGIO", "CMalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Test helpers shared by test targets: fixture paths, local moto_server and stub servers, an
        // AWS client world with a fixed clock and recorded sleeps, the built binary's runner, the
        // fault-injecting proxy, the accounts of a fleet, a minimal config and its in-memory loader,
        // small deployments for the deploy tests.
        .target(name: "SGTestSupport", dependencies: [
            "SGAWS", "SGAWSCredentials", "SGAWSServices", "SGConfig", "SGModel", "SGDiagnostics", "SGCloudFormation",
        ], path: "Tests/SGTestSupport"),

        // libFuzzer target over the input front end (`make fuzz`); built only with --product FuzzInputs
        // --sanitize=fuzzer, because it holds LLVMFuzzerTestOneInput instead of a main.
        .executableTarget(name: "FuzzInputs", dependencies: [
            "SGYAML", "SGConfig", "SGModel", "SGDiagnostics", "SGValidation", "SGFindings", "SGCloudFormation",
        ]),

        .testTarget(name: "SGDiagnosticsTests", dependencies: ["SGDiagnostics"]),
        .testTarget(name: "SGConcurrencyTests", dependencies: ["SGConcurrency"]),
        .testTarget(name: "SGIOTests", dependencies: ["SGIO"]),
        .testTarget(name: "SGYAMLTests", dependencies: ["SGYAML"]),
        .testTarget(name: "SGModelTests", dependencies: ["SGModel", "SGCrypto"]),
        .testTarget(name: "SGConfigTests", dependencies: ["SGConfig", "SGYAML", "SGModel", "SGTestSupport"]),
        .testTarget(name: "SGConfigEditingTests", dependencies: ["SGConfigEditing", "SGConfig", "SGYAML", "SGModel", "SGDiagnostics", "SGTestSupport"]),
        .testTarget(name: "SGFindingsTests", dependencies: ["SGFindings", "SGModel"]),
        .testTarget(name: "SGValidationTests", dependencies: ["SGValidation", "SGFindings", "SGModel", "SGConfig"]),
        .testTarget(name: "SGCloudFormationTests", dependencies: ["SGCloudFormation", "SGModel", "SGConfig", "SGYAML", "SGDiagnostics"]),
        .testTarget(name: "SGReportsTests", dependencies: ["SGReports", "SGValidation", "SGFindings", "SGConfig"]),
        .testTarget(name: "SGCryptoTests", dependencies: ["SGCrypto"]),
        // The wire layer's tests drive it through the typed clients too.
        .testTarget(name: "SGAWSTests", dependencies: ["SGAWS", "SGAWSCredentials", "SGAWSServices", "SGTestSupport"]),
        .testTarget(name: "SGAWSCredentialsTests", dependencies: ["SGAWSCredentials", "SGAWS", "SGAWSServices", "SGCrypto", "SGTestSupport"]),
        .testTarget(name: "SGAWSServicesTests", dependencies: ["SGAWSServices", "SGAWS", "SGAWSCredentials", "SGTestSupport"]),
        .testTarget(name: "SGInventoryTests", dependencies: ["SGInventory", "SGModel", "SGAWS", "SGAWSCredentials", "SGAWSServices", "SGTestSupport"]),
        .testTarget(name: "SGDriftTests", dependencies: [
            "SGDrift", "SGReports", "SGInventory", "SGModel", "SGDiagnostics", "SGAWS", "SGAWSCredentials", "SGAWSServices", "SGValidation", "SGFindings",
        ]),
        .testTarget(name: "SGDriftAttributionTests", dependencies: [
            "SGDriftAttribution", "SGDrift", "SGInventory", "SGModel", "SGDiagnostics", "SGAWS", "SGAWSCredentials", "SGAWSServices", "SGValidation", "SGFindings",
        ]),
        .testTarget(name: "SGDeployTests", dependencies: [
            "SGDeploy", "SGCloudFormation", "SGInventory", "SGAWS", "SGAWSCredentials", "SGAWSServices", "SGModel", "SGDiagnostics", "SGTestSupport",
        ]),
        .testTarget(name: "SGStackSetsTests", dependencies: [
            "SGStackSets", "SGDeploy", "SGCloudFormation", "SGAWS", "SGAWSServices", "SGModel", "SGDiagnostics", "SGTestSupport",
        ]),
        .testTarget(name: "SGPolicyTests", dependencies: ["SGPolicy", "SGModel", "SGReports", "SGDiagnostics"]),
        .testTarget(name: "SGImportTests", dependencies: ["SGImport", "SGInventory", "SGConfig", "SGModel", "SGDiagnostics", "SGYAML"]),
        .testTarget(name: "SGActionKitTests", dependencies: ["SGActionKit", "SGCloudFormation", "SGConfig", "SGDiagnostics", "SGModel", "SGIO"]),
        .testTarget(name: "SGFleetTests", dependencies: ["SGAWS", "SGAWSCredentials", "SGAWSServices", "SGCrypto", "SGTestSupport"]),
        .testTarget(name: "SGActionsTests", dependencies: ["SGActions", "SGActionKit", "SGDrift", "SGDeploy", "SGImport", "SGTestSupport", "SGIO"]),
    ]
)
