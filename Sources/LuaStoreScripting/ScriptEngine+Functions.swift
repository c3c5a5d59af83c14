import LuaStoreCore

/// One function of a library, as FUNCTION LIST shows it.
///
/// # Thread safety
/// A value type: safe to share.
public struct FunctionInfo: Sendable, Hashable {
    public var name: String
    public var library: String
    public var description: String?
    public var flags: ScriptFlags
    /// True when FCALL_RO may run it (`no-writes`).
    public var isReadOnly: Bool { flags.contains(.noWrites) }
}

/// A loaded library: its code and functions.
///
/// # Thread safety
/// A value type: safe to share.
public struct FunctionLibrary: Sendable, Hashable {
    public var name: String
    public var code: ByteString
    /// In registration order.
    public var functions: [FunctionInfo]
    /// Bumped on every (re)load: states reload a library whose generation changed.
    var generation: UInt64
}

/// All libraries and the function-name index (guarded by the engine's mutex).
struct FunctionRegistry {
    var libraries: [String: FunctionLibrary] = [:]
    var functionToLibrary: [String: String] = [:]
    var nextGeneration: UInt64 = 1
}

extension ScriptEngine {
    /// FUNCTION LOAD [REPLACE]: runs the library code once to collect its functions, then
    /// stores it. Returns the library name.
    /// - Throws: Redis's error for the failure.
    public func loadLibrary(_ code: ByteString, replace: Bool = false) throws(StoreError) -> String {
        let bytes = code.bytes
        let shebang = try Shebang.parseLibrary(bytes)
        let name = shebang.libraryName ?? ""
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw .invalidLibraryName
        }
        if !replace, libraries.withLock({ $0.libraries[name] != nil }) {
            throw .libraryAlreadyExists(name)
        }
        guard let state = pool.acquire() else { throw .functionRegistrationFailed("not enough memory") }
        defer { pool.release(state) }
        var body = bytes
        body.insert(contentsOf: Array("--".utf8), at: 0)
        let registered = try state.loadLibrary(code: body, limits: limits(isFunction: true, cancellation: nil)).get()
        // This state's callbacks are not kept: states load libraries lazily by generation.
        state.releaseReferences(registered.map(\.callbackRef))
        guard !registered.isEmpty else { throw .noFunctionsRegistered }
        let functions = registered.map { fn in
            FunctionInfo(name: fn.name, library: name, description: fn.description,
                         flags: fn.flags.reduce(into: ScriptFlags()) { $0.formUnion(ScriptFlags(name: $1) ?? []) })
        }
        let stored = libraries.withLock { registry -> StoreError? in
            if !replace, registry.libraries[name] != nil {
                return .libraryAlreadyExists(name)
            }
            for fn in functions {
                if let owner = registry.functionToLibrary[fn.name], owner != name {
                    return .functionAlreadyExists(fn.name)
                }
            }
            if let old = registry.libraries[name] {
                for fn in old.functions { registry.functionToLibrary[fn.name] = nil }
            }
            for fn in functions { registry.functionToLibrary[fn.name] = name }
            registry.libraries[name] = FunctionLibrary(name: name, code: code, functions: functions,
                                                       generation: registry.nextGeneration)
            registry.nextGeneration += 1
            return nil
        }
        if let stored { throw stored }
        return name
    }

    /// FUNCTION DELETE.
    /// - Throws: `ERR Library not found` when absent.
    public func deleteLibrary(_ name: String) throws(StoreError) {
        let found = libraries.withLock { registry -> Bool in
            guard let library = registry.libraries.removeValue(forKey: name) else { return false }
            for fn in library.functions { registry.functionToLibrary[fn.name] = nil }
            return true
        }
        if !found { throw .libraryNotFound }
    }

    /// FUNCTION FLUSH.
    public func flushFunctions() {
        libraries.withLock {
            $0.libraries.removeAll()
            $0.functionToLibrary.removeAll()
        }
    }

    /// The libraries, sorted by name, optionally those whose name matches `pattern` (glob).
    public func listLibraries(matching pattern: String? = nil) -> [FunctionLibrary] {
        libraries.withLock { registry in
            registry.libraries.values
                .filter { pattern == nil || GlobPattern.matches(ByteString(pattern!), ByteString($0.name)) }
                .sorted { $0.name < $1.name }
        }
    }

    /// The function called `name`, for the store to pick locks and check FCALL_RO.
    public func function(named name: String) -> FunctionInfo? {
        libraries.withLock { registry in
            guard let lib = registry.functionToLibrary[name] else { return nil }
            return registry.libraries[lib]?.functions.first { $0.name == name }
        }
    }

    /// FCALL / FCALL_RO: runs `fn(keys, args)`. `readOnly` refuses functions without `no-writes`.
    @usableFromInline package func callFunction(_ name: String, keys: [ByteString], args: [ByteString], host: any ScriptHost,
                             readOnly: Bool = false, cancellation: ScriptCancellation? = nil) -> Reply {
        let found: FunctionLibrary? = libraries.withLock { registry in
            registry.functionToLibrary[name].flatMap { registry.libraries[$0] }
        }
        guard let library = found, let info = library.functions.first(where: { $0.name == name }) else {
            return StoreError.functionNotFound.reply
        }
        if readOnly && !info.isReadOnly { return ScriptErrors.writeFlagWithReadOnlyCommand }
        guard let state = pool.acquire() else { return .error("ERR Error running script \(name), not enough memory") }
        defer { pool.release(state) }
        let limits = limits(isFunction: true, cancellation: cancellation)
        if state.loadedLibraries[library.name]?.generation != library.generation {
            if let old = state.loadedLibraries.removeValue(forKey: library.name) {
                state.releaseReferences(old.functions.values)
            }
            var body = library.code.bytes
            body.insert(contentsOf: Array("--".utf8), at: 0)
            switch state.loadLibrary(code: body, limits: RunLimits(
                timeLimitNanoseconds: limits.timeLimitNanoseconds,
                hookInstructionCount: limits.hookInstructionCount, autoAsync: false)) {
            case .failure(let error): return error.reply
            case .success(let list):
                state.loadedLibraries[library.name] = (
                    library.generation, Dictionary(list.map { ($0.name, $0.callbackRef) }, uniquingKeysWith: { a, _ in a }))
            }
        }
        guard let ref = state.loadedLibraries[library.name]?.functions[name] else { return StoreError.functionNotFound.reply }
        return state.runFunction(callbackRef: ref, name: name, keys: keys, args: args, host: host, limits: limits)
    }
}
