import LuaStoreCore

/// One unit of a differential sequence: a command for both sides, or a cursor iteration.
enum DifferentialStep {
    case command(DifferentialCommand)
    /// SCAN/SSCAN/HSCAN/ZSCAN: each side iterates to cursor 0 and the *sets* of returned
    /// elements are compared (Redis may return an element twice, in any order).
    case iteration(DifferentialIteration)

    var argv: [ByteString] {
        switch self {
        case .command(let command): return command.argv
        case .iteration(let iteration): return iteration.argv
        }
    }
}

/// A command sent to both sides and how its two replies are judged.
struct DifferentialCommand {
    var argv: [ByteString]
    var judgement: Judgement = .exact
    /// Sent to the reference only, just before `argv`; its replies reach the judgement
    /// (e.g. `SMEMBERS key` before `SRANDMEMBER key 3`, `OBJECT ENCODING key` before `HGETALL`).
    var probes: [[ByteString]] = []
    /// Sent to the reference only, just after `argv`; their replies follow the probes' in the
    /// `probes` array that `resynchronise` receives (e.g. the contents a command left behind).
    var followUps: [[ByteString]] = []
    /// The reference runs `argv` inside MULTI/EXEC: how Redis runs a blocking command
    /// without blocking, which is what `execute` must do (as inside a script).
    var referenceInTransaction = false
    /// The reply's elements are random or depend on Redis's hash seed (SSCAN from a
    /// nonzero cursor): the RESP3 shape check compares the reply's outer kind only.
    var contentIsRandom = false
    /// Commands sent to the subject only, after the comparison, so that a command whose
    /// effect Redis does not define (SPOP's random pick) leaves both sides in the same state
    /// again. Replies are ignored.
    var resynchronise: ((_ probes: [Reply], _ reference: Reply, _ subject: Reply) -> [[ByteString]])? = nil
}

/// A full cursor iteration; `argv` holds `0` at `cursorIndex` for the first call.
struct DifferentialIteration {
    var argv: [ByteString]
    var cursorIndex: Int
    /// Elements come as field/value (HSCAN) or member/score (ZSCAN) pairs.
    var pairs: Bool
}

/// How the reference reply and the subject reply are compared. Everything is `.exact`
/// unless Redis itself leaves the answer unordered, random or time-dependent.
enum Judgement {
    /// Identical replies (byte for byte on the wire).
    case exact
    /// Integer replies that count time (TTL, PTTL, EXPIRETIME): equal when both are negative
    /// codes, or both non-negative and within `tolerance`.
    case time(tolerance: Int64)
    /// Arrays compared as multisets (KEYS, SMEMBERS, SUNION...). Non-arrays exactly.
    case unordered
    /// Flat arrays of pairs compared as multisets of pairs (HGETALL on a hashtable).
    case unorderedPairs
    /// `probes[0]` is `OBJECT ENCODING key` on the reference: `ordered` on those encodings
    /// (Redis keeps insertion order in a listpack), `otherwise` else.
    case byEncoding(orderedEncodings: Set<String>, ordered: Indirect, otherwise: Indirect)
    /// A random reply: `check(probes, reference, subject)` returns nil if the subject's
    /// reply is one Redis could have given, or the reason it is not.
    case valid((_ probes: [Reply], _ reference: Reply, _ subject: Reply) -> String?)

    /// Boxes a judgement inside another.
    final class Indirect {
        let judgement: Judgement
        init(_ judgement: Judgement) { self.judgement = judgement }
    }

    static func byEncoding(_ encodings: Set<String>, ordered: Judgement, otherwise: Judgement) -> Judgement {
        .byEncoding(orderedEncodings: encodings, ordered: Indirect(ordered), otherwise: Indirect(otherwise))
    }

    /// Nil when the replies agree under this judgement, otherwise the reason.
    func disagreement(probes: [Reply], reference: Reply, subject: Reply) -> String? {
        switch self {
        case .exact:
            return reference == subject ? nil : "replies differ"
        case .time(let tolerance):
            if reference == subject { return nil }
            if case .integer(let r) = reference, case .integer(let s) = subject,
               r >= 0, s >= 0, abs(r - s) <= tolerance {
                return nil
            }
            return "time replies differ by more than \(tolerance) (or a -1/-2 code differs)"
        case .unordered:
            if case .array(let r) = reference, case .array(let s) = subject {
                return Judgement.multiset(r) == Judgement.multiset(s) ? nil : "arrays differ as multisets"
            }
            return reference == subject ? nil : "replies differ"
        case .unorderedPairs:
            if case .array(let r) = reference, case .array(let s) = subject {
                guard r.count % 2 == 0, s.count % 2 == 0 else { return "odd-length pair array" }
                return Judgement.multiset(Judgement.pairs(r)) == Judgement.multiset(Judgement.pairs(s))
                    ? nil : "arrays differ as multisets of pairs"
            }
            return reference == subject ? nil : "replies differ"
        case .byEncoding(let encodings, let ordered, let otherwise):
            let encoding = probes.first?.stringValue ?? ""
            let chosen = encodings.contains(encoding) ? ordered.judgement : otherwise.judgement
            return chosen.disagreement(probes: probes, reference: reference, subject: subject)
                .map { "\($0) (reference encoding: \(encoding.isEmpty ? "none" : encoding))" }
        case .valid(let check):
            return check(probes, reference, subject)
        }
    }

    static func multiset<T: Hashable>(_ items: [T]) -> [T: Int] {
        var counts: [T: Int] = [:]
        for item in items { counts[item, default: 0] += 1 }
        return counts
    }

    static func pairs(_ items: [Reply]) -> [[Reply]] {
        stride(from: 0, to: items.count - 1, by: 2).map { [items[$0], items[$0 + 1]] }
    }
}
