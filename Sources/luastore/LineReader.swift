#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads standard input one line at a time as bytes (Swift's `readLine` would decode UTF-8
/// and repair invalid bytes, but arguments are binary).
///
/// A line ends at `\n`, which is not returned; a last line without one is still returned,
/// as linenoise does for redis-cli when stdin is not a terminal.
///
/// # Thread safety
/// Owns its buffer; used by the one thread that reads input.
struct LineReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next `\n` resumes, so a long line is scanned once.
    private var scanned = 0
    private var atEnd = false

    init(descriptor: Int32 = 0) {
        self.descriptor = descriptor
    }

    /// The next line, or `nil` at the end of input.
    mutating func next() -> [UInt8]? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            fill()
        }
    }

    /// Appends what one `read` returns, dropping consumed bytes first.
    private mutating func fill() {
        buffer.removeFirst(start)
        scanned -= start
        start = 0
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            buffer += chunk[0..<count]
        } else if count == 0 || errno != EINTR {
            atEnd = true
        }
    }
}
