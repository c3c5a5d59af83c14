/// SHA-1 as Redis uses it for script names and `redis.sha1hex`: lower-case hex of the digest.
///
/// # Thread safety
/// Pure functions: safe from any thread.
enum SHA1 {
    /// The 40-character lower-case hex digest of `bytes`.
    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        let digest = hash(bytes)
        let table: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(40)
        for word in digest {
            for shift in stride(from: 28, through: 0, by: -4) {
                out.append(table[Int((word >> UInt32(shift)) & 0xf)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { hex($0) } }

    private static func hash(_ message: UnsafeRawBufferPointer) -> [UInt32] {
        var h: [UInt32] = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0]
        // Padding: 0x80, zeros to 56 mod 64, then the bit length big-endian.
        let length = message.count
        var tail = [UInt8](message[(length - length % 64)...])
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        let bits = UInt64(length) &* 8
        for i in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(i))) }

        var w = [UInt32](repeating: 0, count: 80)
        func block(_ bytes: UnsafeRawBufferPointer) {
            for i in 0..<16 {
                w[i] = UInt32(bytes[i * 4]) << 24 | UInt32(bytes[i * 4 + 1]) << 16
                    | UInt32(bytes[i * 4 + 2]) << 8 | UInt32(bytes[i * 4 + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = (x << 1) | (x >> 31)
            }
            var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4]
            for i in 0..<80 {
                let f: UInt32, k: UInt32
                switch i {
                case 0..<20: f = (b & c) | (~b & d); k = 0x5A827999
                case 20..<40: f = b ^ c ^ d; k = 0x6ED9EBA1
                case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC
                default: f = b ^ c ^ d; k = 0xCA62C1D6
                }
                let t = ((a << 5) | (a >> 27)) &+ f &+ e &+ k &+ w[i]
                e = d; d = c; c = (b << 30) | (b >> 2); b = a; a = t
            }
            h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d; h[4] = h[4] &+ e
        }
        var offset = 0
        while offset + 64 <= length {
            block(UnsafeRawBufferPointer(rebasing: message[offset..<(offset + 64)]))
            offset += 64
        }
        tail.withUnsafeBytes { t in
            var o = 0
            while o < t.count {
                block(UnsafeRawBufferPointer(rebasing: t[o..<(o + 64)]))
                o += 64
            }
        }
        return h
    }
}
