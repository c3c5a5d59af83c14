import LuaStoreCore

extension KeyValueCommands {
    /// SORT: the elements of the list, set or sorted set at `key` in `options`' order, or
    /// per element the values of `options.get` (nil where a key or hash field is missing
    /// or not a string). The keys BY and GET name are read atomically with `key`; inside a
    /// transaction they must be declared like any other key.
    /// - Throws: `StoreError.wrongType` when `key` holds another type;
    ///   `StoreError.sortScoreNotDouble` for a numeric sort over a value that is not a
    ///   double.
    /// - Complexity: O(N+M*log(M)) for N elements, M returned
    public func sort(_ key: ByteString, _ options: SortOptions = SortOptions()) throws(StoreError) -> [ByteString?] {
        let scope = commandScope
        try scope.check(key)
        try checkPatternKeys(scope, key, options)
        return try scope.keyspace.sort(key, options)
    }

    /// SORT_RO: ``sort(_:_:)``, which never writes (allowed in read-only transactions).
    /// - Complexity: O(N+M*log(M)) for N elements, M returned
    public func sortReadOnly(_ key: ByteString, _ options: SortOptions = SortOptions()) throws(StoreError) -> [ByteString?] {
        try sort(key, options)
    }

    /// SORT ... STORE: stores the result of ``sort(_:_:)`` as a list at `destination`
    /// (missing values as empty strings), replacing it and its TTL; returns its length.
    /// An empty result deletes `destination`.
    /// - Throws: as ``sort(_:_:)``.
    /// - Complexity: O(N+M*log(M)) for N elements, M stored
    @discardableResult
    public func sort(_ key: ByteString, _ options: SortOptions = SortOptions(), store destination: ByteString) throws(StoreError) -> Int {
        let scope = commandScope
        try scope.check(key)
        try scope.checkWrite(destination)
        try checkPatternKeys(scope, key, options)
        return try scope.keyspace.sort(key, options, store: destination)
    }

    /// Inside a transaction, every key BY and GET will read must be declared.
    private func checkPatternKeys(_ scope: CommandScope, _ key: ByteString, _ options: SortOptions) throws(StoreError) {
        guard scope.declared != nil else { return }
        let plan = SortPlan(options, storing: false)
        guard plan.readsPatternKeys else { return }
        let elements = try scope.keyspace.withKeys([key], access: [.read]) { (locked) throws(StoreError) in
            try SortSource(key, in: locked).elements
        }
        try scope.check(plan.patternKeys(for: elements))
    }
}
