import LuaStoreCore

// COPY duplicates collections element by element through their public API, so each copy
// gets its own compact or full encoding as its size calls for.

extension ListValue {
    /// An independent list with the same elements. O(N).
    func copy() -> ListValue { ListValue(allElements) }
}

extension SetValue {
    /// An independent set with the same members. O(N).
    func copy() -> SetValue {
        let result = SetValue()
        forEach { _ = result.add($0) }
        return result
    }
}

extension SortedSetValue {
    /// An independent sorted set with the same members and scores. O(N log N).
    func copy() -> SortedSetValue {
        let result = SortedSetValue()
        for entry in entries { _ = result.set(entry.member, score: entry.score) }
        return result
    }
}

extension HashValue {
    /// An independent hash with the same fields, in the same order. O(N).
    func copy() -> HashValue {
        let result = HashValue()
        for entry in allEntries { _ = result.set(entry.field, to: entry.value) }
        return result
    }
}
