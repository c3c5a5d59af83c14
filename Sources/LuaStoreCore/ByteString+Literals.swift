/// Writing keys, values and arguments as Swift values.
///
/// Every parameter of the typed API is a ``ByteString``, and a literal of any common kind
/// converts to one where a `ByteString` is expected:
///
/// ```swift
/// try store.set("user:\(id)", "alice")      // interpolation: the text, as String would print it
/// try store.set("visits:\(id)", 5)          // integer literal: "5"
/// try store.set("ratio", 2.5)               // float literal: "2.5"
/// try store.eval(limiter, keys: ["hits:\(user)"], args: [10, 2.5, "x"])
/// ```
///
/// A variable of another type converts with one initializer: `ByteString(count)` for an
/// `Int`, `ByteString(ratio)` for a `Double`, `ByteString(name)` (or `"\(name)"`) for a
/// `String`, `ByteString(name[range])` for a `Substring`, `ByteString(bytes)` for `[UInt8]`,
/// Foundation's `Data` or any other sequence of bytes.
extension ByteString: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringInterpolation {
    /// The decimal text of an integer literal (`5` is `"5"`).
    @inlinable
    public init(integerLiteral value: Int64) { self.init(value) }

    /// The text of a float literal, as `init(_: Double)` writes it (`2.5` is `"2.5"`).
    @inlinable
    public init(floatLiteral value: Double) { self.init(value) }

    /// The bytes of an interpolated string: literal parts as UTF-8, an interpolated
    /// ``ByteString`` as its bytes (binary-safe), anything else as `String(describing:)`
    /// prints it.
    @inlinable
    public init(stringInterpolation: StringInterpolation) {
        self = stringInterpolation.bytes.withUnsafeBytes { ByteString($0) }
    }

    /// The decimal text of `value`, as Redis formats integers.
    @inlinable
    public init(_ value: Int) { self.init(Int64(value)) }

    /// The text of `value` as Redis's `INCRBYFLOAT` prints it (`%.17Lf` in `long double`,
    /// trailing zeros and dot removed): `2.5` is `"2.5"`, `0.1` is `"0.1"`, `3.0` is `"3"`,
    /// `1e20` is `"100000000000000000000"`. The value is taken from its shortest decimal
    /// text, so what `INCRBYFLOAT` on a missing key by `value` stores is exactly this.
    /// Infinities are `"inf"` and `"-inf"`, NaN is `"nan"` (which `INCRBYFLOAT` refuses).
    public init(_ value: Double) {
        if value.isNaN {
            self = "nan"
        } else if value.isInfinite {
            self = value < 0 ? "-inf" : "inf"
        } else if value.rounded(.towardZero) == value && value.magnitude < 1e15 {
            // Integral and exactly an Int64: the same digits, without the C formatter.
            self.init(Int64(value))
        } else {
            let text = ByteString(String(value))
            self = LongDoubleText.parse(text).map(LongDoubleText.format) ?? text
        }
    }

    /// The UTF-8 bytes of `substring`.
    @inlinable
    public init(_ substring: Substring) {
        var s = substring
        self = s.withUTF8 { ByteString(UnsafeRawBufferPointer($0)) }
    }

    /// Builds the bytes of an interpolated ``ByteString``.
    ///
    /// # Thread safety
    /// A value used on one thread while a literal is built.
    public struct StringInterpolation: StringInterpolationProtocol {
        @usableFromInline var bytes: [UInt8]

        @inlinable
        public init(literalCapacity: Int, interpolationCount: Int) {
            bytes = []
            bytes.reserveCapacity(literalCapacity + 8 * interpolationCount)
        }

        /// Appends the literal part's UTF-8.
        @inlinable
        public mutating func appendLiteral(_ literal: String) { bytes.append(contentsOf: literal.utf8) }

        /// Appends the bytes of `value` unchanged (binary-safe).
        @inlinable
        public mutating func appendInterpolation(_ value: ByteString) {
            value.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }

        /// Appends `value` as `String(describing:)` prints it.
        @inlinable
        public mutating func appendInterpolation<T>(_ value: T) {
            bytes.append(contentsOf: String(describing: value).utf8)
        }

        /// Appends an optional as `String(describing:)` prints it: `Optional("x")` or `nil`.
        @available(*, deprecated, message: "interpolates Optional(...) or nil; unwrap the value first")
        @inlinable
        public mutating func appendInterpolation<T>(_ value: T?) {
            bytes.append(contentsOf: String(describing: value).utf8)
        }
    }
}
