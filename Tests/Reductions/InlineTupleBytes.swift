/// A reduction of a Swift 6.3 optimizer miscompile that `ByteString` works around (see
/// Docs/Architecture.md, "Inline bytes and the optimizer").
///
/// A value keeps a few bytes as words in an enum payload; its byte subscript copies the
/// words into a local tuple and reads them through `withUnsafeBytes(of: &tuple)`. Built
/// with `-O` and inlined into another module, the optimizer treats the bytes read as
/// undefined and folds the comparisons made with them: in a release build
/// `classify(InlineTupleBytes(45))` answers 0 where it should answer 1. Within one module,
/// or at `-Onone`, it answers right.
@frozen public struct InlineTupleBytes {
    public final class Box {}
    @usableFromInline enum Representation { case inline(a: UInt64, b: UInt64, count: UInt8), heap(Box) }
    @usableFromInline var representation: Representation

    @inlinable public init(_ firstByte: UInt8) {
        representation = .inline(a: UInt64(firstByte), b: 0, count: 1)
    }

    /// The miscompiled pattern: a local tuple read through its address.
    @inlinable public subscript(i: Int) -> UInt8 {
        switch representation {
        case .inline(let a, let b, _):
            var raw = (a, b)
            return Swift.withUnsafeBytes(of: &raw) { $0[i] }
        case .heap: return 0
        }
    }
}
