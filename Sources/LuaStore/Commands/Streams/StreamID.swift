import LuaStoreCore

/// A stream entry ID: milliseconds and a sequence number, ordered by both (Redis's
/// `streamID`), written `ms-seq`.
///
/// # Thread safety
/// A value type: safe to share.
public struct StreamID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var ms: UInt64
    public var seq: UInt64

    public init(ms: UInt64, seq: UInt64) {
        self.ms = ms
        self.seq = seq
    }

    /// `0-0`: below every entry ID.
    public static let zero = StreamID(ms: 0, seq: 0)
    /// The greatest ID (`+`).
    public static let max = StreamID(ms: .max, seq: .max)

    public static func < (a: StreamID, b: StreamID) -> Bool {
        a.ms != b.ms ? a.ms < b.ms : a.seq < b.seq
    }

    /// `ms-seq`.
    public var description: String { "\(ms)-\(seq)" }

    /// The ID as Redis prints it.
    public var text: ByteString { ByteString(description) }

    /// The next ID (`streamIncrID`); nil after ``max``.
    public var successor: StreamID? {
        if seq == .max { return ms == .max ? nil : StreamID(ms: ms + 1, seq: 0) }
        return StreamID(ms: ms, seq: seq + 1)
    }

    /// The previous ID (`streamDecrID`); nil before ``zero``.
    public var predecessor: StreamID? {
        if seq == 0 { return ms == 0 ? nil : StreamID(ms: ms - 1, seq: .max) }
        return StreamID(ms: ms, seq: seq - 1)
    }
}

/// An ID argument as `streamGenericParseIDOrReply` reads it.
enum StreamIDArgument {
    /// `ms-seq` or `ms` (the sequence is the caller's `missing`), or `-`/`+` where allowed.
    /// `ms-*` with `allowAutoSequence` gives `(id with seq 0, sequenceGiven: false)`.
    /// - Throws: ``StoreError/streamInvalidID``.
    static func parse(
        _ argument: ByteString, missing: UInt64 = 0, strict: Bool = false, allowAutoSequence: Bool = false
    ) throws(StoreError) -> (id: StreamID, sequenceGiven: Bool) {
        // Redis copies the argument into a C string: it ends at the first NUL.
        guard argument.count <= 127 else { throw .streamInvalidID }
        var bytes = argument.bytes
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        if bytes == [UInt8(ascii: "-")] {
            if strict { throw .streamInvalidID }
            return (.zero, true)
        }
        if bytes == [UInt8(ascii: "+")] {
            if strict { throw .streamInvalidID }
            return (.max, true)
        }
        guard let dash = bytes.firstIndex(of: UInt8(ascii: "-")) else {
            guard let ms = unsigned(bytes[...]) else { throw .streamInvalidID }
            return (StreamID(ms: ms, seq: missing), true)
        }
        guard let ms = unsigned(bytes[..<dash]) else { throw .streamInvalidID }
        let rest = bytes[(dash + 1)...]
        if allowAutoSequence && rest.elementsEqual([UInt8(ascii: "*")]) {
            return (StreamID(ms: ms, seq: 0), false)
        }
        guard let seq = unsigned(rest) else { throw .streamInvalidID }
        return (StreamID(ms: ms, seq: seq), true)
    }

    /// A strict ID (no `-` or `+`).
    static func strict(_ argument: ByteString) throws(StoreError) -> StreamID {
        try parse(argument, strict: true).id
    }

    /// An interval bound (`streamParseIntervalIDOrReply`): `(id` is exclusive.
    static func interval(_ argument: ByteString, missing: UInt64) throws(StoreError) -> (id: StreamID, exclusive: Bool) {
        if argument.count > 1, argument.bytes[0] == UInt8(ascii: "(") {
            let rest = ByteString(argument.bytes.dropFirst())
            return (try parse(rest, missing: missing, strict: true).id, true)
        }
        return (try parse(argument, missing: missing).id, false)
    }

    /// `string2ull`: `string2ll` for canonical integers (negative ones refused), `strtoull`
    /// for the rest (leading spaces, a sign, leading zeros; a `-` wraps).
    static func unsigned(_ text: ArraySlice<UInt8>) -> UInt64? {
        if let v = ByteString(text).int64Value { return v < 0 ? nil : UInt64(v) }
        var i = text.startIndex
        while i < text.endIndex, text[i] == 0x20 || (0x09...0x0D).contains(text[i]) { i += 1 }
        var negative = false
        if i < text.endIndex, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
            negative = text[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < text.endIndex else { return nil }
        var value: UInt64 = 0
        while i < text.endIndex {
            let digit = text[i] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(digit))
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        return negative ? 0 &- value : value
    }
}
