import Testing
@testable import LuaStore

/// Validation that lives in the ops: the typed API and the argv handler refuse the same
/// arguments with the same error, before the key is read (so even on a key of the wrong
/// type, as redis-server checks the argument first).
@Suite struct SharedValidationTests {
    let store = LuaStore()

    init() throws {
        try store.lpush("list", ["a"])
    }

    @Test func decrbyOverflow() {
        #expect(throws: StoreError.decrementOverflow) { try store.decrby("list", Int64.min) }
        #expect(store.execute(["DECRBY", "list", "-9223372036854775808"]) == StoreError.decrementOverflow.reply)
    }

    @Test func setrangeNegativeOffset() {
        #expect(throws: StoreError.offsetOutOfRange) { try store.setrange("list", -1, "x") }
        #expect(store.execute(["SETRANGE", "list", "-1", "x"]) == StoreError.offsetOutOfRange.reply)
    }

    @Test func hincrbyfloatNaNOrInfinity() {
        #expect(throws: StoreError.incrementNaNOrInfinity) { try store.hincrbyfloat("list", "f", .infinity) }
        #expect(throws: StoreError.incrementNaNOrInfinity) { try store.hincrbyfloat("list", "f", .nan) }
        #expect(store.execute(["HINCRBYFLOAT", "list", "f", "inf"]) == StoreError.incrementNaNOrInfinity.reply)
    }

    @Test func spopAndSintercardNegatives() {
        #expect(throws: StoreError.valueMustBePositive) { try store.spop("list", count: -1) }
        #expect(store.execute(["SPOP", "list", "-1"]) == StoreError.valueMustBePositive.reply)
        #expect(throws: StoreError.limitNegative) { try store.sintercard(["list"], limit: -1) }
        #expect(store.execute(["SINTERCARD", "1", "list", "LIMIT", "-1"]) == StoreError.limitNegative.reply)
    }

    /// One bound, ``maxRepeatedRandomCount``, for every random-pick command.
    @Test func repeatedRandomCountLimit() throws {
        let past = -Int(maxRepeatedRandomCount) - 1
        let setError = StoreError.valueOutOfRange(min: -maxRepeatedRandomCount, max: Int64.max)
        #expect(throws: setError) { try store.srandmember("list", count: past) }
        #expect(store.execute(["SRANDMEMBER", "list", "\(past)"]) == setError.reply)
        #expect(throws: StoreError.valueOutOfRangeUnbounded) { try store.hrandfield("list", count: past) }
        #expect(store.execute(["HRANDFIELD", "list", "\(past)"]) == StoreError.valueOutOfRangeUnbounded.reply)
        #expect(throws: StoreError.valueOutOfRangeUnbounded) { try store.zrandmember("list", count: past) }
        #expect(store.execute(["ZRANDMEMBER", "list", "\(past)"]) == StoreError.valueOutOfRangeUnbounded.reply)
        // At the bound itself the key is read: a wrong type, not a refusal.
        let atBound = -Int(maxRepeatedRandomCount)
        #expect(throws: StoreError.wrongType) { try store.srandmember("list", count: atBound) }
        #expect(throws: StoreError.valueOutOfRange(min: -Int64.max, max: Int64.max)) { try store.srandmember("list", count: Int.min) }
    }

    @Test func lposArguments() {
        #expect(throws: StoreError.rankZero) { try store.lpos("missing", "a", rank: 0) }
        #expect(throws: StoreError.countNegative) { try store.lpos("missing", "a", count: -1) }
        #expect(throws: StoreError.maxlenNegative) { try store.lpos("missing", "a", maxLength: -1) }
        #expect(store.execute(["LPOS", "missing", "a", "RANK", "0"]) == StoreError.rankZero.reply)
    }

    @Test func zmpopArguments() {
        #expect(throws: StoreError.numkeysNotPositive) { try store.zmpop([], max: false) }
        #expect(throws: StoreError.countNotPositive) { try store.zmpop(["list"], max: false, count: 0) }
        #expect(store.execute(["ZMPOP", "1", "list", "MIN", "COUNT", "0"]) == StoreError.countNotPositive.reply)
    }

    /// ZINTERCARD reads LIMIT after the inputs' types, as Redis: a wrong type comes first.
    @Test func zintercardLimitAfterTypes() throws {
        #expect(throws: StoreError.wrongType) { try store.zintercard(["list"], limit: -1) }
        #expect(store.execute(["ZINTERCARD", "1", "list", "LIMIT", "-1"]) == StoreError.wrongType.reply)
        try store.zadd("z", score: 1, member: "a")
        #expect(throws: StoreError.limitNegative) { try store.zintercard(["z"], limit: -1) }
        #expect(store.execute(["ZINTERCARD", "1", "z", "LIMIT", "-1"]) == StoreError.limitNegative.reply)
    }

    /// WEIGHTS are checked after the inputs' types, as Redis parses them.
    @Test func zunionWeightsAfterTypes() throws {
        #expect(throws: StoreError.wrongType) { try store.zunion(["list"], weights: [.nan]) }
        #expect(store.execute(["ZUNION", "1", "list", "WEIGHTS", "x"]) == StoreError.wrongType.reply)
        try store.zadd("z", score: 1, member: "a")
        #expect(throws: StoreError.weightNotFloat) { try store.zunion(["z"], weights: [.nan]) }
        #expect(throws: StoreError.syntax) { try store.zunion(["z"], weights: [1, 2]) }
        #expect(store.execute(["ZUNION", "1", "z", "WEIGHTS", "x"]) == StoreError.weightNotFloat.reply)
        #expect(throws: StoreError.atLeastOneInputKey(command: "zunion")) { try store.zunion([]) }
    }
}
