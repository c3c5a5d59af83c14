import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// The Lua allocator's small-block free lists (`clua_alloc_fn` in CLuaRun/include/clua_shim.h): blocks
/// move between size classes, from small to large and back, and are reused after the
/// collector frees them; none of that may corrupt a value or leak accounting.
@Suite struct AllocatorTests {
    /// Strings of every length from 0 to 299 (classes 16...128 and past them), tables
    /// grown element by element (reallocated through every class and beyond) and shrunk,
    /// churned through the collector between rounds; every value is checked after.
    static let churn = """
        local total = 0
        for round = 1, 6 do
          local strings, tables = {}, {}
          for i = 0, 299 do
            strings[#strings + 1] = string.rep(string.char(65 + i % 26), i)
            local t = {}
            for j = 1, i % 40 do t[j] = j * round end
            tables[#tables + 1] = t
          end
          collectgarbage()
          for i = 0, 299 do
            local s = strings[i + 1]
            if #s ~= i or (i > 0 and s:byte(i) ~= 65 + i % 26) then return 'bad string ' .. i end
            local t = tables[i + 1]
            if #t ~= i % 40 then return 'bad table ' .. i end
            for j = 1, #t do if t[j] ~= j * round then return 'bad element ' .. i .. ':' .. j end end
            total = total + #s + #t
          end
        end
        return total
        """

    @Test func churnKeepsEveryValueIntact() {
        let engine = ScriptEngine()
        // 6 rounds of sum(0...299) string bytes plus sum(i % 40) table elements.
        let perRound = (0..<300).reduce(0) { $0 + $1 + $1 % 40 }
        for _ in 0..<3 {   // the same pooled state, its free lists already stocked
            #expect(engine.eval(Self.churn) == .integer(Int64(6 * perRound)))
        }
    }

    /// Freed blocks leave the state's accounting: under a 4 MB cap, thirty churn runs on
    /// one pooled state (each allocating well over that in total) all succeed.
    @Test func accountingFollowsFrees() {
        let engine = ScriptEngine(configuration: .init(memoryLimitPerState: 4 << 20))
        let perRound = (0..<300).reduce(0) { $0 + $1 + $1 % 40 }
        for _ in 0..<30 {
            #expect(engine.eval(Self.churn) == .integer(Int64(6 * perRound)))
        }
    }
}
