import LuaStoreCore

/// SORT's operation (Redis's sort.c `sortCommandGeneric`), shared by the command handler,
/// the typed API and `redis.call`.
///
/// The keys that BY and GET patterns name depend on the elements, so they cannot be
/// locked before the source is read. With such patterns the sort reads the source's
/// elements, then locks the source, the destination and every key the patterns name for
/// those elements at once, and runs if the source still holds the same elements (else it
/// reads again). The pattern keys are checked against other holders' key locks, like any
/// key a command names, even when the caller holds its own keys.
extension KeyspaceAccess {
    /// SORT / SORT_RO: the sorted elements, or per element the values of `options.get`
    /// (nil for a missing key, a key of another type or a missing hash field).
    /// - Throws: ``StoreError/wrongType`` when the source is not a list, set or sorted set;
    ///   ``StoreError/sortScoreNotDouble`` when a numeric sort meets a value that is not a
    ///   double.
    func sort(_ key: ByteString, _ options: SortOptions) throws(StoreError) -> [ByteString?] {
        try sorting(key, options, destination: nil) { (_, result) in result }
    }

    /// SORT ... STORE: stores the result as a list at `destination` (missing GET values
    /// as empty strings), replacing it and its TTL, and returns its length; an empty
    /// result deletes `destination`.
    /// - Throws: as ``sort(_:_:)``.
    func sort(_ key: ByteString, _ options: SortOptions, store destination: ByteString) throws(StoreError) -> Int {
        let count = try sorting(key, options, destination: destination) { (locked, result) -> Int in
            let h = destination.storeHash
            let slot = locked[h].lookup(destination, hash: h)
            if result.isEmpty {
                if let slot { locked[h].delete(slot: slot) }
                return 0
            }
            let list = ListValue(result.map { $0 ?? ByteString() })
            locked[h].store(destination, hash: h, value: .list(list), keepTTL: false, at: slot)
            return result.count
        }
        if count > 0 { signalKeyReady(destination) }
        return count
    }

    /// Sorts under the locks of the source, `destination` and the pattern keys, then
    /// hands the result to `finish` inside them.
    private func sorting<R>(
        _ key: ByteString, _ options: SortOptions, destination: ByteString?,
        _ finish: (inout LockedShards, [ByteString?]) throws(StoreError) -> R
    ) throws(StoreError) -> R {
        let plan = SortPlan(options, storing: destination != nil)
        var keys = [key], access = [KeyAccess.read]
        if let destination {
            keys.append(destination)
            access.append(.write)
        }
        guard plan.readsPatternKeys else {
            return try withKeys(keys, access: access) { (locked) throws(StoreError) -> R in
                let source = try SortSource(key, in: locked)
                return try finish(&locked, try plan.run(source, in: locked))
            }
        }
        let checked = checkedOwner
        while true {
            let seen = try withKeys([key], access: [.read]) { (locked) throws(StoreError) in try SortSource(key, in: locked) }
            let patternKeys = plan.patternKeys(for: seen.elements)
            let done = try checked.withKeys(keys + patternKeys, access: access + patternKeys.map { _ in .read }) {
                (locked) throws(StoreError) -> R? in
                let source = try SortSource(key, in: locked)
                guard source.elements == seen.elements else { return nil }
                return try finish(&locked, try plan.run(source, in: locked))
            }
            if let done { return done }
        }
    }
}

/// The source of a sort: its kind and its elements, in list order, in the set's order, or
/// by rank for a sorted set.
struct SortSource {
    enum Kind { case list, set, sortedSet }
    var kind: Kind
    var elements: [ByteString]

    /// The source at `key` (a missing key is an empty list).
    /// - Throws: ``StoreError/wrongType`` for another type.
    init(_ key: ByteString, in locked: LockedShards) throws(StoreError) {
        let h = key.storeHash
        guard let slot = locked[h].lookup(key, hash: h) else {
            (kind, elements) = (.list, [])
            return
        }
        switch locked[h].table[slot].value {
        case .list(let list): (kind, elements) = (.list, list.allElements)
        case .set(let set): (kind, elements) = (.set, set.allMembers)
        case .sortedSet(let zset): (kind, elements) = (.sortedSet, zset.entries.map(\.member))
        default: throw .wrongType
        }
    }
}

/// How one SORT runs, from its options: whether it sorts, how it compares, which keys its
/// patterns read.
struct SortPlan {
    let options: SortOptions
    /// BY with a pattern that has no `*` (`nosort`): keep the source's order.
    var dontSort: Bool
    var alpha: Bool
    /// The BY pattern when it has a `*`.
    var sortBy: ByteString?
    let storing: Bool

    init(_ options: SortOptions, storing: Bool) {
        self.options = options
        self.storing = storing
        alpha = options.alpha
        if let by = options.by {
            dontSort = !SortPattern.hasStar(by)
            sortBy = dontSort ? nil : by
        } else {
            dontSort = false
            sortBy = nil
        }
    }

    /// Whether BY or GET name keys (anything but `#` and patterns without `*`).
    var readsPatternKeys: Bool {
        (!dontSort && sortBy != nil) || options.get.contains { SortPattern.hasStar($0) }
    }

    /// Every key the patterns name for `elements` (BY only when it sorts).
    func patternKeys(for elements: [ByteString]) -> [ByteString] {
        var patterns = options.get
        if let sortBy { patterns.append(sortBy) }
        var keys = Set<ByteString>()
        for pattern in patterns where SortPattern.hasStar(pattern) {
            for element in elements {
                if let key = SortPattern.target(pattern, element).key { keys.insert(key) }
            }
        }
        return Array(keys)
    }

    /// The sort itself, as `sortCommandGeneric`: LIMIT clamped to the source's size, the
    /// source's order kept for `nosort` on a list or sorted set (reversed by DESC), else
    /// a stable sort by weight (ties by the element's bytes) or by string.
    func run(_ source: SortSource, in locked: LockedShards) throws(StoreError) -> [ByteString?] {
        var dontSort = dontSort, alpha = alpha, sortBy = sortBy
        // A set has no order of its own: stored, its `nosort` result is sorted as strings.
        if dontSort && source.kind == .set && storing {
            (dontSort, alpha, sortBy) = (false, true, nil)
        }
        let count = source.elements.count
        var start = min(max(options.limit.map { $0.offset } ?? 0, 0), count)
        let limitCount = min(max(options.limit.map { $0.count } ?? -1, -1), count)
        var end = limitCount < 0 ? count - 1 : start + limitCount - 1
        if start >= count {
            start = count - 1
            end = count - 2
        }
        if end >= count { end = count - 1 }

        var vector: [ByteString]
        if dontSort && source.kind != .set {
            vector = []
            if end >= start {
                let ordered = options.descending ? Array(source.elements.reversed()) : source.elements
                vector = Array(ordered[start...end])
            }
            end -= start
            start = 0
        } else {
            vector = source.elements
        }

        if !dontSort {
            vector = try sorted(vector, by: sortBy, alpha: alpha, in: locked)
        }
        guard end >= start else { return [] }
        let range = vector[start...end]
        if options.get.isEmpty { return range.map { $0 } }
        var out: [ByteString?] = []
        out.reserveCapacity(range.count * options.get.count)
        for element in range {
            for pattern in options.get {
                out.append(SortPattern.value(SortPattern.target(pattern, element), element: element, in: locked))
            }
        }
        return out
    }

    /// `vector` in `sortCompare`'s order; equal elements keep their order (glibc's qsort
    /// is a merge sort).
    private func sorted(
        _ vector: [ByteString], by sortBy: ByteString?, alpha: Bool, in locked: LockedShards
    ) throws(StoreError) -> [ByteString] {
        let descending = options.descending
        var keyed: [(element: ByteString, index: Int, score: Double, compareWith: ByteString?)] = []
        keyed.reserveCapacity(vector.count)
        var conversionError = false
        for (i, element) in vector.enumerated() {
            var score = 0.0
            var compareWith: ByteString? = nil
            var weight: ByteString? = element
            if let sortBy {
                weight = SortPattern.value(SortPattern.target(sortBy, element), element: element, in: locked)
            }
            if let weight {
                if alpha {
                    if sortBy != nil { compareWith = weight }
                } else if let parsed = SortPattern.weight(weight) {
                    score = parsed
                } else {
                    conversionError = true
                }
            }
            keyed.append((element, i, score, compareWith))
        }
        if conversionError { throw .sortScoreNotDouble }
        let byPattern = sortBy != nil, storing = storing
        keyed.sort { x, y in
            var cmp: Int
            if !alpha {
                cmp = x.score > y.score ? 1 : (x.score < y.score ? -1 : SortPattern.compareBinary(x.element, y.element))
            } else if byPattern {
                switch (x.compareWith, y.compareWith) {
                case (nil, nil): cmp = 0
                case (nil, _): cmp = -1
                case (_, nil): cmp = 1
                case (let a?, let b?): cmp = storing ? SortPattern.compareBinary(a, b) : SortPattern.compareCollated(a, b)
                }
            } else {
                cmp = storing ? SortPattern.compareBinary(x.element, y.element) : SortPattern.compareCollated(x.element, y.element)
            }
            if descending { cmp = -cmp }
            return cmp != 0 ? cmp < 0 : x.index < y.index
        }
        return keyed.map(\.element)
    }
}
