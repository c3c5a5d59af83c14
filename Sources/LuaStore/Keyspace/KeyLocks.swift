import LuaStoreCore

/// Who runs a command: a plain caller (``Owner/none``) or the holder of key locks (a Swift
/// transaction or an atomic script), which may use the keys it locked.
///
/// Identity is `id` alone. `holdsItsKeys` says the owner only ever runs commands on keys
/// it holds: ``CommandScope`` (transactions) and ``ScriptRun`` (atomic scripts) refuse
/// undeclared keys before a command runs, and the declared keys are exactly the locked
/// ones (or the owner holds every shard). Such an owner is admitted without looking its
/// key up in the lock table, which saves a hash lookup on every command of a script. An
/// owner that may reach keys it did not lock (a script with `allow-undeclared-keys`
/// inside a transaction) is built with `holdsItsKeys: false` and checked as usual.
struct Owner: Hashable, Sendable {
    let id: UInt64
    let holdsItsKeys: Bool
    /// An `allow-oom` script: its writes skip the memory bound's check.
    let allowsOOM: Bool

    init(id: UInt64, holdsItsKeys: Bool = false, allowsOOM: Bool = false) {
        self.id = id
        self.holdsItsKeys = holdsItsKeys
        self.allowsOOM = allowsOOM
    }

    static let none = Owner(id: 0)

    static func == (a: Owner, b: Owner) -> Bool { a.id == b.id }
    func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// The same identity, checked against the lock table on every command.
    var checked: Owner { Owner(id: id, allowsOOM: allowsOOM) }

    /// The same identity, its writes exempt from the memory bound's check.
    var allowingOOM: Owner { Owner(id: id, holdsItsKeys: holdsItsKeys, allowsOOM: true) }
}

/// How a command uses a key.
enum KeyAccess: Sendable {
    case read, write
}

/// A lock held on one key across several commands (an intent lock, as Dragonfly's VLL):
/// exclusive for a writer, shared for read-only holders.
struct KeyLock {
    var exclusive: UInt64 = 0
    var shared: [UInt64] = []
    /// A FLUSHALL ran while others held this key: the key is dropped when the last holder
    /// releases it (see ``KeyspaceAccess/flush()``).
    var flushOnRelease = false

    /// May `owner` run a command with `access` on this key now?
    @inline(__always)
    func admits(_ owner: Owner, _ access: KeyAccess) -> Bool {
        if exclusive != 0 && exclusive != owner.id { return false }
        if access == .write { return shared.allSatisfy { $0 == owner.id } }
        return true
    }

    var isFree: Bool { exclusive == 0 && shared.isEmpty }

    /// Whether an owner other than `owner` holds this lock.
    func isHeld(byOtherThan owner: Owner) -> Bool {
        (exclusive != 0 && exclusive != owner.id) || shared.contains { $0 != owner.id }
    }
}

/// The lock state of one shard: key locks, plus the whole-shard lock taken by atomic
/// scripts that may touch undeclared keys.
struct ShardLocks {
    var keys: [ByteString: KeyLock] = [:]
    var wholeShardOwner: UInt64 = 0
    /// A FLUSHALL ran while another owner held the whole shard: the shard is emptied when
    /// that owner releases it.
    var flushOnWholeShardRelease = false

    /// May `owner` run a command with `access` on `key` now? The common case (no locks at
    /// all) costs two loads.
    @inline(__always)
    func admits(_ key: ByteString, _ owner: Owner, _ access: KeyAccess) -> Bool {
        if owner.holdsItsKeys {
            assert(checkedAdmits(key, owner, access), "an owner ran a command on a key it does not hold")
            return true
        }
        return checkedAdmits(key, owner, access)
    }

    @inline(__always)
    private func checkedAdmits(_ key: ByteString, _ owner: Owner, _ access: KeyAccess) -> Bool {
        if wholeShardOwner != 0 && wholeShardOwner != owner.id { return false }
        if keys.isEmpty { return true }
        return keys[key]?.admits(owner, access) ?? true
    }

    /// Takes `key` for `owner` if compatible; false if someone else holds it.
    mutating func acquire(_ key: ByteString, _ owner: Owner, exclusive: Bool) -> Bool {
        if wholeShardOwner != 0 && wholeShardOwner != owner.id { return false }
        var lock = keys[key] ?? KeyLock()
        if exclusive {
            guard lock.admits(owner, .write) else { return false }
            lock.exclusive = owner.id
        } else {
            guard lock.admits(owner, .read) else { return false }
            lock.shared.append(owner.id)
        }
        keys[key] = lock
        return true
    }

    /// Releases `owner`'s hold on `key`. Returns true when that was the last hold and a
    /// FLUSHALL is waiting to drop the key.
    @discardableResult
    mutating func release(_ key: ByteString, _ owner: Owner) -> Bool {
        guard var lock = keys[key] else { return false }
        if lock.exclusive == owner.id { lock.exclusive = 0 }
        if let i = lock.shared.firstIndex(of: owner.id) { lock.shared.remove(at: i) }
        keys[key] = lock.isFree ? nil : lock
        return lock.isFree && lock.flushOnRelease
    }

    /// For a FLUSHALL by `owner`: flags every key that another owner holds, and returns
    /// how many there are (their keys stay until released).
    mutating func flagHeldKeysForFlush(by owner: Owner) -> Int {
        var flagged = 0
        for (key, lock) in keys where lock.isHeld(byOtherThan: owner) {
            keys[key]!.flushOnRelease = true
            flagged += 1
        }
        return flagged
    }

    /// Whether `key` is held by an owner other than `owner`.
    func isHeld(_ key: ByteString, byOtherThan owner: Owner) -> Bool {
        keys[key]?.isHeld(byOtherThan: owner) ?? false
    }

    /// Takes the whole shard: no one else may hold a key lock in it.
    mutating func acquireWholeShard(_ owner: Owner) -> Bool {
        if wholeShardOwner != 0 && wholeShardOwner != owner.id { return false }
        for (_, lock) in keys where !(lock.exclusive == owner.id || lock.exclusive == 0) || lock.shared.contains(where: { $0 != owner.id }) {
            return false
        }
        wholeShardOwner = owner.id
        return true
    }
}
