#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Redis's HyperLogLog string format (hyperloglog.c), byte for byte, so that GET of a
/// HyperLogLog key returns what redis-server stores and PFCOUNT answers its estimates.
///
/// A HyperLogLog is a string: a 16-byte header ("HYLL", the encoding byte, three unused
/// bytes, then the cached cardinality as 8 little-endian bytes whose top bit set means
/// "stale"), then 16384 registers of 6 bits. Dense: the registers packed little-endian,
/// 12288 bytes. Sparse: run-length opcodes, `00xxxxxx` (ZERO: 1-64 zero registers),
/// `01xxxxxx yyyyyyyy` (XZERO: 1-16384 zero registers), `1vvvvvxx` (VAL: 1-4 registers of
/// value 1-32). A key starts sparse and turns dense when a register passes 32 or the
/// string would pass `hll-sparse-max-bytes` (3000). Elements are hashed with
/// MurmurHash64A (seed 0xadc83b19); the low 14 bits pick the register, the run of zero
/// bits above them (plus one) is its candidate value. The estimate is Otmar Ertl's
/// ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), as Redis 7.
enum HyperLogLog {
    static let headerSize = 16
    static let precision = 14
    static let registerCount = 1 << precision
    /// Hash bits above the register index: the longest zero run is `q + 1`.
    static let q = 64 - precision
    static let denseSize = headerSize + (registerCount * 6 + 7) / 8
    /// Redis's `hll-sparse-max-bytes` default.
    static let sparseMaxBytes = 3000
    static let dense: UInt8 = 0
    static let sparse: UInt8 = 1

    // MARK: Format

    /// `isHLLObjectOrReply`'s checks: the magic, a known encoding, and the exact dense size.
    static func isValid(_ s: UnsafeRawBufferPointer) -> Bool {
        guard s.count >= headerSize, s[0] == 0x48, s[1] == 0x59, s[2] == 0x4C, s[3] == 0x4C, s[4] <= sparse else { return false }
        return s[4] == sparse || s.count == denseSize
    }

    /// A new, empty HyperLogLog: sparse, one XZERO opcode for all registers, cached 0.
    static func empty() -> [UInt8] {
        var s = [UInt8](repeating: 0, count: headerSize)
        s[0] = 0x48; s[1] = 0x59; s[2] = 0x4C; s[3] = 0x4C
        s[4] = sparse
        let length = registerCount - 1
        s.append(0x40 | UInt8(length >> 8))
        s.append(UInt8(length & 0xFF))
        return s
    }

    /// The cached cardinality, or nil when marked stale.
    static func cachedCardinality(_ s: UnsafeRawBufferPointer) -> UInt64? {
        guard s[15] & 0x80 == 0 else { return nil }
        var card: UInt64 = 0
        for i in 0..<8 { card |= UInt64(s[8 + i]) << (8 * i) }
        return card
    }

    static func setCachedCardinality(_ s: UnsafeMutableRawBufferPointer, _ card: UInt64) {
        for i in 0..<8 { s[8 + i] = UInt8(truncatingIfNeeded: card >> (8 * i)) }
    }

    static func invalidateCache(_ s: inout [UInt8]) { s[15] |= 0x80 }

    // MARK: Hashing

    /// MurmurHash64A, endian-neutral as Redis's copy.
    static func murmurHash64A(_ key: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
        let m: UInt64 = 0xc6a4_a793_5bd1_e995
        let r: UInt64 = 47
        let len = key.count
        var h = seed ^ (UInt64(truncatingIfNeeded: len) &* m)
        var i = 0
        while i + 8 <= len {
            var k = UInt64(littleEndian: key.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            k = k &* m
            k ^= k >> r
            k = k &* m
            h ^= k
            h = h &* m
            i += 8
        }
        let rest = len & 7
        if rest > 0 {
            for j in stride(from: rest - 1, through: 0, by: -1) { h ^= UInt64(key[i + j]) << (8 * UInt64(j)) }
            h = h &* m
        }
        h ^= h >> r
        h = h &* m
        h ^= h >> r
        return h
    }

    /// `hllPatLen`: the register an element hashes to and its run length (1...q+1).
    static func pattern(_ element: UnsafeRawBufferPointer) -> (index: Int, count: UInt8) {
        var hash = murmurHash64A(element, seed: 0xadc8_3b19)
        let index = Int(hash & UInt64(registerCount - 1))
        hash >>= UInt64(precision)
        hash |= 1 << UInt64(q)
        return (index, UInt8(hash.trailingZeroBitCount + 1))
    }

    // MARK: Dense registers (after the header)

    static func denseRegister(_ s: UnsafeRawBufferPointer, _ index: Int) -> UInt8 {
        let byte = headerSize + index * 6 / 8, shift = index * 6 & 7
        let b0 = UInt(s[byte]), b1 = byte + 1 < s.count ? UInt(s[byte + 1]) : 0
        return UInt8((b0 >> shift | b1 << (8 - shift)) & 63)
    }

    static func setDenseRegister(_ s: UnsafeMutableRawBufferPointer, _ index: Int, _ value: UInt8) {
        let byte = headerSize + index * 6 / 8, shift = index * 6 & 7
        let v = UInt(value)
        s[byte] = UInt8(truncatingIfNeeded: (UInt(s[byte]) & ~(63 << shift)) | v << shift)
        if byte + 1 < s.count {
            s[byte + 1] = UInt8(truncatingIfNeeded: (UInt(s[byte + 1]) & ~(63 >> (8 - shift))) | v >> (8 - shift))
        }
    }

    /// `hllDenseSet`: raises register `index` to `count`; whether it changed.
    static func denseSet(_ s: UnsafeMutableRawBufferPointer, _ index: Int, _ count: UInt8) -> Bool {
        guard count > denseRegister(UnsafeRawBufferPointer(s), index) else { return false }
        setDenseRegister(s, index, count)
        return true
    }

    // MARK: Sparse opcodes

    static func isZero(_ b: UInt8) -> Bool { b & 0xC0 == 0 }
    static func isXZero(_ b: UInt8) -> Bool { b & 0xC0 == 0x40 }
    static func isVal(_ b: UInt8) -> Bool { b & 0x80 != 0 }
    static func zeroLength(_ b: UInt8) -> Int { Int(b & 0x3F) + 1 }
    static func xzeroLength(_ b0: UInt8, _ b1: UInt8) -> Int { (Int(b0 & 0x3F) << 8 | Int(b1)) + 1 }
    static func valValue(_ b: UInt8) -> Int { Int(b >> 2 & 0x1F) + 1 }
    static func valLength(_ b: UInt8) -> Int { Int(b & 0x3) + 1 }
    static func val(_ value: Int, _ length: Int) -> UInt8 { UInt8((value - 1) << 2 | (length - 1)) | 0x80 }
    static func zeroRun(_ length: Int) -> [UInt8] {
        length > 64 ? [0x40 | UInt8((length - 1) >> 8), UInt8((length - 1) & 0xFF)] : [UInt8(length - 1)]
    }

    /// Walks the sparse opcodes: `run(first register, length, value)` for each (value 0 for
    /// ZERO/XZERO). Returns the registers covered, which is 16384 for a valid string. A
    /// truncated XZERO reads a zero second byte (Redis reads the string's terminator).
    @discardableResult
    static func walkSparse(_ s: UnsafeRawBufferPointer, _ run: (Int, Int, Int) -> Void = { _, _, _ in }) -> Int {
        var p = headerSize, index = 0
        while p < s.count {
            let b = s[p]
            let length: Int, value: Int
            if isZero(b) {
                (length, value) = (zeroLength(b), 0)
                p += 1
            } else if isXZero(b) {
                (length, value) = (xzeroLength(b, p + 1 < s.count ? s[p + 1] : 0), 0)
                p += 2
            } else {
                (length, value) = (valLength(b), valValue(b))
                p += 1
            }
            run(index, length, value)
            index += length
        }
        return index
    }

    /// Whether the sparse opcodes cover exactly the 16384 registers. Redis 7.0.15 (with the
    /// CVE-2025-32023 fix) refuses, as corrupt, a string whose opcodes run past the last
    /// register, before merging or converting it.
    static func isWellFormedSparse(_ s: UnsafeRawBufferPointer) -> Bool {
        walkSparse(s) == registerCount
    }

    /// `hllSparseToDense`: nil when the opcodes do not cover exactly 16384 registers.
    /// The header (with its cached cardinality) is kept.
    static func sparseToDense(_ s: UnsafeRawBufferPointer) -> [UInt8]? {
        guard isWellFormedSparse(s) else { return nil }
        var result = [UInt8](repeating: 0, count: denseSize)
        for i in 0..<headerSize { result[i] = s[i] }
        result[4] = dense
        _ = result.withUnsafeMutableBytes { out in
            walkSparse(s) { first, length, value in
                if value != 0 { for i in first..<first + length { setDenseRegister(out, i, UInt8(value)) } }
            }
        }
        return result
    }

    /// `hllSparseSet`: raises register `index` to `count` in the sparse string `s`,
    /// rewriting its opcodes in place as Redis does (split, then merge neighbouring VALs),
    /// or turning `s` dense when `count` is past 32 or `s` would pass `maxBytes`.
    /// Returns 1 if a register changed, 0 if not, -1 if `s` is corrupt.
    static func sparseSet(_ s: inout [UInt8], _ index: Int, _ count: UInt8, maxBytes: Int = sparseMaxBytes) -> Int {
        if count > 32 { return promote(&s, index, count) }
        var end = s.count
        var p = headerSize, first = 0, span = 0
        var previous: Int? = nil
        while p < end {
            var opLength = 1
            if isZero(s[p]) {
                span = zeroLength(s[p])
            } else if isVal(s[p]) {
                span = valLength(s[p])
            } else {
                span = xzeroLength(s[p], p + 1 < end ? s[p + 1] : 0)
                opLength = 2
            }
            if index <= first + span - 1 { break }
            previous = p
            p += opLength
            first += span
        }
        if span == 0 || p >= end { return -1 }
        let op = s[p]
        let runLength = isZero(op) ? zeroLength(op) : isVal(op) ? valLength(op) : xzeroLength(op, p + 1 < end ? s[p + 1] : 0)
        var rewritten = false
        if isVal(op) {
            let old = valValue(op)
            if old >= Int(count) { return 0 }
            if runLength == 1 {
                s[p] = val(Int(count), 1)
                rewritten = true
            }
        }
        if !rewritten && isZero(op) && runLength == 1 {
            s[p] = val(Int(count), 1)
            rewritten = true
        }
        if !rewritten {
            var sequence: [UInt8] = []
            let last = first + span - 1
            if isVal(op) {
                let current = valValue(op)
                if index != first { sequence.append(val(current, index - first)) }
                sequence.append(val(Int(count), 1))
                if index != last { sequence.append(val(current, last - index)) }
            } else {
                if index != first { sequence += zeroRun(index - first) }
                sequence.append(val(Int(count), 1))
                if index != last { sequence += zeroRun(last - index) }
            }
            let oldLength = isXZero(op) ? 2 : 1
            let delta = sequence.count - oldLength
            if delta > 0 && s.count + delta > maxBytes { return promote(&s, index, count) }
            // An XZERO cut short by the string's end loses the sequence's last byte, as in
            // Redis (whose length moves by `delta` whatever was really replaced).
            let length = s.count
            s.replaceSubrange(p..<min(p + oldLength, length), with: sequence)
            if s.count > length + delta { s.removeLast(s.count - length - delta) }
            end += delta
        }
        // Merge adjacent VAL opcodes of equal value, scanning up to 5 opcodes from the
        // one before the change.
        var q = previous ?? headerSize
        var scans = 5
        while q < end && scans > 0 {
            scans -= 1
            if isXZero(s[q]) { q += 2; continue }
            if isZero(s[q]) { q += 1; continue }
            if q + 1 < end && isVal(s[q + 1]) {
                let v1 = valValue(s[q]), v2 = valValue(s[q + 1])
                let length = valLength(s[q]) + valLength(s[q + 1])
                if v1 == v2 && length <= 4 {
                    s[q + 1] = val(v1, length)
                    s.remove(at: q)
                    end -= 1
                    continue
                }
            }
            q += 1
        }
        invalidateCache(&s)
        return 1
    }

    private static func promote(_ s: inout [UInt8], _ index: Int, _ count: UInt8) -> Int {
        guard let converted = s.withUnsafeBytes({ sparseToDense($0) }) else { return -1 }
        s = converted
        _ = s.withUnsafeMutableBytes { denseSet($0, index, count) }
        return 1
    }

    // MARK: Counting and merging

    /// `hllMerge`: raises `max` (16384 registers, one per byte) to `s`'s registers; false
    /// for a corrupt sparse string.
    static func merge(_ s: UnsafeRawBufferPointer, into max: inout [UInt8]) -> Bool {
        if s[4] == dense {
            for i in 0..<registerCount { max[i] = Swift.max(max[i], denseRegister(s, i)) }
            return true
        }
        guard isWellFormedSparse(s) else { return false }
        walkSparse(s) { first, length, value in
            for i in first..<first + length where UInt8(value) > max[i] { max[i] = UInt8(value) }
        }
        return true
    }

    /// `hllCount` of a dense or sparse string: nil for a corrupt sparse string.
    static func count(_ s: UnsafeRawBufferPointer) -> UInt64? {
        var histogram = [Int](repeating: 0, count: 64)
        if s[4] == dense {
            for i in 0..<registerCount { histogram[Int(denseRegister(s, i))] += 1 }
        } else {
            let covered = walkSparse(s) { _, length, value in histogram[value] += length }
            guard covered == registerCount else { return nil }
        }
        return estimate(histogram)
    }

    /// `hllCount` of registers held one per byte (PFCOUNT of several keys).
    static func count(registers: [UInt8]) -> UInt64 {
        var histogram = [Int](repeating: 0, count: 64)
        for r in registers { histogram[Int(r)] += 1 }
        return estimate(histogram)
    }

    /// Ertl's estimator over the register histogram, as Redis computes it.
    static func estimate(_ histogram: [Int]) -> UInt64 {
        let m = Double(registerCount)
        var z = m * tau((m - Double(histogram[q + 1])) / m)
        for j in stride(from: q, through: 1, by: -1) {
            z += Double(histogram[j])
            z *= 0.5
        }
        z += m * sigma(Double(histogram[0]) / m)
        let alpha = 0.721347520444481703680
        return UInt64((alpha * m * m / z).rounded(.toNearestOrAwayFromZero))
    }

    static func sigma(_ x: Double) -> Double {
        if x == 1 { return .infinity }
        var x = x, y = 1.0, z = x, previous = 0.0
        repeat {
            x *= x
            previous = z
            z += x * y
            y += y
        } while previous != z
        return z
    }

    static func tau(_ x: Double) -> Double {
        if x == 0 || x == 1 { return 0 }
        var x = x, y = 1.0, z = 1 - x, previous = 0.0
        repeat {
            x = x.squareRoot()
            previous = z
            y *= 0.5
            z -= pow(1 - x, 2) * y
        } while previous != z
        return z / 3
    }
}
