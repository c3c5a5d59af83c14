/// A log-linear latency histogram in nanoseconds, HdrHistogram-style: each power of two is
/// cut into 128 equal sub-buckets, so a recorded value is known to within 1/128 (< 0.8 %)
/// and recording is a few integer instructions with no allocation.
///
/// Values below 256 ns are exact. A value `v` with `e = floor(log2 v)` lands in bucket
/// `shift * 128 + (v >> shift)` with `shift = max(0, e - 7)`; every `UInt64` fits in
/// 7,296 buckets (58 KiB of counters).
///
/// Each benchmark thread records into its own histogram (no sharing, no atomics on the
/// hot path); the threads' histograms are merged once at the end.
///
/// # Thread safety
/// A value type: each thread owns its copy.
struct LatencyHistogram: Sendable {
    static let subBucketBits = 7
    static let subBucketCount: UInt64 = 1 << subBucketBits
    static let bucketCount = (64 - subBucketBits) * Int(subBucketCount) + Int(subBucketCount)

    private(set) var counts: [UInt64]
    private(set) var totalCount: UInt64 = 0
    private(set) var minimum: UInt64 = .max
    private(set) var maximum: UInt64 = 0
    /// Sum of the recorded values, for an exact mean (`Double` to survive long runs).
    private(set) var sum: Double = 0

    init() {
        counts = [UInt64](repeating: 0, count: Self.bucketCount)
    }

    /// Records `count` requests that each took `nanoseconds`.
    ///
    /// - Complexity: O(1).
    @inline(__always)
    mutating func record(_ nanoseconds: UInt64, count: UInt64 = 1) {
        counts[Self.bucketIndex(of: nanoseconds)] &+= count
        totalCount &+= count
        sum += Double(nanoseconds) * Double(count)
        if nanoseconds < minimum { minimum = nanoseconds }
        if nanoseconds > maximum { maximum = nanoseconds }
    }

    /// Adds `other`'s recordings to these.
    ///
    /// - Complexity: O(number of buckets).
    mutating func merge(_ other: LatencyHistogram) {
        for i in counts.indices { counts[i] &+= other.counts[i] }
        totalCount &+= other.totalCount
        sum += other.sum
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
    }

    /// The mean in nanoseconds (0 when empty).
    var mean: Double { totalCount == 0 ? 0 : sum / Double(totalCount) }

    /// The smallest recorded value (0 when empty).
    var min: UInt64 { totalCount == 0 ? 0 : minimum }

    /// The value at `percentile` (0...100), as HdrHistogram's `hdr_value_at_percentile`
    /// computes it, which redis-benchmark reports: the highest value equivalent to the
    /// bucket holding the `ceil`-ish `percentile`th recording, capped at the true maximum.
    ///
    /// - Complexity: O(number of buckets).
    func value(atPercentile percentile: Double) -> UInt64 {
        guard totalCount > 0 else { return 0 }
        let target = Swift.max(1, UInt64((percentile / 100) * Double(totalCount) + 0.5))
        var cumulative: UInt64 = 0
        for (index, count) in counts.enumerated() where count > 0 {
            cumulative += count
            if cumulative >= target {
                return Swift.min(Self.highestEquivalentValue(ofBucket: index), maximum)
            }
        }
        return maximum
    }

    @inline(__always)
    static func bucketIndex(of value: UInt64) -> Int {
        let exponent = 63 - value.leadingZeroBitCount  // -1 for 0, which takes shift 0 below
        let shift = Swift.max(0, exponent - subBucketBits)
        return shift * Int(subBucketCount) + Int(value >> UInt64(shift))
    }

    /// The largest value that lands in bucket `index`.
    static func highestEquivalentValue(ofBucket index: Int) -> UInt64 {
        let sub = UInt64(subBucketCount)
        if index < 2 * Int(sub) { return UInt64(index) }
        let shift = UInt64(index) / sub - 1
        let mantissa = UInt64(index) - shift * sub
        let lowest = mantissa << shift
        return lowest &+ ((1 << shift) - 1)
    }
}
