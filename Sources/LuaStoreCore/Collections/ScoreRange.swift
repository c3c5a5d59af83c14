/// A range of scores with inclusive or exclusive ends (ZRANGEBYSCORE, ZCOUNT,
/// ZREMRANGEBYSCORE), infinities allowed.
///
/// # Thread safety
/// A value type: safe to share.
public struct ScoreRange: Sendable, Hashable {
    public var min: Double
    public var max: Double
    public var minExclusive: Bool
    public var maxExclusive: Bool

    public init(min: Double, max: Double, minExclusive: Bool = false, maxExclusive: Bool = false) {
        self.min = min
        self.max = max
        self.minExclusive = minExclusive
        self.maxExclusive = maxExclusive
    }

    /// Parses `min` and `max` arguments (`1.5`, `(1.5`, `-inf`, `+inf`).
    /// - Throws: `StoreError.minMaxNotFloat` if either is not a number.
    public init(parsingMin min: ByteString, max: ByteString) throws(StoreError) {
        guard let lo = Score.parseBound(min), let hi = Score.parseBound(max) else { throw .minMaxNotFloat }
        self.init(min: lo.value, max: hi.value, minExclusive: lo.exclusive, maxExclusive: hi.exclusive)
    }

    /// Whether `score` lies above the lower end.
    @inlinable
    public func isAboveMin(_ score: Double) -> Bool { minExclusive ? score > min : score >= min }

    /// Whether `score` lies below the upper end.
    @inlinable
    public func isBelowMax(_ score: Double) -> Bool { maxExclusive ? score < max : score <= max }

    @inlinable
    public func contains(_ score: Double) -> Bool { isAboveMin(score) && isBelowMax(score) }
}

/// One end of a lexicographic range (ZRANGEBYLEX): `-`, `+`, `[member` or `(member`.
///
/// # Thread safety
/// A value type: safe to share.
public enum LexBound: Sendable, Hashable {
    case negativeInfinity
    case positiveInfinity
    case inclusive(ByteString)
    case exclusive(ByteString)

    /// Parses an argument as Redis's `zslParseLexRangeItem`: exactly `-` or `+`, or `[` / `(`
    /// followed by any bytes (possibly none).
    public init?(parsing text: ByteString) {
        guard !text.isEmpty else { return nil }
        switch text[0] {
        case UInt8(ascii: "-") where text.count == 1: self = .negativeInfinity
        case UInt8(ascii: "+") where text.count == 1: self = .positiveInfinity
        case UInt8(ascii: "["): self = .inclusive(text.slice(1..<text.count))
        case UInt8(ascii: "("): self = .exclusive(text.slice(1..<text.count))
        default: return nil
        }
    }
}

/// A range of members in byte order, for sorted sets whose members share one score.
///
/// # Thread safety
/// A value type: safe to share.
public struct LexRange: Sendable, Hashable {
    public var min: LexBound
    public var max: LexBound

    public init(min: LexBound, max: LexBound) {
        self.min = min
        self.max = max
    }

    /// Parses `min` and `max` arguments.
    /// - Throws: `StoreError.minMaxNotValidString` if either is malformed.
    public init(parsingMin min: ByteString, max: ByteString) throws(StoreError) {
        guard let lo = LexBound(parsing: min), let hi = LexBound(parsing: max) else { throw .minMaxNotValidString }
        self.init(min: lo, max: hi)
    }

    /// Whether `member` lies above the lower end (`+` as a lower end admits nothing).
    public func isAboveMin(_ member: ByteString) -> Bool {
        switch min {
        case .negativeInfinity: return true
        case .positiveInfinity: return false
        case .inclusive(let m): return member.compare(m) >= 0
        case .exclusive(let m): return member.compare(m) > 0
        }
    }

    /// Whether `member` lies below the upper end (`-` as an upper end admits nothing).
    public func isBelowMax(_ member: ByteString) -> Bool {
        switch max {
        case .negativeInfinity: return false
        case .positiveInfinity: return true
        case .inclusive(let m): return member.compare(m) <= 0
        case .exclusive(let m): return member.compare(m) < 0
        }
    }

    public func contains(_ member: ByteString) -> Bool { isAboveMin(member) && isBelowMax(member) }
}
