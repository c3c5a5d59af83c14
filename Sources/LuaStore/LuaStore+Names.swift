import LuaStoreCore
import LuaStoreScripting

/// Every public type of the library, also as a member of ``LuaStore``: `LuaStore.Reply`,
/// `LuaStore.Script`, `LuaStore.Transaction`, ...
///
/// The module and the class are both called `LuaStore`, and in `LuaStore.Reply` Swift
/// reads `LuaStore` as the class, so a module-qualified name cannot say "the module's
/// `Reply`". These aliases make the class the namespace: when a name clashes with one of
/// your own or another library's (`Reply`, `Script`, `Transaction`, `Expiration`...),
/// write `LuaStore.Reply`. The unqualified names stay available as they are.
extension LuaStore {
    // From LuaStoreCore: values, replies, errors, result structs.
    public typealias ByteString = LuaStoreCore.ByteString
    public typealias Reply = LuaStoreCore.Reply
    public typealias RESPVersion = LuaStoreCore.RESPVersion
    public typealias StoreError = LuaStoreCore.StoreError
    public typealias ReplyDecodable = LuaStoreCore.ReplyDecodable
    public typealias HashEntry = LuaStoreCore.HashEntry
    public typealias SortedSetEntry = LuaStoreCore.SortedSetEntry
    public typealias ScoreRange = LuaStoreCore.ScoreRange
    public typealias LexRange = LuaStoreCore.LexRange
    public typealias LexBound = LuaStoreCore.LexBound

    // From LuaStoreScripting: scripts, their flags, function libraries.
    public typealias Script = LuaStoreScripting.Script
    public typealias ScriptFlags = LuaStoreScripting.ScriptFlags
    public typealias ScriptEngine = LuaStoreScripting.ScriptEngine
    public typealias FunctionInfo = LuaStoreScripting.FunctionInfo
    public typealias FunctionLibrary = LuaStoreScripting.FunctionLibrary

    // This module's own types (see ``_LuaStoreModuleTypes``).
    public typealias KeyValueCommands = _LuaStoreModuleTypes.KeyValueCommandsType
    public typealias Transaction = _LuaStoreModuleTypes.TransactionType
    public typealias OptimisticTransaction = _LuaStoreModuleTypes.OptimisticTransactionType
    public typealias Session = _LuaStoreModuleTypes.SessionType
    public typealias AsyncStore = _LuaStoreModuleTypes.AsyncStoreType
    public typealias ScanResult<Element> = _LuaStoreModuleTypes.ScanResultType<Element>
    public typealias StoreClock = _LuaStoreModuleTypes.StoreClockType
    public typealias SystemClock = _LuaStoreModuleTypes.SystemClockType
    public typealias ManualClock = _LuaStoreModuleTypes.ManualClockType
    public typealias SetCondition = _LuaStoreModuleTypes.SetConditionType
    public typealias Expiration = _LuaStoreModuleTypes.ExpirationType
    public typealias ExpireCondition = _LuaStoreModuleTypes.ExpireConditionType
    public typealias TimeToLive = _LuaStoreModuleTypes.TimeToLiveType
    public typealias ListEnd = _LuaStoreModuleTypes.ListEndType
    public typealias ScoreComparison = _LuaStoreModuleTypes.ScoreComparisonType
    public typealias ScoreAggregate = _LuaStoreModuleTypes.ScoreAggregateType
    public typealias SortedSetRange = _LuaStoreModuleTypes.SortedSetRangeType
    public typealias BitOperation = _LuaStoreModuleTypes.BitOperationType
    public typealias BitRange = _LuaStoreModuleTypes.BitRangeType
    public typealias BitRangeUnit = _LuaStoreModuleTypes.BitRangeUnitType
    public typealias BitfieldOperation = _LuaStoreModuleTypes.BitfieldOperationType
    public typealias BitfieldOverflow = _LuaStoreModuleTypes.BitfieldOverflowType
    public typealias BitfieldType = _LuaStoreModuleTypes.BitfieldTypeType
    public typealias EvictionPolicy = _LuaStoreModuleTypes.EvictionPolicyType
    public typealias PubSubMessage = _LuaStoreModuleTypes.PubSubMessageType
}

/// The types declared in the `LuaStore` module under other names, for the aliases above:
/// inside `extension LuaStore`, `typealias Transaction = Transaction` would name the alias
/// itself, and the module cannot be named there. Not for use; write `LuaStore.Transaction`
/// or `Transaction`.
@_documentation(visibility: internal)
public enum _LuaStoreModuleTypes {
    public typealias KeyValueCommandsType = KeyValueCommands
    public typealias TransactionType = Transaction
    public typealias OptimisticTransactionType = OptimisticTransaction
    public typealias SessionType = Session
    public typealias AsyncStoreType = AsyncStore
    public typealias ScanResultType<Element> = ScanResult<Element>
    public typealias StoreClockType = StoreClock
    public typealias SystemClockType = SystemClock
    public typealias ManualClockType = ManualClock
    public typealias SetConditionType = SetCondition
    public typealias ExpirationType = Expiration
    public typealias ExpireConditionType = ExpireCondition
    public typealias TimeToLiveType = TimeToLive
    public typealias ListEndType = ListEnd
    public typealias ScoreComparisonType = ScoreComparison
    public typealias ScoreAggregateType = ScoreAggregate
    public typealias SortedSetRangeType = SortedSetRange
    public typealias BitOperationType = BitOperation
    public typealias BitRangeType = BitRange
    public typealias BitRangeUnitType = BitRangeUnit
    public typealias BitfieldOperationType = BitfieldOperation
    public typealias BitfieldOverflowType = BitfieldOverflow
    public typealias PubSubMessageType = PubSubMessage
    public typealias BitfieldTypeType = BitfieldType
    public typealias EvictionPolicyType = EvictionPolicy
}
