import ArgumentParser
import Foundation
import LuaStore

/// `luastore benchmark`: redis-benchmark's command-line shape, run in process against a
/// fresh store by ``BenchmarkRunner``.
///
///     luastore benchmark -n 100000 -c 2 -r 1000000 SET key:__rand_int__ value
///     luastore benchmark -q --load incr.lua EVALSHA __sha__ 1 counter:__rand_int__
///
/// `-c` counts threads, not connections: each one is a real thread in a tight loop, so more
/// threads than cores measures the scheduler rather than the store.
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Measure throughput and latency of one command against an in-process store, like redis-benchmark."
    )

    @Option(name: .customShort("n"), help: ArgumentHelp("Total number of requests.", valueName: "requests"))
    var requests = 100_000

    @Option(name: .customShort("c"), help: ArgumentHelp("Number of concurrent threads (the default is the number of cores).", valueName: "threads"))
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customShort("r"), help: ArgumentHelp("Replace __rand_int__ in arguments with random numbers in 0..<keyspace.", valueName: "keyspace"))
    var keyspace: UInt64?

    @Option(name: .customShort("P"), help: ArgumentHelp("Commands timed together per clock reading (each recorded with the batch's latency).", valueName: "batch"))
    var pipeline = 1

    @Flag(name: .customShort("q"), help: "Quiet: print only requests per second and p50.")
    var quiet = false

    @Flag(name: .customLong("csv"), help: "Print redis-benchmark's CSV header and one row.")
    var csv = false

    @Option(name: .customLong("load"), help: ArgumentHelp("SCRIPT LOAD this Lua file first; __sha__ in arguments becomes its SHA1.", valueName: "file"))
    var scriptFile: String?

    @Option(help: "Seed for __rand_int__ draws (default: random).")
    var seed: UInt64?

    @Flag(help: "Answer every command with +OK without a store, to measure the generator's own cost.")
    var overhead = false

    @OptionGroup var scripting: ScriptingOptions

    @OptionGroup var memory: MemoryOptions

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.")
    var command: [String] = []

    func validate() throws {
        // The passthrough capture would swallow a leading --help as a command word.
        if let first = command.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
        if command.isEmpty { throw ValidationError("Give the command to run, e.g. SET key:__rand_int__ value") }
        if requests < 1 { throw ValidationError("-n must be at least 1") }
        if threads < 1 { throw ValidationError("-c must be at least 1") }
        if pipeline < 1 { throw ValidationError("-P must be at least 1") }
    }

    func run() throws {
        let store = LuaStore(configuration: try scripting.storeConfiguration())
        try memory.apply(to: store)
        var sha: String?
        do {
            if let scriptFile { sha = try Self.loadScript(scriptFile, into: store) }
            let template = try CommandTemplate(arguments: command, keyspace: keyspace, sha: sha)
            if let sha {
                // Keep -q and --csv output machine-readable: the SHA goes to stderr there.
                var channel = quiet || csv ? FileDescriptorOutput.standardError : FileDescriptorOutput.standardOutput
                channel.write(Array("SCRIPT LOAD \(scriptFile!): \(sha)\n".utf8))
            }
            let runner = BenchmarkRunner(
                requests: requests, threads: threads, pipeline: pipeline,
                seed: seed ?? UInt64.random(in: .min ... .max), template: template
            )
            let executor: any CommandExecutor = overhead ? NullExecutor() : store
            let result = runner.run(against: executor)
            let title = command.joined(separator: " ")
            let text: String
            if csv {
                text = BenchmarkReport.csvHeader + "\n" + BenchmarkReport.csvRow(title: title, result: result)
            } else if quiet {
                text = BenchmarkReport.quietLine(title: title, result: result)
            } else {
                text = BenchmarkReport.fullReport(title: title, result: result, pipeline: pipeline, keyspace: keyspace)
            }
            var output = FileDescriptorOutput.standardOutput
            output.write(Array(text.utf8))
        } catch {
            var output = FileDescriptorOutput.standardError
            switch error {
            case .usage(let message): output.write(Array("\(message)\n".utf8))
            case .scriptLoad(let message): output.write(Array("SCRIPT LOAD failed: \(message)\n".utf8))
            }
            throw ExitCode(1)
        }
    }

    /// Sends `SCRIPT LOAD <file contents>` and returns the SHA1 the store answers.
    static func loadScript(_ path: String, into executor: some CommandExecutor) throws(BenchmarkError) -> String {
        guard let script = readWholeFile(atPath: path) else {
            throw .usage("Can't open file '\(path)': \(String(cString: strerror(errno)))")
        }
        let reply = executor.execute([ByteString("SCRIPT"), ByteString("LOAD"), ByteString(script)])
        switch reply {
        case .bulk(let sha): return sha.string
        case .error(let message): throw .scriptLoad(message)
        default: throw .scriptLoad("unexpected reply \(reply)")
        }
    }
}

/// Answers `+OK` to everything: the executor of `--overhead`, so that what remains of a
/// request's cost is the generator's own (loop, clock reads, histogram).
struct NullExecutor: CommandExecutor {
    func execute(_ argv: [ByteString]) -> Reply { .ok }
}
