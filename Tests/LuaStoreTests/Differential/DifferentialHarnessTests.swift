import LuaStore
import Testing
import TestSupport

/// Checks of the harness itself: two redis-servers must always agree under it (no false
/// alarms from timing, randomness or ordering), and a subject that is wrong must be caught.
@Suite("Differential harness")
struct DifferentialHarnessTests {
    @Test("two redis-servers agree on every family")
    func twoRedisServersAgree() throws {
        try RedisServer.with { reference in
            try RedisServer.with { twin in
                for family in CommandFamily.allCases {
                    let runner = DifferentialRunner(
                        family: family.rawValue, reference: try reference.connect(), subject: RedisTwin(client: try twin.connect()))
                    let mismatches = try runner.run(seeds: [0xA11CE, 0xB0B], steps: 1_000) { family.step(&$0) }
                    reportMismatches(mismatches)
                }
            }
        }
    }

    /// A redis-server whose STRLEN answers one too many.
    struct OffByOne: DifferentialSubject {
        let inner: RedisTwin
        func execute(_ argv: [ByteString]) throws -> Reply {
            let reply = try inner.execute(argv)
            if argv.first.map({ $0.string.uppercased() }) == "STRLEN", case .integer(let n) = reply {
                return .integer(n + 1)
            }
            return reply
        }
    }

    @Test("a wrong reply is reported with its seed, step, command and both replies")
    func wrongReplyIsCaught() throws {
        let mismatches = try RedisServer.with { reference in
            try RedisServer.with { twin in
                let runner = DifferentialRunner(
                    family: "strings", reference: try reference.connect(),
                    subject: OffByOne(inner: RedisTwin(client: try twin.connect())), maxMismatches: 3)
                return try runner.run(seeds: [42], steps: 2_000) { $0.stringCommand() }
            }
        }
        try #require(mismatches.count == 3)
        let first = mismatches[0]
        #expect(first.argv.first?.string.uppercased() == "STRLEN")
        #expect(first.seed == 42)
        guard case .integer(let expected) = first.reference, case .integer(let got) = first.subject else {
            Issue.record("expected integer replies, got \(first.reference) and \(first.subject)")
            return
        }
        #expect(got == expected + 1)
        #expect(first.description.contains("seed 42 step \(first.step)"))
        #expect(first.history.count == min(first.step, 10))
        #expect(first.history.last?.step == first.step - 1)
    }

    @Test("a subject missing an element of an unordered reply is caught")
    func unorderedJudgementIsStrict() {
        let reference = Reply.array([.bulk("a"), .bulk("b"), .bulk("b")])
        #expect(Judgement.unordered.disagreement(probes: [], reference: reference,
                                                 subject: .array([.bulk("b"), .bulk("a"), .bulk("b")])) == nil)
        #expect(Judgement.unordered.disagreement(probes: [], reference: reference,
                                                 subject: .array([.bulk("b"), .bulk("a")])) != nil)
        #expect(Judgement.unorderedPairs.disagreement(
            probes: [], reference: .array([.bulk("f"), .bulk("1"), .bulk("g"), .bulk("2")]),
            subject: .array([.bulk("f"), .bulk("2"), .bulk("g"), .bulk("1")])) != nil)
        #expect(Judgement.time(tolerance: 2).disagreement(probes: [], reference: .integer(-1), subject: .integer(0)) != nil)
        #expect(Judgement.time(tolerance: 2).disagreement(probes: [], reference: .integer(100), subject: .integer(99)) == nil)
    }
}
