import Foundation
import LuaStore
import Testing
@testable import luastore

/// The parts of ``CLISession`` that do not need a server.
@Suite struct CLISessionTests {
    /// Echoes its argv back as an array, so tests see exactly what was sent.
    struct EchoExecutor: CommandExecutor {
        func execute(_ argv: [ByteString]) -> Reply { .array(argv.map { .bulk($0) }) }
    }

    private func run(_ lines: [String], mode: ReplyFormatter.Mode = .raw) -> (String, CLISession<EchoExecutor>.Outcome) {
        let session = CLISession(executor: EchoExecutor(), mode: mode)
        var output = BufferOutput()
        var outcome = CLISession<EchoExecutor>.Outcome.proceed
        for line in lines where outcome == .proceed {
            outcome = session.handle(line: Array(line.utf8), output: &output)
        }
        return (String(decoding: output.bytes, as: UTF8.self), outcome)
    }

    @Test func repeatCounts() {
        #expect(CLISession<EchoExecutor>.repeatPrefix(Array("3".utf8)) == .some(3))
        #expect(CLISession<EchoExecutor>.repeatPrefix(Array(" +7".utf8)) == .some(7))
        #expect(CLISession<EchoExecutor>.repeatPrefix(Array("-2".utf8)) == .some(-2))
        #expect(CLISession<EchoExecutor>.repeatPrefix([]) == .some(0))
        #expect(CLISession<EchoExecutor>.repeatPrefix(Array("99999999999999999999".utf8)) == .some(nil))
        #expect(CLISession<EchoExecutor>.repeatPrefix(Array("2x".utf8)) == nil)
        #expect(CLISession<EchoExecutor>.repeatPrefix(Array("x".utf8)) == nil)
        #expect(CLISession<EchoExecutor>.repeatPrefix(Array(" ".utf8)) == nil)
    }

    @Test func repeatRunsTheRestOfTheLine() {
        #expect(run(["2 ECHO hi"]).0 == "ECHO\nhi\nECHO\nhi\n")
        #expect(run(["0 ECHO hi"]).0 == "Invalid redis-cli repeat command option value.\n")
        // A lone number is a command, not a count.
        #expect(run(["5"]).0 == "5\n")
    }

    @Test func quitAndExitEndTheSessionInAnyCase() {
        #expect(run(["QuIt", "PING"]) == ("", .quit))
        #expect(run(["exit"]).1 == .quit)
        #expect(run(["\"quit\\x00ignored\""]).1 == .quit)
    }

    @Test func invalidQuotingIsReportedAndTheSessionGoesOn() {
        #expect(run(["ECHO \"open", "PING"]).0 == "Invalid argument(s)\nPING\n")
    }

    /// Takes 0.6 s over SLOW, to see the elapsed-time line redis-cli adds in the human form.
    struct SlowExecutor: CommandExecutor {
        func execute(_ argv: [ByteString]) -> Reply {
            if argv.first == ByteString("SLOW") { usleep(600_000) }
            return .ok
        }
    }

    @Test func slowCommandsShowTheirTimeInTheHumanFormOnly() {
        for (mode, expected) in [(ReplyFormatter.Mode.human, #/^OK\n\(0\.6\ds\)\n$/#), (.raw, #/^OK\n$/#)] {
            let session = CLISession(executor: SlowExecutor(), mode: mode)
            var output = BufferOutput()
            _ = session.handle(line: Array("SLOW".utf8), output: &output)
            #expect(String(decoding: output.bytes, as: UTF8.self).wholeMatch(of: expected) != nil)
        }
    }

    @Test func optionsParseLikeRedisCLIs() throws {
        #expect(try CLICommand.parse(["--raw", "--no-raw"]).outputForm == .noRaw)
        #expect(try CLICommand.parse(["--no-raw", "--raw"]).outputForm == .raw)
        let eval = try CLICommand.parse(["--eval", "f.lua", "k1", ",", "--raw"])
        #expect(eval.evalFile == "f.lua" && eval.words == ["k1", ",", "--raw"] && eval.outputForm == nil)
        #expect(try CLICommand.parse(["SET", "k", "-5"]).words == ["SET", "k", "-5"])
    }

    @Test func evalArgumentsSplitAtTheFirstLoneComma() {
        let script = Array("return 1".utf8)
        func words(_ argv: [[UInt8]]) -> [String] { argv.map { String(decoding: $0, as: UTF8.self) } }
        #expect(words(EvalArguments.argv(script: script, words: [])) == ["EVAL", "return 1", "0"])
        #expect(words(EvalArguments.argv(script: script, words: ["k1", "k2", ",", "a1", ",", "a2"]))
            == ["EVAL", "return 1", "2", "k1", "k2", "a1", ",", "a2"])
        #expect(words(EvalArguments.argv(script: script, words: ["k1,", "a"])) == ["EVAL", "return 1", "2", "k1,", "a"])
    }
}

/// Collects what a ``CLISession`` prints.
struct BufferOutput: OutputSink {
    var bytes: [UInt8] = []
    mutating func write(_ bytes: [UInt8]) { self.bytes += bytes }
}
