// A Hummingbird 2 server that caches what it computes in LuaStore: a memory bound, an
// eviction policy, TTLs, and getOrSet so that a burst of requests for one missing page
// renders it once.
import Hummingbird
import LuaStore

/// Renders a page from its id: the slow, expensive work the cache saves.
public typealias Renderer = @Sendable (_ id: String) async throws -> String

/// The store a cache server uses: 64 MB, W-TinyLFU eviction (LuaStore's own policy,
/// best on skewed traffic with scans), on `clock`.
public func makeCacheStore(clock: any StoreClock = SystemClock()) -> LuaStore {
    LuaStore(configuration: .init(
        clock: clock,
        settings: .init(maxMemory: 64 << 20, evictionPolicy: .allKeysTinyLFU)))
}

/// The application: `GET /report/:id` answers the rendered report, cached for 30 s;
/// `DELETE /report/:id` drops it from the cache.
public func buildApplication(
    store: LuaStore, render: @escaping Renderer,
    configuration: ApplicationConfiguration = .init(address: .hostname("127.0.0.1", port: 8080))
) -> some ApplicationProtocol {
    let router = Router()
    router.get("report/:id") { _, context -> String in
        let id = try context.parameters.require("id")
        let page = try await store.getOrSet(ByteString("report:\(id)"), ttl: .seconds(30)) {
            ByteString(try await render(id))
        }
        return page.string
    }
    router.delete("report/:id") { _, context -> HTTPResponse.Status in
        let id = try context.parameters.require("id")
        return try store.del([ByteString("report:\(id)")]) == 1 ? .noContent : .notFound
    }
    return Application(router: router, configuration: configuration)
}
