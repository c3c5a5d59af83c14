import LuaStoreCore

/// How ZUNION / ZINTER combine the weighted scores of a member found in several inputs.
public enum ScoreAggregate: Sendable {
    case sum, min, max
}

/// ZUNION, ZINTER, ZDIFF (and their STORE forms) and ZINTERCARD, following
/// `zunionInterDiffGenericCommand`: inputs may be sorted sets or plain sets (whose members
/// count with score 1); a missing key is an empty input; scores are multiplied by their
/// input's weight, a NaN product (0 x inf) counts as 0 and a NaN sum (inf + -inf) as 0.
/// ZUNION and ZINTER visit the inputs from the smallest to the largest, as Redis does, so
/// sums of three or more inputs round the same way.
extension KeyspaceAccess {
    enum SortedSetCombination {
        case union, inter, diff
    }

    /// WEIGHTS and AGGREGATE.
    struct CombineOptions {
        var weights: [Double]? = nil
        var aggregate = ScoreAggregate.sum
    }

    /// The combined entries, in sorted-set order. `options` runs once the inputs' types
    /// are checked: Redis reports a key of the wrong type before a bad option.
    func zcombine(
        _ keys: [ByteString], _ combination: SortedSetCombination,
        options: () throws(StoreError) -> CombineOptions
    ) throws(StoreError) -> [SortedSetEntry] {
        try withKeys(keys, access: Array(repeating: .read, count: keys.count)) { set throws(StoreError) in
            var inputs = try ScoredInput.read(keys, in: set)
            let parsed = try options()
            try ScoredInput.apply(parsed.weights, to: &inputs)
            return ScoredInput.combine(inputs, combination, aggregate: parsed.aggregate)
        }
    }

    /// ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE: the size of the stored result; an empty
    /// result deletes `destination`.
    func zcombineStore(
        _ destination: ByteString, _ keys: [ByteString], _ combination: SortedSetCombination,
        options: () throws(StoreError) -> CombineOptions
    ) throws(StoreError) -> Int {
        let access = [KeyAccess.write] + Array(repeating: KeyAccess.read, count: keys.count)
        let stored = try withKeys([destination] + keys, access: access) { set throws(StoreError) -> Int in
            var inputs = try ScoredInput.read(keys, in: set)
            let parsed = try options()
            try ScoredInput.apply(parsed.weights, to: &inputs)
            let result = ScoredInput.combine(inputs, combination, aggregate: parsed.aggregate)
            set.replace(destination, with: result)
            return result.count
        }
        if stored > 0 { signalKeyReady(destination) }
        return stored
    }

    /// ZINTERCARD: the size of the intersection, counting stops at the limit `limit`
    /// returns (0: no limit), which runs once the inputs' types are checked; a negative
    /// limit is refused then.
    func zintercard(_ keys: [ByteString], limit: () throws(StoreError) -> Int) throws(StoreError) -> Int {
        try withKeys(keys, access: Array(repeating: .read, count: keys.count)) { set throws(StoreError) -> Int in
            let inputs = try ScoredInput.read(keys, in: set).sortedByCount()
            let limit = try limit()
            guard limit >= 0 else { throw .limitNegative }
            guard let smallest = inputs.first, smallest.count > 0 else { return 0 }
            var found = 0
            smallest.forEachStopping { member, _ in
                for other in inputs.dropFirst() where other.score(of: member) == nil { return true }
                found += 1
                return limit == 0 || found < limit
            }
            return found
        }
    }
}

/// One input of the sorted-set algebra: a sorted set, a set (scores 1) or nothing, with
/// its weight.
struct ScoredInput {
    enum Source {
        case none
        case zset(SortedSetValue)
        case set(SetValue)
    }

    var source: Source
    var weight: Double

    var count: Int {
        switch source {
        case .none: return 0
        case .zset(let z): return z.count
        case .set(let s): return s.count
        }
    }

    func score(of member: ByteString) -> Double? {
        switch source {
        case .none: return nil
        case .zset(let z): return z.score(of: member)
        case .set(let s): return s.contains(member) ? 1 : nil
        }
    }

    /// Calls `body` with each member and unweighted score until it returns false.
    func forEachStopping(_ body: (ByteString, Double) -> Bool) {
        switch source {
        case .none: return
        case .zset(let z):
            var rank = 0
            while rank < z.count {
                let e = z.entry(atRank: rank)
                if !body(e.member, e.score) { return }
                rank += 1
            }
        case .set(let s):
            for m in s.allMembers where !body(m, 1) { return }
        }
    }

    func forEach(_ body: (ByteString, Double) -> Void) {
        switch source {
        case .none: return
        case .zset(let z): z.forEach(ranks: 0..<z.count) { body($0.member, $0.score) }
        case .set(let s): s.forEach { body($0, 1) }
        }
    }

    /// The inputs under `keys`, weight 1; any type but sorted set and set is WRONGTYPE.
    static func read(_ keys: [ByteString], in set: LockedShards) throws(StoreError) -> [ScoredInput] {
        var inputs: [ScoredInput] = []
        inputs.reserveCapacity(keys.count)
        for key in keys {
            let h = key.storeHash
            var source = Source.none
            if let slot = set[h].lookup(key, hash: h) {
                switch set[h].table[slot].value {
                case .sortedSet(let z): source = .zset(z)
                case .set(let members): source = .set(members)
                default: throw .wrongType
                }
            }
            inputs.append(ScoredInput(source: source, weight: 1))
        }
        return inputs
    }

    /// Weights one per input, none NaN; checked here, after the inputs' types, where Redis
    /// parses WEIGHTS.
    static func apply(_ weights: [Double]?, to inputs: inout [ScoredInput]) throws(StoreError) {
        guard let weights else { return }
        guard weights.count == inputs.count else { throw .syntax }
        if weights.contains(where: \.isNaN) { throw .weightNotFloat }
        for i in inputs.indices { inputs[i].weight = weights[i] }
    }

    static func combine(_ inputs: [ScoredInput], _ combination: KeyspaceAccess.SortedSetCombination, aggregate: ScoreAggregate) -> [SortedSetEntry] {
        var out: [SortedSetEntry] = []
        switch combination {
        case .union:
            var accumulated: [ByteString: Double] = [:]
            for input in inputs.sortedByCount() {
                input.forEach { member, score in
                    let weighted = weightedScore(score, input.weight)
                    if let existing = accumulated[member] {
                        accumulated[member] = combined(existing, weighted, aggregate)
                    } else {
                        accumulated[member] = weighted
                    }
                }
            }
            out = accumulated.map { SortedSetEntry(member: $0.key, score: $0.value) }
        case .inter:
            let sorted = inputs.sortedByCount()
            guard let smallest = sorted.first, smallest.count > 0 else { return [] }
            smallest.forEach { member, score in
                var total = weightedScore(score, smallest.weight)
                for other in sorted.dropFirst() {
                    guard let s = other.score(of: member) else { return }
                    total = combined(total, s * other.weight, aggregate)
                }
                out.append(SortedSetEntry(member: member, score: total))
            }
        case .diff:
            guard let first = inputs.first else { return [] }
            first.forEach { member, score in
                for other in inputs.dropFirst() where other.score(of: member) != nil { return }
                out.append(SortedSetEntry(member: member, score: score))
            }
        }
        out.sort { $0.score < $1.score || ($0.score == $1.score && $0.member.compare($1.member) < 0) }
        return out
    }

    /// An input's score times its weight; 0 x inf is taken as 0, as Redis does.
    private static func weightedScore(_ score: Double, _ weight: Double) -> Double {
        let product = score * weight
        return product.isNaN ? 0 : product
    }

    /// `zunionInterAggregate`: a NaN sum (inf + -inf) is 0; MIN/MAX keep the current value
    /// unless the new one compares smaller/larger.
    private static func combined(_ current: Double, _ value: Double, _ aggregate: ScoreAggregate) -> Double {
        switch aggregate {
        case .sum:
            let sum = current + value
            return sum.isNaN ? 0 : sum
        case .min: return value < current ? value : current
        case .max: return value > current ? value : current
        }
    }
}

extension Array where Element == ScoredInput {
    /// Smallest input first; a stable sort, so equal sizes keep their argument order.
    func sortedByCount() -> [ScoredInput] {
        enumerated().sorted { a, b in
            a.element.count != b.element.count ? a.element.count < b.element.count : a.offset < b.offset
        }.map(\.element)
    }
}
