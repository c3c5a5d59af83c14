/// Redis's rules for the inclusive, possibly negative index pairs of LRANGE, LTRIM, ZRANGE,
/// ZREMRANGEBYRANK and friends, in one place so every command agrees.
///
/// # Thread safety
/// Stateless.
@usableFromInline package enum RedisIndex {
    /// The positions that `start ... stop` selects in a collection of `count` elements:
    /// negative indices count from the end (-1 is the last), out-of-range ends are clamped,
    /// and `start > stop` or `start >= count` select nothing (an empty range at 0).
    /// - Complexity: O(1)
    @usableFromInline package static func range(start: Int, stop: Int, count: Int) -> Range<Int> {
        var start = start
        var stop = stop
        if start < 0 { start = count &+ start }
        if stop < 0 { stop = count &+ stop }
        if start < 0 { start = 0 }
        if start > stop || start >= count { return 0..<0 }
        if stop >= count { stop = count - 1 }
        return start..<(stop + 1)
    }

    /// The position that a single possibly negative `index` (LINDEX, LSET) names, or nil
    /// when it falls outside `0..<count`.
    /// - Complexity: O(1)
    @usableFromInline package static func position(_ index: Int, count: Int) -> Int? {
        let i = index < 0 ? count &+ index : index
        return i >= 0 && i < count ? i : nil
    }
}
