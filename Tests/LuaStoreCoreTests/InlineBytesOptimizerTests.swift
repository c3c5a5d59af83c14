import Reductions
import Testing
@testable import LuaStoreCore

/// Inline bytes read right in the build users ship. In a release build, Swift 6.3 once made
/// every `ByteString` of up to 22 bytes compare as garbage byte by byte (lex ranges, MATCH);
/// see `InlineTupleBytes` for the reduction and Docs/Architecture.md for the workaround.
@Suite struct InlineBytesOptimizerTests {
    @inline(never) static func classify(_ b: UInt8) -> Int {
        switch b {
        case UInt8(ascii: "-"): return 1
        case UInt8(ascii: "+"): return 2
        case UInt8(ascii: "["): return 3
        default: return 0
        }
    }

    /// The folded shape: the first byte read inside the comparison.
    @inline(never) static func classify(_ s: InlineTupleBytes) -> Int {
        switch s[0] {
        case UInt8(ascii: "-"): return 1
        case UInt8(ascii: "+"): return 2
        case UInt8(ascii: "["): return 3
        default: return 0
        }
    }

    @inline(never) static func classify(_ s: ByteString) -> Int {
        switch s[0] {
        case UInt8(ascii: "-"): return 1
        case UInt8(ascii: "+"): return 2
        case UInt8(ascii: "["): return 3
        default: return 0
        }
    }

    @inline(never) static func classifyThroughBytes(_ s: ByteString) -> Int {
        s.withUnsafeBytes { raw in
            switch raw[0] {
            case UInt8(ascii: "-"): return 1
            case UInt8(ascii: "+"): return 2
            case UInt8(ascii: "["): return 3
            default: return 0
            }
        }
    }

    /// The reduction itself: the compiler bug, recorded, not LuaStore's code. It is a
    /// known issue where the optimizer still has it (release builds).
    @Test func reductionOfTheOptimizerBug() {
        withKnownIssue("Swift optimizer folds bytes read through withUnsafeBytes(of: &tuple) across modules", isIntermittent: true) {
            #expect(Self.classify(InlineTupleBytes(45)) == 1)
            #expect(Self.classify(InlineTupleBytes(43)) == 2)
            #expect(Self.classify(InlineTupleBytes(98)) == 0)
        }
    }

    /// Every byte of inline strings of every length, through the subscript and through
    /// `withUnsafeBytes`, compared inside a `switch` (the shape that was folded).
    @Test func everyInlineByteReadsBack() {
        for n in 1...ByteString.inlineCapacity {
            for first in [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "["), UInt8(ascii: "b")] {
                let bytes = [first] + (1..<n).map { UInt8(truncatingIfNeeded: 97 &+ $0) }
                let s = ByteString(bytes)
                #expect(Self.classify(s) == Self.classify(first))
                #expect(Self.classifyThroughBytes(s) == Self.classify(first))
                for i in 0..<n {
                    #expect(s[i] == bytes[i])
                    #expect(s.withUnsafeBytes { $0[i] } == bytes[i])
                }
            }
        }
    }

    /// The reports that found it: lex bounds and literal MATCH patterns.
    @Test func lexBoundsAndLiteralPatternsParse() {
        #expect(LexBound(parsing: "-") == .negativeInfinity)
        #expect(LexBound(parsing: "+") == .positiveInfinity)
        #expect(LexBound(parsing: "b") == nil)
        #expect(LexBound(parsing: "[b") == .inclusive("b"))
        #expect(LexBound(parsing: "(e") == .exclusive("e"))
        #expect(LexBound(parsing: "[") == .inclusive(""))
        #expect(GlobPattern.matches("b", "b"))
        #expect(!GlobPattern.matches("b", "a"))
        #expect(!GlobPattern.matches("b", "bb"))
        #expect(GlobPattern.matches("k[0-9]", "k7"))
        #expect(ByteString("ab").appending("cd") == ByteString("abcd"))
        #expect(ByteString("AbC").asciiLowercased() == ByteString("abc"))
    }
}
