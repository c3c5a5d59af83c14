import Foundation
import LuaStore
import TestSupport

/// Whatever is compared with the reference redis-server: LuaStore, or (to validate the
/// harness) a second redis-server.
protocol DifferentialSubject {
    func execute(_ argv: [ByteString]) throws -> Reply
}

extension LuaStore: DifferentialSubject {}

/// LuaStore answering a RESP3 caller (`execute(_:protocol: .resp3)`).
struct RESP3Store: DifferentialSubject {
    let store: LuaStore
    func execute(_ argv: [ByteString]) throws -> Reply { store.execute(argv, protocol: .resp3) }
}

/// A second redis-server as the subject, to check the harness: blocking commands (and
/// XREAD with BLOCK) run inside MULTI/EXEC, as they do on the reference, so that they never block.
struct RedisTwin: DifferentialSubject {
    static let blockingCommands: Set<String> = [
        "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP",
    ]
    let client: RESPClient

    func execute(_ argv: [ByteString]) throws -> Reply {
        guard let name = argv.first?.string.uppercased(),
              RedisTwin.blockingCommands.contains(name) || (name == "XREAD" && argv.contains { $0.string.uppercased() == "BLOCK" }) else {
            return try client.call(argv)
        }
        let replies = try client.send([["MULTI"], argv, ["EXEC"]])
        return transactionResult(queued: replies[1], exec: replies[2])
    }
}

/// The reply of the one command queued in a MULTI/EXEC: its queuing error, or its result.
func transactionResult(queued: Reply, exec: Reply) -> Reply {
    if case .error = queued { return queued }
    if case .array(let results) = exec, results.count == 1 { return results[0] }
    return exec
}

/// One disagreement between the reference and the subject, with what is needed to replay it.
struct Mismatch: CustomStringConvertible {
    var family: String
    var seed: UInt64
    var step: Int
    var argv: [ByteString]
    var reference: Reply
    var subject: Reply
    var reason: String
    var history: [(step: Int, argv: [ByteString])]

    var description: String {
        var text = """
            [\(family)] seed \(seed) step \(step): \(reason)
              command:     \(describeArgv(argv))
              redis-server: \(reference.diffDescription)
              LuaStore:     \(subject.diffDescription)
            """
        if !history.isEmpty {
            text += "\n  previous commands (oldest first):"
            for entry in history { text += "\n    #\(entry.step) \(describeArgv(entry.argv))" }
        }
        return text
    }
}

/// Runs seeded random command sequences against a reference redis-server and a subject,
/// comparing every reply.
///
/// For each seed, both sides are flushed, then `steps` generated commands run in order.
/// Plain commands are pipelined to the reference in batches; the subject executes them one
/// by one after the batch, in the same order, so both see the same sequence. After a
/// mismatch both sides are flushed again (so one bug does not cascade into many reports)
/// and the sequence goes on, up to `maxMismatches`.
///
/// Time: both sides read the wall clock, and expirations are chosen far apart (see
/// `CommandGenerator`), so only TTL-reading replies need a tolerance. A command that takes
/// seconds on one side would break that assumption, hence no 512 MB values.
struct DifferentialRunner {
    var family: String
    var reference: RESPClient
    var subject: any DifferentialSubject
    var maxMismatches = 200
    var batchSize = 128
    var historyLength = 10
    /// With `.resp3` the reference connection must have said HELLO 3 and the subject must
    /// answer RESP3 (``RESP3Store``): each pair of replies must then have the same RESP3
    /// shape, and the judgement compares them as RESP2 clients would get them
    /// (``RESP3Shapes``), so that the family generators' judgements apply unchanged.
    var protocolVersion: RESPVersion = .resp2

    /// The generator is called once per step with the seed's own random state.
    func run(
        seeds: [UInt64], steps: Int, generator: (inout CommandGenerator) -> DifferentialStep
    ) throws -> [Mismatch] {
        var mismatches: [Mismatch] = []
        for seed in seeds {
            var state = SeedState(seed: seed)
            var gen = CommandGenerator(seed: seed, nowMilliseconds: currentUnixMilliseconds())
            if let failure = try flushBoth(seed: seed, step: 0, state: state) {
                return mismatches + [failure]
            }
            var pending: [DifferentialCommand] = []
            var firstPendingStep = 0
            for step in 0..<steps {
                let next = generator(&gen)
                switch next {
                case .command(let command):
                    if pending.isEmpty { firstPendingStep = step }
                    pending.append(command)
                    if pending.count >= batchSize {
                        try runBatches(pending, firstStep: firstPendingStep, state: &state, into: &mismatches)
                        pending.removeAll()
                    }
                case .iteration(let iteration):
                    try runBatches(pending, firstStep: firstPendingStep, state: &state, into: &mismatches)
                    pending.removeAll()
                    try runIteration(iteration, step: step, state: &state, into: &mismatches)
                }
                if mismatches.count >= maxMismatches { return Array(mismatches.prefix(maxMismatches)) }
            }
            try runBatches(pending, firstStep: firstPendingStep, state: &state, into: &mismatches)
            if mismatches.count >= maxMismatches { return Array(mismatches.prefix(maxMismatches)) }
        }
        return mismatches
    }

    /// Per-seed bookkeeping.
    private struct SeedState {
        var seed: UInt64
        var history: [(step: Int, argv: [ByteString])] = []
        init(seed: UInt64) { self.seed = seed }
    }

    /// Runs `batch`; after a mismatch (which flushes both sides) the rest of the batch runs
    /// again from the empty stores.
    private func runBatches(
        _ batch: [DifferentialCommand], firstStep: Int, state: inout SeedState, into mismatches: inout [Mismatch]
    ) throws {
        var remaining = batch[...]
        var step = firstStep
        while !remaining.isEmpty && mismatches.count < maxMismatches {
            let done = try runBatch(Array(remaining), firstStep: step, state: &state, into: &mismatches)
            remaining = remaining.dropFirst(done)
            step += done
        }
    }

    private func flushBoth(seed: UInt64, step: Int, state: SeedState) throws -> Mismatch? {
        let argv: [ByteString] = ["FLUSHALL"]
        let r = try reference.call(argv)
        let s = try subject.execute(argv)
        guard r == s else {
            return Mismatch(family: family, seed: seed, step: step, argv: argv, reference: r, subject: s,
                            reason: "FLUSHALL failed; cannot compare from a common state", history: state.history)
        }
        return nil
    }

    private func record(_ argv: [ByteString], step: Int, state: inout SeedState) {
        state.history.append((step, argv))
        if state.history.count > historyLength { state.history.removeFirst() }
    }

    /// Runs the batch up to and including its first mismatch; returns how many commands ran.
    private func runBatch(
        _ batch: [DifferentialCommand], firstStep: Int, state: inout SeedState, into mismatches: inout [Mismatch]
    ) throws -> Int {
        var wire: [[ByteString]] = []
        for command in batch {
            wire.append(contentsOf: command.probes)
            if command.referenceInTransaction {
                wire.append(["MULTI"])
                wire.append(command.argv)
                wire.append(["EXEC"])
            } else {
                wire.append(command.argv)
            }
            wire.append(contentsOf: command.followUps)
        }
        let replies = try reference.send(wire)
        var cursor = 0
        for (offset, command) in batch.enumerated() {
            let step = firstStep + offset
            let probes = Array(replies[cursor..<cursor + command.probes.count])
            cursor += command.probes.count
            let referenceReply: Reply
            if command.referenceInTransaction {
                referenceReply = transactionResult(queued: replies[cursor + 1], exec: replies[cursor + 2])
                cursor += 3
            } else {
                referenceReply = replies[cursor]
                cursor += 1
            }
            let followUps = Array(replies[cursor..<cursor + command.followUps.count])
            cursor += command.followUps.count
            var subjectReply = try subject.execute(command.argv)
            var judged = (probes: probes, reference: referenceReply, subject: subjectReply, followUps: followUps)
            var shapeReason: String? = nil
            if protocolVersion == .resp3 {
                subjectReply = RESP3Shapes.oneNull(subjectReply)
                let signature = command.contentIsRandom ? RESP3Shapes.kind : RESP3Shapes.signature
                if signature(referenceReply) != signature(subjectReply) {
                    shapeReason = "RESP3 shapes differ"
                }
                judged = (
                    probes: zip(command.probes, probes).map { RESP3Shapes.asRESP2($1, argv: $0) },
                    reference: RESP3Shapes.asRESP2(referenceReply, argv: command.argv),
                    subject: RESP3Shapes.asRESP2(subjectReply, argv: command.argv),
                    followUps: zip(command.followUps, followUps).map { RESP3Shapes.asRESP2($1, argv: $0) })
            }
            if let reason = shapeReason ?? command.judgement.disagreement(
                probes: judged.probes, reference: judged.reference, subject: judged.subject
            ) {
                mismatches.append(Mismatch(
                    family: family, seed: state.seed, step: step, argv: command.argv,
                    reference: referenceReply, subject: subjectReply, reason: reason, history: state.history))
                // The rest of the batch ran on the reference from a state the subject no
                // longer shares: start again from empty stores.
                try restart(after: step, state: &state, into: &mismatches)
                return offset + 1
            }
            record(command.argv, step: step, state: &state)
            if let resynchronise = command.resynchronise {
                for argv in resynchronise(judged.probes + judged.followUps, judged.reference, judged.subject) {
                    _ = try subject.execute(argv)
                }
            }
        }
        return batch.count
    }

    /// Flushes both sides after a mismatch, so one bug does not cascade into many reports.
    private func restart(after step: Int, state: inout SeedState, into mismatches: inout [Mismatch]) throws {
        if let failure = try flushBoth(seed: state.seed, step: step, state: state) {
            mismatches.append(failure)
            throw DifferentialError(description: "FLUSHALL failed after a mismatch:\n\(failure)")
        }
        state.history = [(step, ["FLUSHALL", "(harness: both sides reset after the mismatch)"])]
    }

    private func runIteration(
        _ iteration: DifferentialIteration, step: Int, state: inout SeedState, into mismatches: inout [Mismatch]
    ) throws {
        let r = try iterate(iteration) { try reference.call($0) }
        let s = try iterate(iteration) { try subject.execute($0) }
        var reason: String?
        switch (r, s) {
        case (.success(let a), .success(let b)):
            if a.elements != b.elements { reason = "iterations returned different sets of elements" }
        case (.failure(let a), .failure(let b)):
            if a.reply != b.reply { reason = "iterations failed differently" }
        default:
            reason = "one iteration failed, the other did not"
        }
        if let reason {
            func summary(_ result: Result<IterationResult, IterationFailure>) -> Reply {
                switch result {
                case .success(let found):
                    return .array(found.elements.sorted { $0.diffDescription < $1.diffDescription })
                case .failure(let failure): return failure.reply
                }
            }
            mismatches.append(Mismatch(
                family: family, seed: state.seed, step: step, argv: iteration.argv,
                reference: summary(r), subject: summary(s), reason: reason + " (full iteration)",
                history: state.history))
            try restart(after: step, state: &state, into: &mismatches)
            return
        }
        record(iteration.argv, step: step, state: &state)
    }

    private struct IterationResult { var elements: Set<Reply> }
    private struct IterationFailure: Error { var reply: Reply }

    /// Calls the command from cursor 0 until the cursor is 0 again (at most 10,000 calls).
    private func iterate(
        _ iteration: DifferentialIteration, _ call: ([ByteString]) throws -> Reply
    ) throws -> Result<IterationResult, IterationFailure> {
        var argv = iteration.argv
        var cursor: ByteString = "0"
        var elements = Set<Reply>()
        for _ in 0..<10_000 {
            argv[iteration.cursorIndex] = cursor
            let reply = try call(argv)
            guard case .array(let parts) = reply, parts.count == 2,
                  case .bulk(let next) = parts[0], case .array(let found) = parts[1] else {
                return .failure(IterationFailure(reply: reply))
            }
            if iteration.pairs {
                guard found.count % 2 == 0 else { return .failure(IterationFailure(reply: reply)) }
                for pair in Judgement.pairs(found) { elements.insert(.array(pair)) }
            } else {
                elements.formUnion(found)
            }
            cursor = next
            if cursor == "0" { return .success(IterationResult(elements: elements)) }
        }
        return .failure(IterationFailure(reply: .error("(harness) cursor did not return to 0 in 10000 calls")))
    }
}

struct DifferentialError: Error, CustomStringConvertible {
    let description: String
}

func currentUnixMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
}

/// Comparing RESP3 replies: their shapes, and their RESP2 equivalents.
enum RESP3Shapes {
    /// RESP3 has one null: the subject's null array is the null the reference client reads.
    static func oneNull(_ reply: Reply) -> Reply {
        switch reply {
        case .nullArray: return .null
        case .array(let items): return .array(items.map(oneNull))
        default: return reply
        }
    }

    /// The kinds of a reply and of everything in it, without the values or the counts:
    /// each aggregate lists the distinct signatures of its children, sorted (random and
    /// paged replies may differ in length; their contents are judged on the RESP2
    /// equivalents).
    /// The reply's kind, without its elements' shapes.
    static func kind(_ reply: Reply) -> String {
        String(signature(reply).prefix(1))
    }

    static func signature(_ reply: Reply) -> String {
        switch reply {
        case .status: return "+"
        case .error: return "-"
        case .integer: return ":"
        case .bulk: return "$"
        case .null, .nullArray: return "_"
        case .double: return ","
        case .boolean: return "#"
        case .bigNumber: return "("
        case .verbatim: return "="
        case .array(let items): return "*[" + Set(items.map(signature)).sorted().joined(separator: " ") + "]"
        case .set(let items): return "~{" + Set(items.map(signature)).sorted().joined(separator: " ") + "}"
        case .map(let entries):
            return "%{" + Set(entries.map { signature($0.key) + ":" + signature($0.value) }).sorted().joined(separator: " ") + "}"
        }
    }

    /// What a RESP2 client gets for the same command: the pairs of WITHSCORES, WITHVALUES
    /// and ZPOPMIN/ZPOPMAX with a count flattened, then RESP3 kinds downgraded.
    static func asRESP2(_ reply: Reply, argv: [ByteString]) -> Reply {
        var reply = reply
        let name = argv.first?.asciiLowercased() ?? ""
        let flattens = argv.dropFirst().contains { ["withscores", "withvalues"].contains($0.asciiLowercased()) }
            || ((name == "zpopmin" || name == "zpopmax") && argv.count == 3)
        if flattens, case .array(let items) = reply,
           items.allSatisfy({ if case .array(let pair) = $0 { pair.count == 2 } else { false } }) {
            reply = .array(items.flatMap { $0.arrayValue ?? [] })
        }
        return reply.downgradedToRESP2()
    }
}
