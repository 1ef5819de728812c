import SGCloudFormation
import SGConfig
import SGDiagnostics
import SGModel
import SGValidation
import SGYAML

// libFuzzer entry point over the whole input front end: the YAML parser on its own, then the
// config + scenario loader on an in-memory file system, and, when the input loads cleanly, the
// validator, the compiler and the template writers (their input is the loader's output, so a
// loader bug that lets something odd through surfaces there).
//
// Input layout: config bytes, a 0x00 separator, scenario bytes. Without a separator the whole
// input is the config and the scenario is empty. NUL never occurs in a valid YAML file, so the
// split costs the fuzzer no expressible input.

/// The file the fuzzed config is read from.
private let configPath = "configs/fuzz.yaml"
/// The directory every scenario name resolves into.
private let scenariosDirectory = "scenarios"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInputs(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let separator = bytes.firstIndex(of: 0)
    let configBytes = separator.map { Array(bytes[..<$0]) } ?? bytes
    let scenarioBytes = separator.map { Array(bytes[($0 + 1)...]) } ?? []

    // 1. The YAML front end alone, on both halves: it must never trap, whatever the bytes.
    for (path, part) in [(configPath, configBytes), ("\(scenariosDirectory)/fuzz.yaml", scenarioBytes)] {
        if let document = try? YAMLParser().parse(SourceFile(path: path, bytes: part)) {
            _ = document.root.map(describeShape)
        }
    }

    // 2. The loader, with every scenario name resolving to the scenario half.
    let loader = DeploymentLoader(
        readFile: { path in path == configPath ? configBytes : scenarioBytes },
        fileExists: { path in path == configPath || path.hasPrefix("\(scenariosDirectory)/") },
        configsDirectory: "configs", scenariosDirectory: scenariosDirectory,
        listFiles: { _ in ["fuzz.yaml"] })
    let result = loader.load(config: "fuzz")
    // Rendering quotes source lines at every location: exercise it like the CLI does.
    let sources = result.sources
    let renderer = DiagnosticRenderer(useColor: false) { file, line in
        sources.first { $0.path == file }?.line(line)
    }
    _ = renderer.render(result.diagnostics.sorted)

    // 3. Downstream stages on what the loader accepted.
    if let deployment = result.deployment {
        let validation = ScenarioValidator().validate(deployment, today: CalendarDate(year: 2026, month: 5, day: 5))
        _ = validation.findings.count
        let compilation = TemplateCompiler(toolVersion: "fuzz").compile(deployment)
        for stack in compilation.stacks {
            _ = stack.template.renderYAML()
            _ = stack.template.renderJSON()
        }
    }
    return 0
}

/// Walks a node tree without recursion (a deep tree must not overflow the harness itself) and
/// touches every accessor a reader uses.
private func describeShape(_ root: YAMLNode) -> Int {
    var pending = [root]
    var visited = 0
    while let node = pending.popLast(), visited < 1_000_000 {
        visited += 1
        _ = node.kindName
        _ = node.isNull
        switch node.content {
        case .scalar(let scalar): _ = scalar.value.utf8.count
        case .sequence(let items): pending.append(contentsOf: items)
        case .mapping(let entries):
            for entry in entries {
                pending.append(entry.key)
                pending.append(entry.value)
            }
        }
    }
    return visited
}
