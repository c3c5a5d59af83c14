import CLua
import CLuaRun
import Foundation
import LuaStoreCore
import Testing
@testable import LuaStoreScripting

/// The sandbox's string.find, match, gmatch and gsub (CLuaRun's pattern matcher, which
/// checks the stop as it goes) give liblua's results and errors, and stop promptly.
@Suite struct PatternTests {
    /// Runs `chunk` in a plain Lua state with liblua's own libraries, where the global
    /// `mine` holds the sandbox's four functions; returns the chunk's result or error.
    static func runPlain(_ chunk: String) -> String {
        guard let L = clua_newstate(0, nil) else { return "no state" }
        defer { clua_close(L) }
        luaL_openlibs(L)
        clua_run_push_patterns(L)
        lua_setglobal(L, "mine")
        guard luaL_loadstring(L, chunk) == LUA_OK, clua_pcall(L, 0, 1, 0) == LUA_OK else {
            return "error: " + String(cString: clua_tostring(L, -1))
        }
        return String(cString: clua_tostring(L, -1))
    }

    /// Compares both implementations on every call of `calls(s, p, init)` for the given
    /// subjects and patterns; returns "same" or the first difference.
    static let comparison = #"""
    local function pack(...) return {n = select('#', ...), ...} end
    local function show(t)
      local out = {}
      for i = 1, t.n do out[i] = type(t[i]) == 'string' and string.format('%q', t[i]) or tostring(t[i]) end
      return '(' .. table.concat(out, ', ') .. ')'
    end
    local function same(a, b)
      if a.n ~= b.n then return false end
      for i = 1, a.n do if a[i] ~= b[i] then return false end end
      return true
    end
    local function iterate(gmatch, s, p, init)
      local out, n = {}, 0
      for a, b, c in gmatch(s, p, init) do
        n = n + 1
        out[n] = tostring(a) .. '|' .. tostring(b) .. '|' .. tostring(c)
        if n > 50 then break end
      end
      return table.concat(out, ';')
    end
    local replacements = {
      '<%0>', '%1-%2', '%%', 'x%', '%a', '[%1]', '', 5,
      {a = 'A', ab = false, b = 1, ['1'] = true},
      function(x, y) if y then return x .. y elseif x == 'a' then return false end return nil end,
    }
    local function compare(s, p, init)
      local calls = {
        function(lib) return lib.find(s, p, init) end,
        function(lib) return lib.find(s, p, init, true) end,
        function(lib) return lib.match(s, p, init) end,
        function(lib) return iterate(lib.gmatch, s, p, init) end,
      }
      for _, r in ipairs(replacements) do
        calls[#calls + 1] = function(lib) return lib.gsub(s, p, r) end
        calls[#calls + 1] = function(lib) return lib.gsub(s, p, r, 1) end
      end
      for i, call in ipairs(calls) do
        local a, b = pack(pcall(call, string)), pack(pcall(call, mine))
        if not same(a, b) then
          return string.format('call %d on s=%q p=%q init=%s: liblua %s, sandbox %s', i, s, p, tostring(init), show(a), show(b))
        end
      end
    end
    """#

    @Test func chosenPatternsGiveLibluaResults() {
        let cases = #"""
        local patterns = {
          '', '%', '%%', '[a', '[]', '[]]', '[^]]', '[^]', '[%]]', '[a-]', '[-a]', '[a-%d]', '[%a-z]',
          '%b', '%ba', '%b()', '%bab', '%f', '%fa', '%f[%w]', '%f[%W]', '%f[%z]', '%f[^%z]',
          '(', ')', '(()', '()', '()a()', '(a)%1', '((a)%2)', '(a)%2', '%0', '%1', '(a%1)',
          '(%w+)%s*=%s*(%w+)', '%z', '[%z]', '%Z+', '^$', '$', 'a$b', '.-$', '^a-', '%d+%.?%d*',
          'a*', 'a+', 'a-', 'a?', '.*', '.-', '^', '^^', '$$', '%a+$', '[%a_][%w_]*', '%s*(.-)%s*$',
          string.rep('(a)', 32), string.rep('(a)', 33), string.rep('a?', 199), string.rep('a?', 250),
          'x\0y', '[\0-\31]', '%c', '%g', '%l%u', '%p', '%x+', '%A%D%G%L%P%S%U%W%X',
        }
        local subjects = {
          '', 'a', 'aaa', 'ab', 'abab', 'a = b', ' x1 = y2 ', '(a(b)c)', 'ab)', 'THE (quick) fox',
          'x\0y', '\0', '12.5e3', 'a_b9 $ ^', string.rep('a', 40), 'hello world from Lua',
        }
        for _, p in ipairs(patterns) do
          for _, s in ipairs(subjects) do
            for _, init in ipairs({false, 1, 2, -3, 0, 100, -100}) do
              local d = compare(s, p, init or nil)
              if d then return d end
            end
          end
        end
        return 'same'
        """#
        #expect(Self.runPlain(Self.comparison + "\n" + cases) == "same")
        // The comparison sees a difference when there is one.
        let broken = "mine = setmetatable({gsub = function(s, p, r, n) return string.gsub(s, p, r, n or 2) end}, {__index = mine})\n"
        #expect(Self.runPlain(broken + Self.comparison + "\n" + cases).hasPrefix("call "))
    }

    @Test func randomPatternsGiveLibluaResults() {
        let random = #"""
        math.randomseed(20240611)
        local rnd = math.random
        local atoms = {'a', 'b', 'c', '.', '%a', '%d', '%s', '%w', '%p', '%A', '%%', '%.', '[ab]', '[^a]',
          '[a-c]', '[%a_]', '[]]', '[^%d]', 'x', '1', ' ', '(', ')', '()', '%1', '%2', '%b()', '%bab',
          '%f[%w]', '%f[%W]', '%z', '-', '[', ']', '%', '^', '$', '?', '*'}
        local quantifiers = {'', '', '', '*', '+', '-', '?'}
        local chars = {'a', 'b', 'c', '1', '2', ' ', '(', ')', '.', '_', 'x', '\0', '%'}
        for _ = 1, 4000 do
          local p, s = {}, {}
          if rnd() < 0.2 then p[#p + 1] = '^' end
          for i = 1, rnd(0, 6) do p[#p + 1] = atoms[rnd(#atoms)] .. quantifiers[rnd(#quantifiers)] end
          if rnd() < 0.2 then p[#p + 1] = '$' end
          for i = 1, rnd(0, 14) do s[i] = chars[rnd(#chars)] end
          local init = rnd() < 0.3 and rnd(-16, 16) or nil
          local d = compare(table.concat(s), table.concat(p), init)
          if d then return d end
        end
        return 'same'
        """#
        #expect(Self.runPlain(Self.comparison + "\n" + random) == "same")
    }

    static func isTimeout(_ reply: Reply?) -> Bool {
        reply?.errorMessage?.hasPrefix("ERR Script exceeded the configured time limit and was stopped") == true
    }

    /// '.-b' over 100k 'a's is quadratic: minutes in liblua's matcher, which no hook stops.
    @Test(arguments: StopPath.allCases)
    func backtrackingMeetsTheTimeLimit(path: StopPath) {
        let engine = ScriptEngine(configuration: .init(timeLimit: .milliseconds(300)))
        let subject = "local s = string.rep('a', 100000) "
        for call in [
            "return string.find(s, '.-b')",
            "return s:match('(.-)b')",
            "return string.gsub(s, '.-b', 'x')",
            "for w in s:gmatch('.-b') do end return 1",
            "while true do pcall(string.find, s, '.-b') end",
            "return coroutine.wrap(function() return string.find(s, 'a*a*a*a*b') end)()",
        ] {
            let start = ContinuousClock.now
            let reply = runOnThread(path) { engine.eval(subject + call) }
            #expect(Self.isTimeout(reply), "\(call): \(String(describing: reply))")
            #expect(ContinuousClock.now - start < .seconds(3), "\(call)")
        }
        #expect(engine.eval("return {string.find('xxab', 'a(b)')}") == .array([.integer(3), .integer(4), .bulk("b")]))
    }

    @Test func scriptKillStopsAMatch() {
        let engine = ScriptEngine(configuration: .init(timeLimit: nil))
        let s = "return string.find(string.rep('a', 100000), '.-b')"
        let run = startOnThread(.signal) { engine.eval(s) }
        #expect(eventually { engine.runningCount == 1 })
        #expect(engine.killScripts() == .ok)
        #expect(run.wait()?.errorMessage?.hasPrefix("ERR Script killed by user with SCRIPT KILL...") == true)
    }
}
