import Foundation

/// The package's root directory (this file is Tests/TestSupport/GeneratedFiles.swift).
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Whether the generator `script` (a path under the package root, run with `--check`)
/// finds the file it writes up to date.
public func generatedFileIsCurrent(_ script: String) throws -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", packageRoot.appendingPathComponent(script).path, "--check"]
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus == 0
}
