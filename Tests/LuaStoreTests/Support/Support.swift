import Testing
@testable import LuaStore

/// Runs a command given as text arguments.
@discardableResult
func run(_ store: LuaStore, _ argv: String...) -> Reply {
    store.execute(argv)
}

/// Expects `argv` to answer `expected`.
func expect(_ store: LuaStore, _ argv: [String], _ expected: Reply, sourceLocation: SourceLocation = #_sourceLocation) {
    let reply = store.execute(argv)
    #expect(reply == expected, "\(argv)", sourceLocation: sourceLocation)
}

extension Reply {
    static func bulks(_ items: String?...) -> Reply {
        .array(items.map { $0.map { Reply.bulk($0) } ?? .null })
    }
    static func err(_ line: String) -> Reply { .error(line) }
}
