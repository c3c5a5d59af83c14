import CacheServerApp
import Hummingbird
import HummingbirdTesting
import LuaStore
import Synchronization
import Testing

/// The cache server through Hummingbird's test client, with a clock the test moves.
@Suite struct CacheServerTests {
    /// Counts renders per id.
    final class Renders: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func record(_ id: String) { counts.withLock { $0[id, default: 0] += 1 } }
        func count(_ id: String) -> Int { counts.withLock { $0[id] ?? 0 } }
    }

    struct RenderFailed: Error {}

    func app(clock: ManualClock, renders: Renders, failing: Bool = false) -> some ApplicationProtocol {
        buildApplication(store: makeCacheStore(clock: clock)) { id in
            renders.record(id)
            try await Task.sleep(for: .milliseconds(50))   // requests pile up meanwhile
            if failing { throw RenderFailed() }
            return "report \(id)"
        }
    }

    /// 50 concurrent requests for one page render it once; every one gets the page.
    @Test func concurrentRequestsRenderOnce() async throws {
        let renders = Renders()
        try await app(clock: ManualClock(), renders: renders).test(.router) { client in
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await client.execute(uri: "/report/7", method: .get) { String(buffer: $0.body) }
                    }
                }
                for try await body in group { #expect(body == "report 7") }
            }
        }
        #expect(renders.count("7") == 1)
    }

    /// A cached page is served until its TTL passes on the store's clock.
    @Test func pagesExpireOnTheStoreClock() async throws {
        let clock = ManualClock()
        let renders = Renders()
        try await app(clock: clock, renders: renders).test(.router) { client in
            for _ in 0..<3 { _ = try await client.execute(uri: "/report/1", method: .get) }
            #expect(renders.count("1") == 1)
            clock.advance(by: .seconds(30))
            let response = try await client.execute(uri: "/report/1", method: .get)
            #expect(response.status == .ok)
            #expect(renders.count("1") == 2)
            let deleted = try await client.execute(uri: "/report/1", method: .delete)
            #expect(deleted.status == .noContent)
            _ = try await client.execute(uri: "/report/1", method: .get)
            #expect(renders.count("1") == 3)
        }
    }

    /// A failed render answers 500 and caches nothing: the next request renders again.
    @Test func failuresAreNotCached() async throws {
        let renders = Renders()
        try await app(clock: ManualClock(), renders: renders, failing: true).test(.router) { client in
            let first = try await client.execute(uri: "/report/9", method: .get)
            #expect(first.status == .internalServerError)
            _ = try await client.execute(uri: "/report/9", method: .get)
        }
        #expect(renders.count("9") == 2)
    }
}
