import Foundation
import LuaStore

/// The read-eval-print loop of `luastore cli`, minus the reading: what redis-cli's `repl()`
/// does with each line, against a ``CallerExecutor`` (a store ``Session``) instead of a
/// connection.
///
/// Per line, as redis-cli 7.0 does:
/// - the line is split with ``ArgumentSplitter``; bad quoting prints `Invalid argument(s)`;
///   a blank line does nothing;
/// - a leading number (`3 INCR counter`) repeats the command; zero, negative or overflowing
///   counts print `Invalid redis-cli repeat command option value.`;
/// - `quit` / `exit` end the session; `:set hints|nohints` is accepted and anything else
///   starting with `:` is reported as an unknown preference; `restart` outside the Lua
///   debugger prints redis-cli's refusal; `clear` clears the screen;
/// - anything else goes to the executor and its reply is printed with ``ReplyFormatter``;
///   in the human form a command that took half a second or more is followed by its time,
///   `(1.23s)`.
///
/// Not imitated: `help` / `?` (redis-cli prints its command docs, fetched from the server
/// with COMMAND DOCS) and `connect HOST PORT` (there is no server to switch to) go to the
/// store like any other command; there is no Lua debugger (`--ldb`), and the prompt does
/// not show `[db]` or `(TX)`.
///
/// # Thread safety
/// A value owned by the one thread that reads input.
struct CLISession<Executor: CallerExecutor> {
    enum Outcome: Equatable {
        case proceed
        case quit
    }

    let executor: Executor
    let mode: ReplyFormatter.Mode

    /// Handles one input line (without its `\n`) and writes what redis-cli would print.
    func handle(line: [UInt8], output: inout some OutputSink) -> Outcome {
        // linenoise hands redis-cli a C string: the line ends at its first NUL.
        let line = Array(line.prefix { $0 != 0 })
        if line.isEmpty { return .proceed }
        guard let argv = ArgumentSplitter.split(line) else {
            output.write(Array("Invalid argument(s)\n".utf8))
            return .proceed
        }
        guard let first = argv.first else { return .proceed }

        var repeatCount = 1
        var command = argv
        if argv.count > 1, let parsed = Self.repeatPrefix(first) {
            guard let count = parsed, count > 0 else {
                output.write(Array("Invalid redis-cli repeat command option value.\n".utf8))
                return .proceed
            }
            repeatCount = count
            command = Array(argv.dropFirst())
        }

        // Like redis-cli, these look at the first word even when it was a repeat count.
        if Self.equalsIgnoringCase(first, "quit") || Self.equalsIgnoringCase(first, "exit") {
            return .quit
        } else if first.first == UInt8(ascii: ":") {
            output.write(Array(Self.preferenceMessage(argv).utf8))
        } else if Self.equalsIgnoringCase(first, "restart") {
            output.write(Array("Use 'restart' only in Lua debugging mode.\n".utf8))
        } else if argv.count == 1 && Self.equalsIgnoringCase(first, "clear") {
            output.write(Array("\u{1b}[H\u{1b}[2J".utf8))
        } else {
            let start = monotonicNanoseconds()
            run(command, times: repeatCount, output: &output)
            // redis-cli measures in whole milliseconds (mstime) and prints with %.2f.
            let milliseconds = (monotonicNanoseconds() - start) / 1_000_000
            if mode == .human && milliseconds >= 500 {
                output.write(Array(String(format: "(%.2fs)\n", Double(milliseconds) / 1000).utf8))
            }
        }
        return .proceed
    }

    /// Runs `argv` `times` times, printing each reply.
    func run(_ argv: [[UInt8]], times: Int = 1, output: inout some OutputSink) {
        let verbatim = ReplyFormatter.printsVerbatim(argv)
        let arguments = argv.map { ByteString($0) }
        for _ in 0..<times {
            let reply = executor.execute(arguments)
            output.write(ReplyFormatter.format(reply, mode: mode, verbatim: verbatim))
        }
    }

    /// The repeat count if `word` is one for redis-cli: `strtol(word, &end, 10)` consumed the
    /// whole word (so an empty word counts, as 0). The inner optional is `nil` when the
    /// number overflows a C `long` (ERANGE). Returns `nil` when `word` is not a number.
    static func repeatPrefix(_ word: [UInt8]) -> Int?? {
        var i = 0
        while i < word.count && ArgumentSplitter.isCSpace(word[i]) { i += 1 }
        var negative = false
        if i < word.count && (word[i] == UInt8(ascii: "+") || word[i] == UInt8(ascii: "-")) {
            negative = word[i] == UInt8(ascii: "-")
            i += 1
        }
        let digitsStart = i
        var value = 0
        var overflow = false
        while i < word.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(word[i]) {
            let digit = Int(word[i] - UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(digit)
            if o1 || o2 { overflow = true } else { value = sum }
            i += 1
        }
        // With no digits, strtol leaves `end` at the start of the word.
        if i == digitsStart { return word.isEmpty ? .some(0) : nil }
        if i != word.count { return nil }
        if overflow { return .some(nil) }
        return .some(negative ? -value : value)
    }

    /// redis-cli's answer to a `:` line (`cliSetPreferences`, interactive form).
    static func preferenceMessage(_ argv: [[UInt8]]) -> String {
        let text = argv.map { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if equalsIgnoringCase(argv[0], ":set") && argv.count >= 2 {
            if equalsIgnoringCase(argv[1], "hints") || equalsIgnoringCase(argv[1], "nohints") {
                // Hints are a line-editing feature; luastore has none, so nothing changes.
                return ""
            }
            return "unknown redis-cli preference '\(text[1])'\n"
        }
        return "unknown redis-cli internal command '\(text[0])'\n"
    }

    /// `strcasecmp(bytes, word) == 0` for an ASCII `word`; like the C call, the comparison
    /// ends at a NUL.
    static func equalsIgnoringCase(_ bytes: [UInt8], _ word: String) -> Bool {
        let lowered = bytes.prefix { $0 != 0 }.map { (0x41...0x5a).contains($0) ? $0 | 0x20 : $0 }
        return lowered.elementsEqual(word.utf8)
    }
}
