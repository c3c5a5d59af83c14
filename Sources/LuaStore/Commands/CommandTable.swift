import LuaStoreCore

/// The command table: every command LuaStore knows, looked up by name in any letter case.
/// Each family contributes its rows (`StringFamily.commands`, ...).
///
/// Lookup is on the hot path of ``LuaStore/execute(_:)`` and of every `redis.call`, so it
/// is a small open-addressing table over the store hash of the lower-cased name (no
/// allocation for names of up to 22 bytes), not a `Dictionary` with SipHash.
///
/// A final class with `let` arrays, so a lookup through the store reads them in place
/// instead of copying (and retaining) three arrays per call.
///
/// # Thread safety
/// Immutable after construction: safe to share.
final class CommandTable: Sendable {
    private let names: [ByteString?]
    private let hashes: [UInt64]
    private let specs: [CommandSpec?]
    /// The same specs unretained, for ``lookupUnretained(_:)`` (`specs` keeps them alive).
    private let unretainedSpecs: [Unretained<CommandSpec>?]
    private let mask: Int
    /// Every top-level command, in the order the families list them (COMMAND, COMMAND LIST).
    let ordered: [CommandSpec]

    init(_ families: [[CommandSpec]]) {
        let all = Array(families.joined())
        ordered = all
        var size = 16
        while size < all.count * 4 { size *= 2 }
        var names = [ByteString?](repeating: nil, count: size)
        var hashes = [UInt64](repeating: 0, count: size)
        var specs = [CommandSpec?](repeating: nil, count: size)
        for spec in all {
            let name = ByteString(spec.name)
            let h = name.storeHash
            var i = Int(truncatingIfNeeded: h) & (size - 1)
            while let existing = names[i] {
                precondition(existing != name, "duplicate command \(spec.name)")
                i = (i + 1) & (size - 1)
            }
            names[i] = name
            hashes[i] = h
            specs[i] = spec
        }
        self.names = names
        self.hashes = hashes
        self.specs = specs
        unretainedSpecs = specs.map { $0.map { Unretained($0, keptAliveBy: .commandTable) } }
        mask = size - 1
    }

    /// The spec for a command name in any letter case.
    @inline(__always)
    func lookup(_ name: ByteString) -> CommandSpec? {
        index(of: name).flatMap { specs[$0] }
    }

    /// ``lookup(_:)`` without a retain of the spec, for the per-command paths: every
    /// thread's commands share the specs, so a retain and release per command are atomic
    /// operations on a contended cache line. Valid while the table lives.
    @inline(__always)
    func lookupUnretained(_ name: ByteString) -> Unretained<CommandSpec>? {
        index(of: name).flatMap { unretainedSpecs[$0] }
    }

    @inline(__always)
    private func index(of name: ByteString) -> Int? {
        let folded = name.asciiLowercased()
        let h = folded.storeHash
        var i = Int(truncatingIfNeeded: h) & mask
        while let candidate = names[i] {
            if hashes[i] == h && candidate == folded { return i }
            i = (i + 1) & mask
        }
        return nil
    }

    var allCommands: [CommandSpec] { specs.compactMap { $0 } }

    /// The command a COMMAND INFO/DOCS name designates, as Redis's `lookupCommandBySds`:
    /// `name` or `container|subcommand`, in any letter case.
    func lookup(fullName: ByteString) -> CommandSpec? {
        let parts = fullName.bytes.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
        guard parts.count <= 2, let base = lookup(ByteString(Array(parts[0]))) else { return nil }
        guard parts.count == 2 else { return base }
        return base.subcommand(named: ByteString(Array(parts[1])))
    }
}
