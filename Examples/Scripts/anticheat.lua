-- Anti-cheat (from Dragonfly's post "Leveraging the power of Lua scripting with Dragonfly",
-- section 3): users who made the top 10 of at least half of the given game-room
-- leaderboards are added to a set of suspicious users.
--
-- KEYS[1..n-1]: leaderboards (sorted sets, score = points); KEYS[n]: the suspects set.
-- Returns the number of suspects found in this run.
--
-- The rooms may live on any shard: one script reaches them all, atomically, with no
-- cluster slot rule and no hash tags.
local suspects = KEYS[#KEYS]
local rooms = #KEYS - 1
local seen = {}
for i = 1, rooms do
  for _, user in ipairs(redis.call('ZREVRANGE', KEYS[i], 0, 9)) do
    seen[user] = (seen[user] or 0) + 1
  end
end
local found = 0
for user, count in pairs(seen) do
  if count * 2 >= rooms then
    redis.call('SADD', suspects, user)
    found = found + 1
  end
end
return found
