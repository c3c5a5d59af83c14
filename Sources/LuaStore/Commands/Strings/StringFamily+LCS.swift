import LuaStoreCore

/// LCS (Redis's t_string.c): the handler parses argv, calls ``KeyspaceAccess/lcs(_:_:query:)``
/// and shapes the reply.
extension StringFamily {
    static let lcsCommands: [CommandSpec] = [
        CommandSpec("lcs", arity: -3, flags: [.readonly], acl: [.string], keys: [.range(1, last: 1, [.RO, .access])], handler: lcs),
    ]

    /// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN] — O(N*M)
    ///
    /// The keys' types are checked before the options are parsed; LEN with IDX is refused
    /// after every option parsed. IDX answers a map (RESP3) or a flat array (RESP2) of
    /// `matches` and `len`.
    static func lcs(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        var withMatchLength = false
        let answer = try ctx.keyspace.lcs(argv[1], argv[2]) { () throws(StoreError) -> LCSQuery in
            var getLength = false, getIndexes = false
            var minimum: Int64 = 0
            var j = 3
            while j < argv.count {
                let option = argv[j]
                if option.isOption("IDX") {
                    getIndexes = true
                } else if option.isOption("LEN") {
                    getLength = true
                } else if option.isOption("WITHMATCHLEN") {
                    withMatchLength = true
                } else if option.isOption("MINMATCHLEN") && j + 1 < argv.count {
                    minimum = max(try argv[j + 1].integerArgument(), 0)
                    j += 1
                } else {
                    throw .syntax
                }
                j += 1
            }
            if getLength && getIndexes { throw .lcsLenAndIdx }
            if getIndexes { return .matches(minimumLength: minimum) }
            return getLength ? .length : .string
        }
        switch answer {
        case .string(let s): return .bulk(s)
        case .length(let n): return .integer(Int64(n))
        case .matches(let result):
            let matches = result.matches.map { match -> Reply in
                var entry: [Reply] = [
                    .array([.integer(Int64(match.first.lowerBound)), .integer(Int64(match.first.upperBound))]),
                    .array([.integer(Int64(match.second.lowerBound)), .integer(Int64(match.second.upperBound))]),
                ]
                if withMatchLength { entry.append(.integer(Int64(match.length))) }
                return .array(entry)
            }
            let reply = Reply.map([
                Reply.MapEntry(key: .bulk("matches"), value: .array(matches)),
                Reply.MapEntry(key: .bulk("len"), value: .integer(Int64(result.length))),
            ])
            return ctx.resp3 ? reply : reply.downgradedToRESP2()
        }
    }
}
