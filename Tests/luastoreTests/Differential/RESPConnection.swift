import LuaStore
import Synchronization
import TestSupport
@testable import luastore

/// The shared ``RESPClient`` as a ``CommandExecutor``: it lets the real redis-server stand
/// in behind ``CLISession``, so that the splitter and formatter are compared with redis-cli
/// on exactly the replies redis-cli saw.
///
/// # Thread safety
/// The client sits behind a `Mutex`; one command is in flight at a time.
final class RESPConnection: CommandExecutor, Sendable {
    private let client: Mutex<RESPClient>

    /// Connects to 127.0.0.1:`port`; with `resp3`, sends `HELLO 3` first (as `redis-cli -3`).
    init(port: UInt16, resp3: Bool = false) throws {
        let client = try RESPClient(port: port)
        if resp3 { try client.hello(3) }
        self.client = Mutex(client)
    }

    func execute(_ argv: [ByteString]) -> Reply {
        client.withLock { client in
            (try? client.call(argv)) ?? .error("TEST connection failed")
        }
    }
}
