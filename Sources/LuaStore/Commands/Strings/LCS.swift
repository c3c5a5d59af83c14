import LuaStoreCore

/// One run of bytes common to both strings of an LCS, as LCS IDX reports it: the byte
/// ranges in the first and in the second string (inclusive), and the run's length.
///
/// # Thread safety
/// A value type: safe to share.
public struct LCSMatch: Sendable, Hashable {
    public var first: ClosedRange<Int>
    public var second: ClosedRange<Int>
    public var length: Int { first.count }

    public init(first: ClosedRange<Int>, second: ClosedRange<Int>) {
        self.first = first
        self.second = second
    }
}

/// LCS IDX's answer: the matching runs, from the end of the strings to their start (as
/// Redis lists them), and the length of the whole longest common subsequence.
///
/// # Thread safety
/// A value type: safe to share.
public struct LCSMatches: Sendable, Hashable {
    public var matches: [LCSMatch]
    public var length: Int

    public init(matches: [LCSMatch], length: Int) {
        self.matches = matches
        self.length = length
    }
}

/// What LCS computes: the subsequence itself, its length, or its matching runs (those at
/// least `minimumLength` long; 0 keeps all).
enum LCSQuery: Sendable {
    case string
    case length
    case matches(minimumLength: Int64)
}

/// What LCS answers, per ``LCSQuery``.
enum LCSAnswer {
    case string(ByteString)
    case length(Int)
    case matches(LCSMatches)
}

/// Redis's LCS (t_string.c `lcsCommand`): the dynamic-programming table of LCS lengths of
/// every pair of prefixes, then one walk back from the end that collects the subsequence
/// and its contiguous runs, preferring to step back in the second string on a tie, so the
/// subsequence and runs are redis-server's.
enum LCS {
    /// The table's limit: its (len1+1)*(len2+1) 32-bit cells may take up to
    /// proto-max-bulk-len (512 MB), as in Redis.
    static let maximumTableBytes = UInt64(StringLimits.maxBulk)

    /// - Throws: ``StoreError/lcsTooLarge`` when the table would pass the limit.
    static func compute(_ a: ByteString, _ b: ByteString, _ query: LCSQuery) throws(StoreError) -> LCSAnswer {
        let alen = a.count, blen = b.count
        let cells = UInt64(alen + 1) * UInt64(blen + 1)
        guard cells * 4 <= maximumTableBytes else { throw .lcsTooLarge }
        let width = blen + 1
        var table = [UInt32](repeating: 0, count: Int(cells))
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                table.withUnsafeMutableBufferPointer { t in
                    for i in stride(from: 1, through: alen, by: 1) {
                        let row = i * width, above = row - width
                        for j in stride(from: 1, through: blen, by: 1) {
                            if x[i - 1] == y[j - 1] {
                                t[row + j] = t[above + j - 1] + 1
                            } else {
                                t[row + j] = max(t[above + j], t[row + j - 1])
                            }
                        }
                    }
                }
            }
        }
        let total = Int(table[alen * width + blen])
        if case .length = query { return .length(total) }
        return a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in walk(x, y, table, width: width, total: total, query) }
        }
    }

    /// The walk back from (len1, len2): a match extends the current run when it is
    /// contiguous with it; a step without a match, or reaching the start of either string,
    /// ends the run.
    private static func walk(
        _ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer, _ table: [UInt32], width: Int, total: Int, _ query: LCSQuery
    ) -> LCSAnswer {
        var result = [UInt8](repeating: 0, count: total)
        var matches: [LCSMatch] = []
        var minimum: Int64 = 0
        if case .matches(let m) = query { minimum = m }
        var idx = total
        var i = x.count, j = y.count
        // `aStart == nil`: no run in progress (Redis's `arange_start == alen`).
        var aStart: Int? = nil, aEnd = 0, bStart = 0, bEnd = 0
        while i > 0 && j > 0 {
            var emit = false
            if x[i - 1] == y[j - 1] {
                result[idx - 1] = x[i - 1]
                if let start = aStart {
                    if start == i && bStart == j {
                        aStart = start - 1
                        bStart -= 1
                    } else {
                        emit = true
                    }
                } else {
                    (aStart, aEnd, bStart, bEnd) = (i - 1, i - 1, j - 1, j - 1)
                }
                if aStart == 0 || bStart == 0 { emit = true }
                idx -= 1; i -= 1; j -= 1
            } else {
                if table[(i - 1) * width + j] > table[i * width + j - 1] { i -= 1 } else { j -= 1 }
                if aStart != nil { emit = true }
            }
            if emit, let start = aStart {
                let length = aEnd - start + 1
                if minimum == 0 || Int64(length) >= minimum {
                    matches.append(LCSMatch(first: start...aEnd, second: bStart...bEnd))
                }
                aStart = nil
            }
        }
        if case .matches = query { return .matches(LCSMatches(matches: matches, length: total)) }
        return .string(ByteString(result))
    }
}

extension KeyspaceAccess {
    /// LCS: the longest common subsequence of the strings at `key1` and `key2` (a missing
    /// key is the empty string), as `query` asks. Both keys are read under their shard
    /// locks; `query` is asked for once both are known to be strings, as Redis parses
    /// LCS's options after its type check; the table is built outside the locks.
    /// - Throws: ``StoreError/lcsNotStrings`` when either key holds another type;
    ///   ``StoreError/lcsTooLarge``.
    func lcs(
        _ key1: ByteString, _ key2: ByteString, query: () throws(StoreError) -> LCSQuery
    ) throws(StoreError) -> LCSAnswer {
        let (a, b) = try withKeys([key1, key2], access: [.read, .read]) { (locked) throws(StoreError) -> (ByteString, ByteString) in
            func read(_ key: ByteString) -> Value? {
                let h = key.storeHash
                return locked[h].lookup(key, hash: h).map { locked[h].table[$0].value }
            }
            // Both keys are looked up before the type check, as Redis does.
            let a = read(key1), b = read(key2)
            guard a?.isString ?? true, b?.isString ?? true else { throw .lcsNotStrings }
            return (a?.stringBytes ?? ByteString(), b?.stringBytes ?? ByteString())
        }
        return try LCS.compute(a, b, try query())
    }
}
