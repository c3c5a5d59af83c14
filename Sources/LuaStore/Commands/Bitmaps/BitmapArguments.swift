import LuaStoreCore

/// Whether a BITCOUNT/BITPOS range counts bytes (the default) or bits.
public enum BitRangeUnit: Sendable, Equatable {
    case byte
    case bit
}

/// A BITCOUNT or BITPOS range: `start` and `end` inclusive, negative from the end, in
/// bytes or bits. BITPOS without an end searches to the end of the string (`end` nil).
///
/// A value type: safe to share.
public struct BitRange: Sendable, Equatable {
    public var start: Int64
    public var end: Int64?
    public var unit: BitRangeUnit

    public init(start: Int64, end: Int64?, unit: BitRangeUnit = .byte) {
        self.start = start
        self.end = end
        self.unit = unit
    }
}

/// BITOP's operation.
public enum BitOperation: Sendable, Equatable {
    case and, or, xor, not
}

/// A BITFIELD integer type: `i1`...`i64` or `u1`...`u63`.
///
/// A value type: safe to share.
public struct BitfieldType: Sendable, Hashable {
    public let signed: Bool
    public let bits: Int

    /// - Throws: `StoreError.bitfieldInvalidType` outside `i1`...`i64`, `u1`...`u63`.
    public init(signed: Bool, bits: Int) throws(StoreError) {
        guard bits >= 1 && bits <= (signed ? 64 : 63) else { throw .bitfieldInvalidType }
        self.signed = signed
        self.bits = bits
    }

    /// The type Redis's `getBitfieldTypeFromArgument` reads: `i` or `u`, then the width
    /// (the text is read as a C string: up to its first NUL byte).
    init(argument: ByteString) throws(StoreError) {
        let text = argument.bytes.prefix { $0 != 0 }
        guard let first = text.first, first == UInt8(ascii: "i") || first == UInt8(ascii: "u"),
              let width = ByteString(Array(text.dropFirst())).int64Value,
              width >= 1 && width <= 64 else { throw .bitfieldInvalidType }
        try self.init(signed: first == UInt8(ascii: "i"), bits: Int(width))
    }
}

/// What BITFIELD does when SET or INCRBY leaves a field's range.
public enum BitfieldOverflow: Sendable, Equatable {
    /// Keep the low bits (two's complement for signed fields): the default.
    case wrap
    /// Clamp to the type's minimum or maximum.
    case sat
    /// Write nothing and answer nil for that operation.
    case fail
}

/// One BITFIELD operation. Offsets are absolute bit offsets (BITFIELD's `#n` is `n`
/// times the type's width).
public enum BitfieldOperation: Sendable, Equatable {
    case get(BitfieldType, offset: Int64)
    /// Answers the previous value.
    case set(BitfieldType, offset: Int64, value: Int64)
    /// Answers the new value.
    case incrBy(BitfieldType, offset: Int64, increment: Int64)
    /// Applies to the SET and INCRBY operations after it.
    case overflow(BitfieldOverflow)

    var writes: Bool {
        switch self {
        case .set, .incrBy: return true
        case .get, .overflow: return false
        }
    }
}

enum BitOffset {
    /// Redis's offset limit: a bit inside `proto-max-bulk-len` bytes.
    /// - Throws: ``StoreError/bitOffset`` for a negative offset or one past 512 MB.
    static func check(_ offset: Int64) throws(StoreError) {
        guard offset >= 0 && offset >> 3 < Int64(StringLimits.maxBulk) else { throw .bitOffset }
    }

    /// `getBitOffsetFromArgument`: an integer, or with `fieldWidth` also `#n` (n fields of
    /// that width, multiplied as Redis does, wrapping), within the limit of ``check(_:)``.
    static func parse(_ argument: ByteString, fieldWidth: Int? = nil) throws(StoreError) -> Int64 {
        var text = argument
        var multiplier: Int64 = 1
        if let fieldWidth, argument.count > 0, argument[0] == UInt8(ascii: "#") {
            text = argument.slice(1..<argument.count)
            multiplier = Int64(fieldWidth)
        }
        guard let n = text.int64Value else { throw .bitOffset }
        let offset = n &* multiplier
        try check(offset)
        return offset
    }
}
