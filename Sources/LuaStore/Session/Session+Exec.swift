import LuaStoreCore

extension Session {
    /// Commands that work on every key rather than on keys they name: an EXEC that queues
    /// one takes the whole store.
    static let wholeStoreCommands: Set<String> = ["flushall", "flushdb", "keys", "scan", "randomkey", "dbsize"]

    /// EXEC, as Redis's `execCommand`: without MULTI an error; after a queue-time error
    /// EXECABORT; when a watched key changed a null array; otherwise each queued
    /// command's reply in order, a run-time error staying that command's reply.
    func exec() -> Reply {
        guard let queued = queue else { return StoreError.execWithoutMulti.reply }
        if queueFailed {
            discard()
            return StoreError.execAbort.reply
        }
        let owner = OwnerIDs.make().checked
        let held = core.keyspace.acquire(lockRequest(for: queued), owner: owner)
        defer { core.keyspace.release(held) }
        if core.keyspace.anyChanged(watched) {
            discard()
            return protocolVersion == .resp3 ? .null : .nullArray
        }
        queue = nil
        unwatchAll()
        var replies: [Reply] = []
        replies.reserveCapacity(queued.count)
        for argv in queued {
            // Every queued argv resolved to a spec of the right arity when it was queued.
            guard let spec = core.commands.lookup(argv[0])?.resolved(argv) else {
                replies.append(core.execute(argv, owner: owner, protocolVersion: protocolVersion))
                continue
            }
            replies.append(run(spec, argv, owner: owner))
        }
        return .array(replies)
    }

    /// The key locks an EXEC of `queued` takes: every key a queued command names
    /// (exclusive for a write command, shared otherwise), shared locks on the watched
    /// keys, so that none can change between the check and the run; or the whole store
    /// when a command works on every key (``wholeStoreCommands``).
    func lockRequest(for queued: [[ByteString]]) -> Keyspace.LockRequest {
        var request = Keyspace.LockRequest()
        for argv in queued {
            guard let spec = core.commands.lookup(argv[0])?.resolved(argv) else { continue }
            if Session.wholeStoreCommands.contains(spec.name) {
                request.wholeStore = true
                return request
            }
            let keys = spec.keys(in: argv)
            request.keys += keys
            request.exclusive += Array(repeating: spec.flags.contains(.write), count: keys.count)
        }
        for watched in watched {
            request.keys.append(watched.key)
            request.exclusive.append(false)
        }
        return request
    }
}
