#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `luastore cli` writes what redis-cli would print: standard output in the tool,
/// a byte buffer in the tests.
protocol OutputSink {
    mutating func write(_ bytes: [UInt8])
}

/// Writes straight to a file descriptor, unbuffered, so that each reply is visible as soon
/// as it is printed (redis-cli flushes after every reply too).
///
/// # Thread safety
/// Not shared between threads; one writer owns it.
struct FileDescriptorOutput: OutputSink {
    let descriptor: Int32

    static let standardOutput = FileDescriptorOutput(descriptor: 1)
    static let standardError = FileDescriptorOutput(descriptor: 2)

    mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Glibc)
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                let written = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // Output is gone (closed pipe, full disk): nothing left to print to.
                }
                offset += written
            }
        }
    }
}
