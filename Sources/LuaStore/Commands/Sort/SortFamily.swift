import LuaStoreCore

/// SORT and SORT_RO (Redis's sort.c): the handler parses argv, calls the operations in
/// `SortOps.swift`, and shapes the reply.
enum SortFamily {
    static let byGetNotes = "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"
    static let storeNotes = "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"

    static let commands: [CommandSpec] = [
        CommandSpec("sort", arity: -2, flags: [.write, .denyOOM], acl: [.set, .sortedSet, .list, .dangerous],
                    keys: [.range(1, [.RO, .access]), .unknown([.RO, .access], notes: byGetNotes), .unknown([.OW, .update], notes: storeNotes)],
                    keyFunction: sortKeys, handler: { ctx, argv throws(StoreError) in try sort(ctx, argv, readOnly: false) }),
        CommandSpec("sort_ro", arity: -2, flags: [.readonly], acl: [.set, .sortedSet, .list, .dangerous],
                    keys: [.range(1, [.RO, .access]), .unknown([.RO, .access], notes: byGetNotes)],
                    keyFunction: { _ in [(1, [.RO, .access])] }, handler: { ctx, argv throws(StoreError) in try sort(ctx, argv, readOnly: true) }),
    ]

    /// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC]
    /// [ALPHA] [STORE destination]; SORT_RO without STORE — O(N+M*log(M))
    ///
    /// The options are parsed before the key is read: a repeated option overrides the
    /// earlier one (except that one BY without `*` keeps the source's order), GET
    /// accumulates, and the last STORE wins.
    static func sort(_ ctx: borrowing CommandContext, _ argv: [ByteString], readOnly: Bool) throws(StoreError) -> Reply {
        var options = SortOptions()
        var store: ByteString? = nil
        var noSort: ByteString? = nil
        var j = 2
        while j < argv.count {
            let left = argv.count - j - 1
            let option = argv[j]
            if option.isOption("ASC") {
                options.descending = false
            } else if option.isOption("DESC") {
                options.descending = true
            } else if option.isOption("ALPHA") {
                options.alpha = true
            } else if option.isOption("LIMIT") && left >= 2 {
                let offset = try argv[j + 1].integerArgument(), count = try argv[j + 2].integerArgument()
                options.limit = (Int(offset), Int(count))
                j += 2
            } else if !readOnly && option.isOption("STORE") && left >= 1 {
                store = argv[j + 1]
                j += 1
            } else if option.isOption("BY") && left >= 1 {
                options.by = argv[j + 1]
                if !SortPattern.hasStar(argv[j + 1]) { noSort = argv[j + 1] }
                j += 1
            } else if option.isOption("GET") && left >= 1 {
                options.get.append(argv[j + 1])
                j += 1
            } else {
                throw .syntax
            }
            j += 1
        }
        // One BY without `*` turns sorting off for good, whatever BY follows (Redis's
        // `dontsort` is never cleared).
        if let noSort { options.by = noSort }
        if let store {
            return .integer(Int64(try ctx.keyspace.sort(argv[1], options, store: store)))
        }
        return .array(try ctx.keyspace.sort(argv[1], options).map { $0.map(Reply.bulk) ?? .null })
    }

    /// SORT's keys (`sortGetKeys`): the sorted key, and the last STORE's destination.
    /// Options are skipped by their argument counts (LIMIT 2, GET and BY 1), others by
    /// none, so a STORE destination is also read as an option name, as in Redis.
    @Sendable static func sortKeys(_ argv: [ByteString]) -> [(position: Int, flags: KeySpec.Flags)] {
        guard argv.count > 1 else { return [] }
        var keys: [(position: Int, flags: KeySpec.Flags)] = [(1, [.RO, .access])]
        var store: Int? = nil
        var i = 2
        while i < argv.count {
            let word = argv[i]
            if word.isOption("LIMIT") {
                i += 2
            } else if word.isOption("STORE") && i + 1 < argv.count {
                store = i + 1
            } else if word.isOption("GET") || word.isOption("BY") {
                i += 1
            }
            i += 1
        }
        if let store { keys.append((store, [.OW, .update])) }
        return keys
    }
}
