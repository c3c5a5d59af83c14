/// A count-min sketch of access frequencies with periodic aging: the frequency estimate
/// that W-TinyLFU (the `allkeys-tinylfu` policy) admits and evicts by, after the design of
/// the Caffeine cache library and the TinyLFU paper (Einziger, Friedman, Manes).
///
/// Each key hash picks one 4-bit counter in each of four rows; an access increments the
/// smallest of its four (conservative update), and the estimate is the smallest of the
/// four, so it never falls below the true count since the last aging (except where a
/// counter saturates at 15). After `10 x width` increments every counter is halved: old
/// popularity fades, and the sketch keeps answering for the recent past. Sixteen counters
/// share a 64-bit word; the four rows are four words of one table.
///
/// # Thread safety
/// Not thread-safe: a shard's sketch is used under that shard's lock.
struct FrequencySketch {
    private var table: [UInt64]
    /// Words per row (a power of two).
    private let rowWords: Int
    private var increments = 0
    /// Increments between two agings.
    let sampleSize: Int

    /// A sketch for about `capacity` distinct keys (at least 64).
    init(capacity: Int) {
        var counters = 64
        while counters < capacity { counters <<= 1 }
        rowWords = counters / 16
        table = [UInt64](repeating: 0, count: rowWords * 4)
        sampleSize = 10 * counters
    }

    /// Counters per row.
    var width: Int { rowWords * 16 }

    /// The estimated accesses of the key with `hash` since aging began (0...15).
    func frequency(_ hash: UInt64) -> Int {
        var least = 15
        for row in 0..<4 {
            let (word, shift) = position(hash, row: row)
            least = min(least, Int((table[word] >> shift) & 0xF))
        }
        return least
    }

    /// Records an access to the key with `hash`.
    mutating func increment(_ hash: UInt64) {
        var positions: [(Int, UInt64)] = []
        positions.reserveCapacity(4)
        var least: UInt64 = 15
        for row in 0..<4 {
            let (word, shift) = position(hash, row: row)
            let value = (table[word] >> shift) & 0xF
            positions.append((word, shift))
            least = min(least, value)
        }
        guard least < 15 else { return }
        for (word, shift) in positions where (table[word] >> shift) & 0xF == least {
            table[word] += 1 << shift
        }
        increments += 1
        if increments >= sampleSize { age() }
    }

    /// Halves every counter.
    mutating func age() {
        for i in table.indices {
            // Each nibble shifted right by one, without borrowing from its neighbour.
            table[i] = (table[i] >> 1) & 0x7777_7777_7777_7777
        }
        increments /= 2
    }

    /// The word and bit offset of the hash's counter in `row`: a differently mixed index per
    /// row, so keys that collide in one row rarely collide in the others.
    @inline(__always)
    private func position(_ hash: UInt64, row: Int) -> (Int, UInt64) {
        let seeds: (UInt64, UInt64, UInt64, UInt64) = (
            0x97CB_3127_9A5D_8E0B, 0xC3A5_C85C_97CB_3127, 0xB492_B66F_BE98_F273, 0x9AE1_6A3B_2F90_404F)
        let seed = row == 0 ? seeds.0 : row == 1 ? seeds.1 : row == 2 ? seeds.2 : seeds.3
        var h = (hash ^ seed) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        let counter = Int(truncatingIfNeeded: h >> 32) & (width - 1)
        return (row * rowWords + counter >> 4, UInt64(counter & 15) << 2)
    }
}
