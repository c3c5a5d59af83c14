import LuaStoreCore

/// A reference that does not keep its referent alive, used without retaining it: the one
/// way code in this module holds or uses an object without counting the reference
/// (in place of `Unmanaged`, `unowned(unsafe)` and `_withUnsafeGuaranteedRef`).
///
/// Why: the objects every command reaches (the store's core, its keyspace, its command
/// specs) are shared by all threads, and a retain and release per use are two atomic
/// operations on the object's header, a cache line that every thread's commands then
/// write in turn. Holding the reference `unowned(unsafe)` or in an `Unmanaged` is not
/// enough: calling a method on it still retains around the call. ``borrow(_:)`` hands the
/// referent to its body as a borrowed reference, with no retain and no release.
///
/// # Safety
/// Using an `Unretained` after its referent is freed is undefined behaviour, and nothing
/// checks it. Each one is made with the ``Keeper`` that holds its referent strongly for as
/// long as the `Unretained` can be used; the soundness argument for each keeper is written
/// once, on its case. A new use names an existing keeper whose argument covers it, or adds
/// a case with its own argument. Use ``referent`` (a counted reference) wherever the
/// keeper's argument does not hold, as across a suspension.
///
/// # Thread safety
/// An immutable value: `Sendable` when its referent is; using the referent is as
/// thread-safe as the referent.
struct Unretained<Referent: AnyObject> {
    private let reference: Unmanaged<Referent>

    /// What keeps a referent alive while an ``Unretained`` to it is used.
    enum Keeper {
        /// The store. A ``LuaStore`` holds its `StoreCore`, and the core holds its
        /// `Keyspace` and `CommandTable` in `let`s, so all three live as long as the store.
        /// The holders of such references are used only while their store exists: a
        /// `CommandContext`, a `ScriptRun` and its `CallQueue` are made inside a call on
        /// the store (whose caller holds it) and used only within that call; a
        /// ``CommandScope`` is valid only while its store exists (a ``Transaction``'s only
        /// inside the transaction's body, a call on the store).
        case store
        /// The command table: its `specs` array holds every row, and the table lives as
        /// long as its store (``store``).
        case commandTable
        /// The key's entry in its shard's table: the collection is used inside the one
        /// operation that found it, under the shard lock or a shared read of the shard,
        /// and nothing in that operation replaces or deletes the entry while it is used.
        case keyEntry
        /// A transaction: ``Transaction`` holds its scope's restrictions itself, and the
        /// scope is reached only through the transaction.
        case transaction
    }

    /// `referent`, held without a retain; `keeper` says what keeps it alive (it is
    /// documentation only: nothing is stored).
    @inline(__always)
    init(_ referent: Referent, keptAliveBy keeper: Keeper) {
        reference = .passUnretained(referent)
    }

    /// Runs `body` with the referent as a borrowed reference: no retain, no release.
    @inline(__always)
    func borrow<R>(_ body: (Referent) -> R) -> R {
        reference._withUnsafeGuaranteedRef(body)
    }

    /// ``borrow(_:)`` for a body that throws. The error type is concrete: with a generic
    /// one, the result's copies and destroys stayed calls to generic value witnesses in
    /// release builds (the whole keyspace ratios run, typed GET and SET, took 3.6% more
    /// instructions in all, callgrind).
    @inline(__always)
    func borrow<R>(_ body: (Referent) throws(StoreError) -> R) throws(StoreError) -> R {
        // `_withUnsafeGuaranteedRef` rethrows untyped errors: carry the typed one out.
        let result: Result<R, StoreError> = reference._withUnsafeGuaranteedRef { referent in
            do throws(StoreError) { return .success(try body(referent)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// The referent as a counted (strong) reference, retained for as long as the caller
    /// uses it: for uses off the hot paths, and for any use the keeper does not cover.
    @inline(__always)
    var referent: Referent { reference.takeUnretainedValue() }
}

extension Unretained: Sendable where Referent: Sendable {}
