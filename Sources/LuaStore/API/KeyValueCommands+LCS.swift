import LuaStoreCore

extension KeyValueCommands {
    /// LCS: the longest common subsequence of the strings at `key1` and `key2` (a missing
    /// key is the empty string), the one redis-server answers.
    /// - Throws: `StoreError.lcsNotStrings` when either key holds another type;
    ///   `StoreError.lcsTooLarge` when the lengths' product passes Redis's limit.
    /// - Complexity: O(N*M) in the two lengths
    public func lcs(_ key1: ByteString, _ key2: ByteString) throws(StoreError) -> ByteString {
        guard case .string(let s) = try lcs(key1, key2, .string) else { preconditionFailure("LCS answered another kind") }
        return s
    }

    /// LCS LEN: the length of the longest common subsequence of the strings at `key1` and
    /// `key2`.
    /// - Throws: as ``lcs(_:_:)``.
    /// - Complexity: O(N*M) in the two lengths
    public func lcsLength(_ key1: ByteString, _ key2: ByteString) throws(StoreError) -> Int {
        guard case .length(let n) = try lcs(key1, key2, .length) else { preconditionFailure("LCS answered another kind") }
        return n
    }

    /// LCS IDX: the runs of the longest common subsequence of the strings at `key1` and
    /// `key2` that are at least `minimumMatchLength` bytes long (0 keeps every run), last
    /// run first, and the subsequence's length.
    /// - Throws: as ``lcs(_:_:)``.
    /// - Complexity: O(N*M) in the two lengths
    public func lcsMatches(_ key1: ByteString, _ key2: ByteString, minimumMatchLength: Int = 0) throws(StoreError) -> LCSMatches {
        let query = LCSQuery.matches(minimumLength: Int64(max(minimumMatchLength, 0)))
        guard case .matches(let m) = try lcs(key1, key2, query) else { preconditionFailure("LCS answered another kind") }
        return m
    }

    private func lcs(_ key1: ByteString, _ key2: ByteString, _ query: LCSQuery) throws(StoreError) -> LCSAnswer {
        let scope = commandScope
        try scope.check([key1, key2])
        return try scope.keyspace.lcs(key1, key2) { query }
    }
}
