import LuaStoreCore

/// The keyspace events that happen under a shard's lock (a key expired, a key evicted),
/// kept in the shard's state until the lock is released and published then, so no
/// subscriber's buffer is reached under a shard lock. Every primitive that releases a
/// shard (``Keyspace/withKey(_:owner:access:_:)``, ``Keyspace/readKey(_:owner:shared:locked:)``,
/// ``Keyspace/withKeys(_:owner:access:_:)``, ``Shard/withState(_:)``) takes them with one
/// branch on ``hasPending``.
struct ShardEvents {
    /// The classes recorded here (expired, evicted), empty unless notifications publish.
    var classes: KeyspaceEventFlags = []
    /// Where they go; set with ``classes``.
    var publisher: KeyspaceEvents?
    var pending: [(event: String, key: ByteString)] = []
    var hasPending = false

    /// Whether events of `kind` are recorded.
    @inline(__always)
    func records(_ kind: KeyspaceEventFlags) -> Bool { _slowPath(!classes.isDisjoint(with: kind)) }

    mutating func append(_ event: String, _ key: ByteString) {
        pending.append((event, key))
        hasPending = true
    }

    /// The events recorded since the last take, to publish once the lock is released.
    @inline(__always)
    mutating func take() -> PendingEvents? {
        guard _slowPath(hasPending) else { return nil }
        return takeRecorded()
    }

    @inline(never)
    private mutating func takeRecorded() -> PendingEvents? {
        defer {
            pending = []
            hasPending = false
        }
        guard let publisher else { return nil }
        return PendingEvents(publisher: publisher, events: pending)
    }
}

/// Events taken from a shard under its lock, published after its release.
struct PendingEvents {
    let publisher: KeyspaceEvents
    let events: [(event: String, key: ByteString)]

    func publish() {
        for (event, key) in events { publisher.publish(event, key) }
    }
}

extension ShardState {
    /// Records `event` on the key in `slot` (read only when its class is recorded),
    /// before the key is deleted.
    @inline(__always)
    mutating func recordEvent(_ kind: KeyspaceEventFlags, _ event: String, slot: Int) {
        if events.records(kind) { events.append(event, table[slot].key.byteString) }
    }
}

extension Keyspace {
    /// Applies notify-keyspace-events: the command events' flags, and in each shard the
    /// classes its expiry and eviction record.
    func configureEvents(_ flags: KeyspaceEventFlags) {
        events.configure(flags)
        let publishes = !flags.isDisjoint(with: [.keyspace, .keyevent])
        let recorded = publishes ? flags.intersection([.expired, .evicted]) : []
        for shard in shards {
            shard.withState { s in
                s.events.classes = recorded
                s.events.publisher = events
            }
        }
    }
}
