import ArgumentParser
import LuaStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `luastore cli`: redis-cli against a fresh in-memory store.
///
/// - `luastore cli CMD ARG...` runs one command, like `redis-cli CMD ARG...`.
/// - `luastore cli --eval FILE key1 key2 , arg1 arg2` runs a script file, like redis-cli's
///   `--eval` (see ``EvalArguments``).
/// - `luastore cli` alone reads commands from standard input, one per line, with a
///   `luastore> ` prompt when that input is a terminal (see ``CLISession``).
///
/// Replies print as redis-cli prints them: the raw form when standard output is not a
/// terminal, the human form when it is (or when `FAKETTY` is set, as redis-cli honours it);
/// `--raw` and `--no-raw` force one, the last given winning.
struct CLICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cli",
        abstract: "Run Redis commands against a fresh in-memory store, printing replies as redis-cli does."
    )

    enum OutputForm: EnumerableFlag {
        case raw
        case noRaw

        static func help(for value: OutputForm) -> ArgumentHelp? {
            switch value {
            case .raw: "Print raw replies, even on a terminal."
            case .noRaw: "Print human-readable replies, even when not on a terminal."
            }
        }
    }

    @Flag(exclusivity: .chooseLast)
    var outputForm: OutputForm?

    @Flag(name: .customShort("3"), help: "Get RESP3 replies (doubles, maps, sets...), as redis-cli -3 does.")
    var resp3 = false

    @Option(name: .customLong("eval"), help: ArgumentHelp("Send an EVAL of this Lua file; the words after it are keys, then ',' then arguments.", valueName: "file"))
    var evalFile: String?

    @OptionGroup var scripting: ScriptingOptions

    @OptionGroup var memory: MemoryOptions

    @Argument(parsing: .captureForPassthrough, help: "A command and its arguments; without one, commands are read from standard input.")
    var words: [String] = []

    func validate() throws {
        // The passthrough capture would swallow a leading --help as a command word.
        if let first = words.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
    }

    func run() throws {
        let store = LuaStore(configuration: try scripting.storeConfiguration())
        try memory.apply(to: store)
        // One session for the whole input, as redis-cli keeps one connection.
        let session = store.session()
        if resp3 { session.execute(["HELLO", "3"]) }
        try run(CLISession(executor: session, mode: outputMode))
    }

    private func run<Executor: CallerExecutor>(_ session: CLISession<Executor>) throws {
        var output = FileDescriptorOutput.standardOutput
        if let evalFile {
            guard let script = readWholeFile(atPath: evalFile) else {
                var error = FileDescriptorOutput.standardError
                error.write(Array("Can't open file '\(evalFile)': \(String(cString: strerror(errno)))\n".utf8))
                throw ExitCode(1)
            }
            session.run(EvalArguments.argv(script: script, words: words), output: &output)
        } else if !words.isEmpty {
            session.run(words.map { Array($0.utf8) }, output: &output)
        } else {
            let interactive = isatty(0) != 0
            var reader = LineReader()
            while true {
                if interactive { output.write(Array("luastore> ".utf8)) }
                guard let line = reader.next(), session.handle(line: line, output: &output) == .proceed else { break }
            }
        }
    }

    private var outputMode: ReplyFormatter.Mode {
        switch outputForm {
        case .raw: .raw
        case .noRaw: .human
        case nil: isatty(1) != 0 || getenv("FAKETTY") != nil ? .human : .raw
        }
    }
}
