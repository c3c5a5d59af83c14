import LuaStoreCore

extension StoreCore {
    /// Runs one command given as argv and answers exactly as redis-server would. Never
    /// throws and never traps on bad input: every failure is an error reply, and a failed
    /// command changes nothing.
    func execute(_ argv: [ByteString], owner: Owner = .none) -> Reply {
        guard let name = argv.first else { return .error("ERR unknown command '', with args beginning with: ") }
        guard let spec = commands.lookupUnretained(name) else {
            return StoreError.unknownCommand(name: name.string, args: Array(argv.dropFirst())).reply
        }
        return spec._withUnsafeGuaranteedRef { run($0, argv, owner: owner) }
    }

    /// Runs a command whose spec is known (arity is checked here).
    @inline(__always)
    func run(_ spec: CommandSpec, _ argv: [ByteString], owner: Owner) -> Reply {
        guard spec.acceptsArgumentCount(argv.count) else {
            return StoreError.wrongArity(command: spec.name).reply
        }
        do {
            return try spec.handler(CommandContext(core: self, owner: owner), argv)
        } catch {
            return error.reply
        }
    }
}
