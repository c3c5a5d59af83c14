import LuaStore

/// A token-bucket rate limiter: one atomic Lua script per request, a hash per client.
///
/// Time comes from the store's clock (`TIME` inside the script), so a test that builds the
/// store with a `ManualClock` decides exactly how many tokens refill between two requests.
///
/// # Thread safety
/// Thread-safe: a `Sendable` value; concurrent requests for one client are serialized by
/// the script's lock on the client's bucket key, requests for different clients run in
/// parallel.
public struct RateLimiter: Sendable {
    /// The outcome of one request.
    public struct Decision: Sendable, Equatable {
        /// Whether the request may go ahead (its cost was taken from the bucket).
        public var allowed: Bool
        /// Whole tokens left in the bucket after this request.
        public var tokensLeft: Int

        public init(allowed: Bool, tokensLeft: Int) {
            self.allowed = allowed
            self.tokensLeft = tokensLeft
        }
    }

    /// The script. KEYS[1]: the bucket (a hash with fields `tokens` and `updated_ms`);
    /// ARGV: capacity, refill rate (tokens per second), cost. Returns {allowed, tokens left}.
    public static let source: ByteString = """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

        local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated_ms')
        local tokens = tonumber(state[1]) or capacity
        local updated = tonumber(state[2]) or now
        tokens = math.min(capacity, tokens + (now - updated) * rate / 1000)

        local allowed = 0
        if tokens >= cost then
          tokens = tokens - cost
          allowed = 1
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated_ms', now)
        -- An idle bucket refills completely after capacity / rate seconds; then it can go.
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
        return {allowed, math.floor(tokens)}
        """

    private let store: LuaStore
    private let script: Script
    /// Tokens a full bucket holds.
    public let capacity: Int
    /// Tokens added per second.
    public let refillPerSecond: Double

    /// Loads the script into `store`.
    public init(store: LuaStore, capacity: Int, refillPerSecond: Double) throws {
        self.store = store
        self.script = try store.scriptLoad(Self.source)
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
    }

    /// Takes `cost` tokens from `client`'s bucket if it has them.
    public func attempt(client: String, cost: Int = 1) throws -> Decision {
        let reply = try store.eval(
            script, keys: ["ratelimit:\(client)"],
            args: [ByteString(capacity), ByteString(refillPerSecond), ByteString(cost)], as: [Int].self)
        return Decision(allowed: reply[0] == 1, tokensLeft: reply[1])
    }
}
