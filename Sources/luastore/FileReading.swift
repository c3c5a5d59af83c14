#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of the file at `path` (a Lua script for `--eval` or `--load`), or `nil` with
/// `errno` set if it cannot be opened, so the caller can word the error as redis-cli does
/// (`Can't open file '...': No such file or directory`).
func readWholeFile(atPath path: String) -> [UInt8]? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count == 0 { break }
        bytes += chunk[0..<count]
    }
    return bytes
}
