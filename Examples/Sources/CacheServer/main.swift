// `swift run CacheServer`, then `curl localhost:8080/report/42` (twice: the second is
// served from the cache).
import CacheServerApp

let store = makeCacheStore()
let app = buildApplication(store: store) { id in
    try await Task.sleep(for: .milliseconds(200))   // the expensive part
    return "report \(id), rendered once\n"
}
try await app.runService()
