#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaStoreCore

/// What SORT's BY and GET patterns name for one element (Redis's `lookupKeyByPattern`):
/// the element itself (`#`), nothing (a pattern without `*`), a string key (the first `*`
/// replaced by the element), or a hash field (`key*->field`).
///
/// Redis searches the pattern as a C string, so `*` and `->` are only found before its
/// first NUL byte, while the prefix, suffix and field keep every byte; this does the same.
enum SortPattern {
    /// Where one element's value comes from.
    enum Target {
        case element
        case none
        case key(ByteString)
        case field(key: ByteString, field: ByteString)

        var key: ByteString? {
            switch self {
            case .key(let k), .field(let k, _): return k
            case .element, .none: return nil
            }
        }
    }

    /// The target of `pattern` for `element`.
    static func target(_ pattern: ByteString, _ element: ByteString) -> Target {
        let p = pattern.bytes
        let cLength = p.firstIndex(of: 0) ?? p.count
        if cLength >= 1 && p[0] == UInt8(ascii: "#") && cLength == 1 { return .element }
        guard let star = p[..<cLength].firstIndex(of: UInt8(ascii: "*")) else { return .none }
        var fieldLength = 0
        var arrow = star + 1
        while arrow + 1 < cLength {
            if p[arrow] == UInt8(ascii: "-") && p[arrow + 1] == UInt8(ascii: ">") { break }
            arrow += 1
        }
        let hasField = arrow + 2 < cLength
        if hasField { fieldLength = p.count - arrow - 2 }
        let suffixLength = p.count - star - 1 - (hasField ? fieldLength + 2 : 0)
        let key = ByteString(Array(p[..<star]) + element.bytes + Array(p[(star + 1)..<(star + 1 + suffixLength)]))
        if hasField { return .field(key: key, field: ByteString(Array(p[(arrow + 2)...]))) }
        return .key(key)
    }

    /// Whether `pattern` is a real pattern (has a `*`): without one, BY means "do not sort".
    static func hasStar(_ pattern: ByteString) -> Bool {
        pattern.bytes.prefix { $0 != 0 }.contains(UInt8(ascii: "*"))
    }

    /// The value `target` names in the locked shards: a string key's bytes, a hash
    /// field's value, the element; nil when missing or of another type.
    static func value(_ target: Target, element: ByteString, in locked: LockedShards) -> ByteString? {
        switch target {
        case .element: return element
        case .none: return nil
        case .key(let key):
            let h = key.storeHash
            guard let slot = locked[h].lookup(key, hash: h) else { return nil }
            return locked[h].table[slot].value.stringBytes
        case .field(let key, let field):
            let h = key.storeHash
            guard let slot = locked[h].lookup(key, hash: h),
                  case .hash(let hash) = locked[h].table[slot].value else { return nil }
            return hash.value(of: field)
        }
    }

    /// A sort weight as Redis reads it: `strtod` over the bytes up to the first NUL, which
    /// must consume them all, without overflow or underflow (`ERANGE`) and not NaN. So an
    /// empty string is 0, leading spaces and hexadecimal are accepted.
    static func weight(_ bytes: ByteString) -> Double? {
        var text = bytes.bytes.prefix { $0 != 0 }.map { CChar(bitPattern: $0) }
        text.append(0)
        return text.withUnsafeMutableBufferPointer { p -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            errno = 0
            let v = strtod(p.baseAddress!, &end)
            guard let end, end.pointee == 0, errno != ERANGE, !v.isNaN else { return nil }
            return v
        }
    }

    /// Binary comparison (`compareStringObjects`): bytes, then length.
    static func compareBinary(_ a: ByteString, _ b: ByteString) -> Int {
        a.compare(b)
    }

    /// Collation (`strcoll` in Redis's C or C.UTF-8 locale, which is `strcmp`): unsigned
    /// bytes up to the first NUL of each.
    static func compareCollated(_ a: ByteString, _ b: ByteString) -> Int {
        let x = a.bytes.prefix { $0 != 0 }, y = b.bytes.prefix { $0 != 0 }
        if x.lexicographicallyPrecedes(y) { return -1 }
        return x.elementsEqual(y) ? 0 : 1
    }
}
