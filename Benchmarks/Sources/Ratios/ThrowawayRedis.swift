import Foundation
import RedisSupport

/// A redis-server on a free loopback port for the length of one measurement, with
/// redis-cli and redis-benchmark pointed at it: the tests' launcher (`RedisSupport` is
/// Tests/TestSupport, linked in since a package cannot reach outside its root), so the
/// server is spawned, waited for and cleaned up the same way. Nil from `init` when the
/// Debian tools are missing.
final class ThrowawayRedis {
    private let server: RedisServer

    var port: Int { Int(server.port) }

    init?() {
        guard RedisServer.toolsAvailable, let server = try? RedisServer() else { return nil }
        self.server = server
    }

    /// Stops the server and waits for it. Idempotent.
    func stop() { server.stop() }

    /// `redis-cli -p PORT args...`
    func cli(_ arguments: [String]) -> String? {
        (try? server.runTool("redis-cli", arguments, input: [], timeoutSeconds: 300))
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// Requests per second of `redis-benchmark -p PORT options... --csv -q command...`.
    func requestsPerSecond(options: [String], command: [String]) -> Double? {
        let args = options + ["-q", "--csv"] + command
        // "name","rps",...: the last line is the command's row.
        guard let output = try? server.runTool("redis-benchmark", args, input: [], timeoutSeconds: 600),
              let fields = String(decoding: output, as: UTF8.self).split(separator: "\n").last?.split(separator: ","),
              fields.count > 1 else { return nil }
        return Double(fields[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    }

    /// INFO memory's used_memory.
    func usedMemory() -> Int? {
        guard let info = cli(["INFO", "memory"]) else { return nil }
        for line in info.split(whereSeparator: \.isNewline) where line.hasPrefix("used_memory:") {
            return Int(line.dropFirst("used_memory:".count))
        }
        return nil
    }
}
