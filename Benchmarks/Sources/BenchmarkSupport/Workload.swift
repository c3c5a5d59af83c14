import LuaStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The keyspace benchmarks' data set: 10-byte key names and 22-byte values.
public enum Workload {
    /// `k000000042`: 10 bytes.
    public static func key(_ i: Int) -> ByteString {
        var s = String(i)
        s = "k" + String(repeating: "0", count: max(0, 9 - s.count)) + s
        return ByteString(s)
    }

    /// 22 bytes.
    public static func value(_ i: Int) -> ByteString {
        var s = String(i)
        s = "value-" + String(repeating: "x", count: max(0, 16 - s.count)) + s
        return ByteString(s)
    }

    public static func keys(_ n: Int) -> [ByteString] { (0..<n).map(key) }
    public static func values(_ n: Int) -> [ByteString] { (0..<n).map(value) }
}

/// The keyspace benchmarks' baseline: a plain dictionary of byte arrays behind one Mutex,
/// what a Swift program would write without LuaStore.
public final class DictionaryStore: Sendable {
    private let storage = Mutex<[[UInt8]: [UInt8]]>([:])
    public init() {}

    public func set(_ key: [UInt8], _ value: [UInt8]) {
        storage.withLock { $0[key] = value }
    }

    public func get(_ key: [UInt8]) -> [UInt8]? {
        storage.withLock { $0[key] }
    }
}

/// Resident set size in bytes (from /proc/self/statm).
public func residentBytes() -> Int {
    #if canImport(Glibc)
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var size = 0, resident = 0
    _ = withUnsafeMutablePointer(to: &size) { s in
        withUnsafeMutablePointer(to: &resident) { r in
            withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
        }
    }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
    return 0
    #endif
}

/// Monotonic nanoseconds.
public func nanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// Runs `body(thread)` on `threads` threads at once and returns the wall time in seconds.
public func timeParallel(threads: Int, _ body: @escaping @Sendable (Int) -> Void) -> Double {
    var handles: [pthread_t] = []
    let start = nanoseconds()
    final class Box: @unchecked Sendable { let run: () -> Void; init(_ r: @escaping () -> Void) { run = r } }
    for t in 0..<threads {
        var handle = pthread_t()
        let box = Unmanaged.passRetained(Box { body(t) })
        pthread_create(&handle, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.run()
            return nil
        }, box.toOpaque())
        handles.append(handle)
    }
    for h in handles { pthread_join(h, nil) }
    return Double(nanoseconds() - start) / 1e9
}
