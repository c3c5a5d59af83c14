import LuaStoreCore

/// PFDEBUG and PFSELFTEST (Redis's debugging commands for HyperLogLog values).
extension KeyspaceAccess {
    /// What a PFDEBUG subcommand answers.
    enum HyperLogLogDebug {
        /// GETREG: the 16384 registers (the key turns dense, as in Redis).
        case registers([UInt8])
        /// DECODE: the sparse opcodes, as `z:<len>`, `Z:<len>`, `v:<value>,<len>`.
        case decoded(String)
        /// ENCODING: "dense" or "sparse".
        case encoding(String)
        /// TODENSE: whether the key was sparse (and is dense now).
        case converted(Bool)
    }

    /// PFDEBUG `subcommand` `key`: GETREG, DECODE, ENCODING, TODENSE, in any case. As in
    /// Redis, the key is checked before the subcommand.
    /// - Throws: ``StoreError/hyperLogLogKeyMissing``, ``StoreError/wrongType``,
    ///   ``StoreError/notHyperLogLog``, ``StoreError/corruptHyperLogLog`` (a sparse value
    ///   that does not decode), ``StoreError/hyperLogLogNotSparse`` (DECODE of a dense
    ///   one), ``StoreError/pfdebugUnknownSubcommand(_:)``.
    func pfdebug(_ subcommand: ByteString, _ key: ByteString) throws(StoreError) -> HyperLogLogDebug {
        try withKey(key, access: .write) { (s, h) throws(StoreError) -> HyperLogLogDebug in
            guard let slot = s.lookup(key, hash: h) else { throw .hyperLogLogKeyMissing }
            let encoding = try Self.hyperLogLogEncoding(s.table[slot].value)
            let bytes = s.table[slot].value.stringBytes!.bytes
            /// Makes the value dense; whether it was sparse.
            func makeDense() throws(StoreError) -> Bool {
                guard encoding == HyperLogLog.sparse else { return false }
                guard let dense = bytes.withUnsafeBytes({ HyperLogLog.sparseToDense($0) }) else { throw .corruptHyperLogLog }
                s.replaceValue(slot: slot, with: .string(ByteString(dense)))
                return true
            }
            switch subcommand.string.lowercased() {
            case "getreg":
                _ = try makeDense()
                return .registers(s.table[slot].value.withStringBytes { value in
                    (0..<HyperLogLog.registerCount).map { HyperLogLog.denseRegister(value, $0) }
                }!)
            case "decode":
                guard encoding == HyperLogLog.sparse else { throw .hyperLogLogNotSparse }
                // The opcodes as written (a short run may be an XZERO), as Redis prints them.
                var parts: [String] = []
                var p = HyperLogLog.headerSize
                while p < bytes.count {
                    let b = bytes[p]
                    if HyperLogLog.isZero(b) {
                        parts.append("z:\(HyperLogLog.zeroLength(b))")
                        p += 1
                    } else if HyperLogLog.isXZero(b) {
                        parts.append("Z:\(HyperLogLog.xzeroLength(b, p + 1 < bytes.count ? bytes[p + 1] : 0))")
                        p += 2
                    } else {
                        parts.append("v:\(HyperLogLog.valValue(b)),\(HyperLogLog.valLength(b))")
                        p += 1
                    }
                }
                return .decoded(parts.joined(separator: " "))
            case "encoding":
                return .encoding(encoding == HyperLogLog.dense ? "dense" : "sparse")
            case "todense":
                return .converted(try makeDense())
            default:
                throw .pfdebugUnknownSubcommand(subcommand.string)
            }
        }
    }
}

extension HyperLogLog {
    /// PFSELFTEST: Redis's two checks of the implementation, on fresh values. Nil when
    /// both pass, else what failed (the text after `TESTFAILED`).
    /// 1. The dense registers read back what was written, over 100 rounds of random values
    ///    (Redis runs 1000).
    /// 2. A sparse and a dense HyperLogLog fed the same 100,000 elements (Redis feeds 10
    ///    million; the checks are the same) agree, and their estimates stay within Redis's
    ///    bound (6 standard errors) at each power of ten.
    static func selfTest() -> String? {
        var random = SplitMix64(seed: 0x5EED)
        var dense = [UInt8](repeating: 0, count: denseSize)
        var expected = [UInt8](repeating: 0, count: registerCount)
        for _ in 0..<100 {
            for i in 0..<registerCount { expected[i] = UInt8.random(in: 0...63, using: &random) }
            dense.withUnsafeMutableBytes { out in
                for i in 0..<registerCount { setDenseRegister(out, i, expected[i]) }
            }
            let wrong = dense.withUnsafeBytes { value in
                (0..<registerCount).first { denseRegister(value, $0) != expected[$0] }
            }
            if let wrong {
                return "Register error at index \(wrong)"
            }
        }
        var sparseValue = empty()
        var denseValue = empty().withUnsafeBytes { sparseToDense($0) }!
        let relativeError = 1.04 / Double(registerCount).squareRoot()
        var checkpoint = 1
        let seed = random.next()
        for j in 1...100_000 {
            var number = UInt64(j) ^ seed
            let element = withUnsafeBytes(of: &number) { ByteString(Array($0)) }
            // PFADD's path: sparse until it turns dense.
            _ = KeyspaceAccess.add([element], to: &sparseValue)
            let (index, run) = element.withUnsafeBytes { pattern($0) }
            _ = denseValue.withUnsafeMutableBytes { denseSet($0, index, run) }
            guard j == checkpoint else { continue }
            let sparseCount = sparseValue.withUnsafeBytes { count($0) }
            let denseCount = denseValue.withUnsafeBytes { count($0) }
            guard let sparseCount, sparseCount == denseCount else { return "dense/sparse disagree" }
            var maxError = UInt64((relativeError * 6 * Double(checkpoint)).rounded(.up))
            if j == 10 { maxError = 1 }
            let error = sparseCount > UInt64(checkpoint) ? sparseCount - UInt64(checkpoint) : UInt64(checkpoint) - sparseCount
            if error > maxError {
                return "Too big error. card:\(checkpoint) abserr:\(error)"
            }
            checkpoint *= 10
        }
        return nil
    }
}
