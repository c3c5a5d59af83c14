import LuaStoreCore

/// Bit counting, searching and combining over string bytes (bit 0 is the most
/// significant bit of byte 0), a word at a time where whole words fit.
enum BitCounting {
    /// The set bits from bit `first` through bit `last` (inclusive, both within the bytes;
    /// none when `last < first`).
    static func count(_ bytes: UnsafeRawBufferPointer, fromBit first: Int, toBit last: Int) -> Int64 {
        guard last >= first else { return 0 }
        let firstByte = first >> 3, lastByte = last >> 3
        var total = 0
        var i = firstByte
        while i + 8 <= lastByte + 1 {
            total += bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self).nonzeroBitCount
            i += 8
        }
        while i <= lastByte {
            total += bytes[i].nonzeroBitCount
            i += 1
        }
        // Take off the bits of the edge bytes outside the range.
        let before = UInt8(truncatingIfNeeded: 0xFF00 >> (first & 7))
        let after = UInt8(truncatingIfNeeded: (1 << (7 - (last & 7))) - 1)
        total -= (bytes[firstByte] & before).nonzeroBitCount + (bytes[lastByte] & after).nonzeroBitCount
        return Int64(total)
    }

    /// The first bit equal to `set` from bit `first` through bit `last`, or nil.
    static func firstBit(_ set: Bool, in bytes: UnsafeRawBufferPointer, fromBit first: Int, toBit last: Int) -> Int? {
        let skip: UInt8 = set ? 0x00 : 0xFF
        var bit = first
        while bit <= last {
            if bit & 7 == 0 {
                // Skip whole words and bytes that cannot hold the bit.
                var byte = bit >> 3
                let lastWhole = (last + 1) >> 3
                let skipWord: UInt64 = set ? 0 : ~0
                while byte + 8 <= lastWhole && bytes.loadUnaligned(fromByteOffset: byte, as: UInt64.self) == skipWord { byte += 8 }
                while byte < lastWhole && bytes[byte] == skip { byte += 1 }
                bit = byte << 3
                if bit > last { break }
            }
            let value = bytes[bit >> 3] & (0x80 >> UInt8(bit & 7)) != 0
            if value == set { return bit }
            bit += 1
        }
        return nil
    }

    /// BITOP's result: as long as the longest input, shorter inputs zero-padded.
    static func combine(_ inputs: [ByteString], _ operation: BitOperation) -> ByteString {
        let length = inputs.map(\.count).max() ?? 0
        guard length > 0 else { return ByteString() }
        var result = [UInt8](repeating: 0, count: length)
        result.withUnsafeMutableBytes { out in
            inputs[0].withUnsafeBytes { first in
                if first.count > 0 { out.baseAddress!.copyMemory(from: first.baseAddress!, byteCount: first.count) }
            }
            if operation == .not {
                for i in 0..<length { out[i] = ~out[i] }
                return
            }
            for input in inputs.dropFirst() {
                input.withUnsafeBytes { src in
                    switch operation {
                    case .and:
                        for i in 0..<src.count { out[i] &= src[i] }
                        for i in src.count..<length { out[i] = 0 }
                    case .or: for i in 0..<src.count { out[i] |= src[i] }
                    case .xor: for i in 0..<src.count { out[i] ^= src[i] }
                    case .not: break
                    }
                }
            }
        }
        return ByteString(result)
    }
}

/// BITFIELD's integer fields: reads and writes of up to 64 bits at any bit offset, and
/// Redis's overflow rules (`checkSignedBitfieldOverflow`, `checkUnsignedBitfieldOverflow`).
enum Bitfield {
    /// Runs `operations` on `bytes` (which cover every bit written; reads past the end see
    /// zeros) and answers one value per GET, SET and INCRBY.
    static func run(_ operations: [BitfieldOperation], on bytes: UnsafeMutableRawBufferPointer) -> [Int64?] {
        var overflow = BitfieldOverflow.wrap
        var replies: [Int64?] = []
        for operation in operations {
            switch operation {
            case .overflow(let o): overflow = o
            case .get(let type, let offset):
                replies.append(read(bytes, type, offset: Int(offset)))
            case .set(let type, let offset, let value):
                let old = read(bytes, type, offset: Int(offset))
                let (written, overflowed) = type.signed
                    ? signedResult(value, 0, bits: type.bits, overflow)
                    : unsignedResult(UInt64(bitPattern: value), 0, bits: type.bits, overflow)
                if overflowed && overflow == .fail {
                    replies.append(nil)
                } else {
                    write(bytes, type, offset: Int(offset), UInt64(bitPattern: written))
                    replies.append(old)
                }
            case .incrBy(let type, let offset, let increment):
                let old = read(bytes, type, offset: Int(offset))
                let (written, overflowed) = type.signed
                    ? signedResult(old, increment, bits: type.bits, overflow)
                    : unsignedResult(UInt64(bitPattern: old), increment, bits: type.bits, overflow)
                if overflowed && overflow == .fail {
                    replies.append(nil)
                } else {
                    write(bytes, type, offset: Int(offset), UInt64(bitPattern: written))
                    replies.append(written)
                }
            }
        }
        return replies
    }

    /// The field at `offset`, sign-extended for signed types.
    static func read(_ bytes: UnsafeMutableRawBufferPointer, _ type: BitfieldType, offset: Int) -> Int64 {
        var value: UInt64 = 0
        for j in 0..<type.bits {
            let bit = offset + j
            let byte = bit >> 3
            let b: UInt64 = byte < bytes.count && bytes[byte] & (0x80 >> UInt8(bit & 7)) != 0 ? 1 : 0
            value = value << 1 | b
        }
        if type.signed && type.bits < 64 && value & (1 << (type.bits - 1)) != 0 {
            value |= ~0 << type.bits
        }
        return Int64(bitPattern: value)
    }

    /// Writes the low `type.bits` bits of `value` at `offset`.
    static func write(_ bytes: UnsafeMutableRawBufferPointer, _ type: BitfieldType, offset: Int, _ value: UInt64) {
        for j in 0..<type.bits {
            let bit = offset + j
            let mask = UInt8(0x80) >> UInt8(bit & 7)
            if value >> (type.bits - 1 - j) & 1 != 0 { bytes[bit >> 3] |= mask } else { bytes[bit >> 3] &= ~mask }
        }
    }

    /// `value + increment` in a signed field: the value to write, and whether it overflowed.
    static func signedResult(_ value: Int64, _ increment: Int64, bits: Int, _ mode: BitfieldOverflow) -> (Int64, Bool) {
        let max: Int64 = bits == 64 ? .max : (1 << (bits - 1)) - 1
        let min = -max - 1
        let maxIncrement = Int64(bitPattern: UInt64(bitPattern: max) &- UInt64(bitPattern: value))
        let minIncrement = min &- value
        let high = value > max || (bits != 64 && increment > maxIncrement) || (value >= 0 && increment > 0 && increment > maxIncrement)
        let low = !high && (value < min || (bits != 64 && increment < minIncrement) || (value < 0 && increment < 0 && increment < minIncrement))
        guard high || low else { return (value &+ increment, false) }
        switch mode {
        case .sat: return (high ? max : min, true)
        case .wrap, .fail:
            var c = UInt64(bitPattern: value) &+ UInt64(bitPattern: increment)
            if bits < 64 {
                let mask: UInt64 = ~0 << bits
                c = c & (1 << (bits - 1)) != 0 ? c | mask : c & ~mask
            }
            return (Int64(bitPattern: c), true)
        }
    }

    /// `value + increment` in an unsigned field: the value to write, and whether it overflowed.
    static func unsignedResult(_ value: UInt64, _ increment: Int64, bits: Int, _ mode: BitfieldOverflow) -> (Int64, Bool) {
        let max: UInt64 = bits == 64 ? .max : (1 << bits) - 1
        let maxIncrement = Int64(bitPattern: max &- value)
        let minIncrement = Int64(bitPattern: 0 &- value)
        let high = value > max || (increment > 0 && increment > maxIncrement)
        let low = !high && increment < 0 && increment < minIncrement
        guard high || low else { return (Int64(bitPattern: value &+ UInt64(bitPattern: increment)), false) }
        switch mode {
        case .sat: return (high ? Int64(bitPattern: max) : 0, true)
        case .wrap, .fail:
            let sum = value &+ UInt64(bitPattern: increment)
            return (Int64(bitPattern: sum & ~(~0 << bits)), true)
        }
    }
}
