@testable import LuaStoreCore

/// The deterministic generator property tests replay their operations with.
typealias SeededGenerator = SplitMix64

extension ByteString {
    /// A member drawn from a pool of `pool` names; every 16th one is long (heap-allocated).
    static func member(_ i: Int) -> ByteString {
        i % 16 == 0 ? ByteString("a-member-name-long-enough-to-leave-inline-\(i)") : ByteString("m\(i)")
    }
}
