import LuaStoreCore

extension StoreCore {
    /// Runs one command given as argv and answers exactly as redis-server would. Never
    /// throws and never traps on bad input: every failure is an error reply, and a failed
    /// command changes nothing.
    func execute(_ argv: [ByteString], owner: Owner = .none, protocolVersion: RESPVersion = .resp2) -> Reply {
        guard let name = argv.first else { return .error("ERR unknown command '', with args beginning with: ") }
        guard let spec = commands.lookupUnretained(name) else {
            return StoreError.unknownCommand(name: name.string, args: Array(argv.dropFirst())).reply
        }
        return spec.borrow { spec in
            if spec.subcommands != nil { return runContainer(spec, argv, owner: owner, protocolVersion: protocolVersion) }
            return run(spec, argv, owner: owner, protocolVersion: protocolVersion)
        }
    }

    /// A container command (OBJECT, COMMAND, SCRIPT, FUNCTION): its subcommand runs, or
    /// Redis's `unknown subcommand` error.
    func runContainer(_ spec: CommandSpec, _ argv: [ByteString], owner: Owner, protocolVersion: RESPVersion = .resp2) -> Reply {
        guard let resolved = spec.resolved(argv) else {
            return StoreError.unknownSubcommand(command: argv[0].string, subcommand: argv[1].string).reply
        }
        return run(resolved, argv, owner: owner, protocolVersion: protocolVersion)
    }

    /// Runs a command whose spec is known (arity is checked here).
    @inline(__always)
    func run(_ spec: CommandSpec, _ argv: [ByteString], owner: Owner, protocolVersion: RESPVersion = .resp2) -> Reply {
        guard spec.acceptsArgumentCount(argv.count) else {
            return StoreError.wrongArity(command: spec.name).reply
        }
        // Redis's check: past the bound, with nothing left to evict, a command that may
        // grow memory fails before it changes anything.
        if spec.flags.contains(.denyOOM) && !owner.allowsOOM && settings.maxMemory.load(ordering: .relaxed) != 0
            && !keyspace.makeRoom(forKeysOf: spec, argv) {
            return StoreError.outOfMemory.reply
        }
        do {
            return try spec.handler(CommandContext(core: self, owner: owner, protocolVersion: protocolVersion), argv)
        } catch {
            return error.reply
        }
    }
}
