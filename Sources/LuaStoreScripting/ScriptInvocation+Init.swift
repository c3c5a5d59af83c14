import LuaStoreCore

extension ScriptInvocation {
    /// An invocation built by the store's typed API (`store.eval(script, keys:args:)`),
    /// which has its script or function in hand and needs no argv parsing.
    @usableFromInline package init(_ target: Target, keys: [ByteString], args: [ByteString], readOnly isReadOnlyCommand: Bool, flags: ScriptFlags) {
        self.target = target
        self.keys = keys
        self.args = args
        self.isReadOnlyCommand = isReadOnlyCommand
        self.flags = flags
    }
}
