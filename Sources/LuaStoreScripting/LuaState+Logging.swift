#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLuaRun
import Logging

/// The engine's own log events, written to the configured logger
/// (``ScriptEngine/Configuration/logger``): runs that were stopped, and slow runs.
extension LuaState {
    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// After a run's `lua_pcall`: a stopped run is a warning (with why), a run that took
    /// the slow threshold or longer a notice. `startedAt` is 0 when no threshold is set.
    func logRun(name: String, limits: RunLimits, startedAt: Int64) {
        let reason = clua_interrupt_reason(L)
        let memory = clua_memory_exceeded(L) != 0
        guard reason != Int32(CLUA_RUNNING) || memory || startedAt != 0 else { return }
        let kind = limits.isFunction ? "function" : "script"
        var metadata: Logger.Metadata = ["script": "\(name)", "kind": "\(kind)"]
        if startedAt != 0 {
            let elapsed = Self.monotonicNanoseconds() - startedAt
            metadata["elapsed_ms"] = "\(elapsed / 1_000_000)"
            if reason == Int32(CLUA_RUNNING) && !memory {
                if elapsed >= limits.slowThresholdNanoseconds { logger.notice("slow \(kind) run", metadata: metadata) }
                return
            }
        }
        switch reason {
        case Int32(CLUA_KILLED): logger.warning("\(kind) killed (SCRIPT KILL / FUNCTION KILL)", metadata: metadata)
        case Int32(CLUA_TIMED_OUT): logger.warning("\(kind) stopped at the time limit", metadata: metadata)
        case Int32(CLUA_CANCELLED): logger.warning("\(kind) cancelled by its caller", metadata: metadata)
        default: logger.warning("\(kind) stopped: its Lua state reached the memory cap", metadata: metadata)
        }
    }
}
