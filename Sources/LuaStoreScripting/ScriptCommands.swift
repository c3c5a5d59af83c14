import LuaStoreCore

/// The engine's part of the scripting commands, parsed from argv with Redis's error texts.
///
/// The store's command layer calls ``ScriptInvocation/parse(_:engine:)`` for EVAL, EVALSHA,
/// EVAL_RO, EVALSHA_RO, FCALL and FCALL_RO (it gets the keys and flags to lock with), takes
/// its locks, then calls ``ScriptEngine/execute(_:host:cancellation:)``. SCRIPT and FUNCTION
/// need no locks: ``ScriptEngine/executeAdmin(_:protocolVersion:)`` answers them whole.
///
/// # Thread safety
/// A value type: safe to share.
@usableFromInline package struct ScriptInvocation: Sendable {
    @usableFromInline package enum Target: Sendable {
        case script(Script)
        case function(FunctionInfo)
    }
    @usableFromInline package var target: Target
    @usableFromInline package var keys: [ByteString]
    @usableFromInline package var args: [ByteString]
    /// EVAL_RO / EVALSHA_RO / FCALL_RO.
    @usableFromInline package var isReadOnlyCommand: Bool
    /// The script's or function's flags plus the engine defaults: what the store locks by.
    @usableFromInline package var flags: ScriptFlags

    /// Parses `EVAL script numkeys [key ...] [arg ...]` and its siblings. EVAL caches the
    /// script as Redis does. Errors: arity, `Number of keys can't be negative`, NOSCRIPT,
    /// `Function not found`, shebang errors, the `*_ro` write-flag error.
    @usableFromInline package static func parse(_ argv: [ByteString], engine: ScriptEngine) -> Result<ScriptInvocation, StoreError> {
        let command = argv.first?.string.lowercased() ?? ""
        guard argv.count >= 3 else { return .failure(.wrongArity(command: command)) }
        let isFunction = command == "fcall" || command == "fcall_ro"
        let readOnly = command.hasSuffix("_ro")
        guard let numKeys = Int64(argv[2].string) else {
            return .failure(isFunction ? .badNumberOfKeys : .notInteger)
        }
        if numKeys < 0 { return .failure(.numkeysNegative) }
        if numKeys > argv.count - 3 { return .failure(.numkeysGreaterThanArgs) }
        let keys = Array(argv[3..<(3 + Int(numKeys))])
        let args = Array(argv[(3 + Int(numKeys))...])
        let target: Target
        var own: ScriptFlags
        switch command {
        case "eval", "eval_ro":
            do {
                let script = try engine.load(argv[1])
                target = .script(script)
                own = engine.effectiveFlags(of: script)
                if readOnly && !own.contains(.noWrites) && script.hasShebang {
                    return .failure(.writeFlagWithReadOnlyCommand)
                }
            } catch { return .failure(error) }
        case "evalsha", "evalsha_ro":
            guard let script = engine.script(sha1: argv[1].string) else { return .failure(.noScript) }
            target = .script(script)
            own = engine.effectiveFlags(of: script)
            if readOnly && !own.contains(.noWrites) && script.hasShebang {
                return .failure(.writeFlagWithReadOnlyCommand)
            }
        case "fcall", "fcall_ro":
            guard let function = engine.function(named: argv[1].string) else {
                return .failure(.functionNotFound)
            }
            if readOnly && !function.isReadOnly {
                return .failure(.writeFlagWithReadOnlyCommand)
            }
            target = .function(function)
            own = function.flags
        default:
            return .failure(.unknownCommand(name: command, args: Array(argv.dropFirst())))
        }
        return .success(ScriptInvocation(target: target, keys: keys, args: args, isReadOnlyCommand: readOnly,
                                          flags: own.union(engine.configuration.defaultFlags)))
    }
}

extension ScriptEngine {
    /// Runs a parsed invocation (after the store took its locks).
    @usableFromInline package func execute(_ invocation: ScriptInvocation, host: any ScriptHost,
                        cancellation: ScriptCancellation? = nil) -> Reply {
        switch invocation.target {
        case .script(let script):
            return run(script, keys: invocation.keys, args: invocation.args, host: host, cancellation: cancellation)
        case .function(let function):
            return callFunction(function.name, keys: invocation.keys, args: invocation.args, host: host,
                                readOnly: invocation.isReadOnlyCommand, cancellation: cancellation)
        }
    }

    /// `SCRIPT LOAD|EXISTS|FLUSH|KILL` and `FUNCTION LOAD|LIST|DELETE|FLUSH|KILL`, whole.
    /// `protocolVersion` 3 makes FUNCTION LIST reply with maps and sets.
    @usableFromInline package func executeAdmin(_ argv: [ByteString], protocolVersion: Int = 2) -> Reply {
        let command = argv.first?.string.lowercased() ?? ""
        guard argv.count >= 2 else { return StoreError.wrongArity(command: command).reply }
        let sub = argv[1].string.lowercased()
        let rest = Array(argv.dropFirst(2))
        func arity() -> Reply { StoreError.wrongArity(command: "\(command)|\(sub)").reply }
        switch (command, sub) {
        case ("script", "load"):
            guard rest.count == 1 else { return arity() }
            do { return .bulk(ByteString(try load(rest[0]).sha1)) } catch { return error.reply }
        case ("script", "exists"):
            guard !rest.isEmpty else { return arity() }
            return .array(exists(rest.map(\.string)).map { .integer($0 ? 1 : 0) })
        case ("script", "flush"), ("function", "flush"):
            guard rest.count <= 1 else { return arity() }
            if let mode = rest.first?.string.lowercased(), mode != "sync" && mode != "async" {
                return .error(command == "script" ? "ERR SCRIPT FLUSH only support SYNC|ASYNC option"
                                                  : "ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
            }
            if command == "script" { flushScripts() } else { flushFunctions() }
            return .ok
        case ("script", "kill"):
            guard rest.isEmpty else { return arity() }
            return killScripts()
        case ("function", "kill"):
            guard rest.isEmpty else { return arity() }
            return killFunctions()
        case ("function", "load"):
            guard !rest.isEmpty else { return arity() }
            var replace = false
            var index = 0
            while index < rest.count - 1 {
                let option = rest[index].string
                guard option.lowercased() == "replace" else { return .error("ERR Unknown option given: \(option)") }
                replace = true
                index += 1
            }
            do throws(StoreError) {
                return .bulk(ByteString(try loadLibrary(rest[rest.count - 1], replace: replace)))
            } catch {
                return error.reply
            }
        case ("function", "delete"):
            guard rest.count == 1 else { return arity() }
            do throws(StoreError) {
                try deleteLibrary(rest[0].string)
                return .ok
            } catch {
                return error.reply
            }
        case ("function", "list"):
            var pattern: String?
            var withCode = false
            var index = 0
            while index < rest.count {
                let option = rest[index].string.lowercased()
                if option == "withcode" {
                    withCode = true
                } else if option == "libraryname" {
                    guard index + 1 < rest.count else { return .error("ERR library name argument was not given") }
                    pattern = rest[index + 1].string
                    index += 1
                } else {
                    return .error("ERR Unknown argument \(rest[index].string)")
                }
                index += 1
            }
            return functionListReply(listLibraries(matching: pattern), withCode: withCode, protocolVersion: protocolVersion)
        default:
            return StoreError.unknownSubcommand(command: command, subcommand: argv[1].string).reply
        }
    }

    /// FUNCTION LIST's reply shape: one map per library (flat arrays in RESP2).
    func functionListReply(_ libraries: [FunctionLibrary], withCode: Bool, protocolVersion: Int) -> Reply {
        func map(_ pairs: [(String, Reply)]) -> Reply {
            if protocolVersion >= 3 {
                return .map(pairs.map { Reply.MapEntry(key: .bulk($0.0), value: $0.1) })
            }
            return .array(pairs.flatMap { [Reply.bulk($0.0), $0.1] })
        }
        return .array(libraries.map { library in
            let functions = library.functions.sorted { $0.name > $1.name }.map { fn -> Reply in
                let flags = fn.flags.flagNames.map { Reply.status($0) }
                return map([
                    ("name", .bulk(fn.name)),
                    ("description", fn.description.map { .bulk($0) } ?? .null),
                    ("flags", protocolVersion >= 3 ? .set(flags) : .array(flags)),
                ])
            }
            var pairs: [(String, Reply)] = [
                ("library_name", .bulk(library.name)), ("engine", .bulk("LUA")), ("functions", .array(functions)),
            ]
            if withCode { pairs.append(("library_code", .bulk(library.code))) }
            return map(pairs)
        })
    }
}
