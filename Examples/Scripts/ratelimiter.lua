-- A token bucket rate limiter.
--
-- KEYS[1]: the bucket (a hash with fields tokens and updated_ms).
-- ARGV[1]: capacity (tokens); ARGV[2]: refill rate (tokens per second);
-- ARGV[3]: tokens this request costs.
-- Returns {allowed (1 or 0), tokens left (floor)}.
--
-- Time comes from TIME, i.e. the store's clock: with a ManualClock a test decides exactly
-- how much refills between two requests.
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
