import LuaStore

/// A season leaderboard: a sorted set of players by score that expires when the season
/// ends (on the store's clock, so a `ManualClock` ends a season in a test).
///
/// # Thread safety
/// Thread-safe: a `Sendable` value over a thread-safe store; each call is one atomic
/// command.
public struct Leaderboard: Sendable {
    /// A player's place.
    public struct Standing: Sendable, Equatable {
        public var player: String
        public var score: Double
        /// 1 for the top player.
        public var rank: Int

        public init(player: String, score: Double, rank: Int) {
            self.player = player
            self.score = score
            self.rank = rank
        }
    }

    private let store: LuaStore
    private let key: ByteString
    /// How long a season lasts from its first score.
    public let season: Duration

    public init(store: LuaStore, name: String, season: Duration) {
        self.store = store
        self.key = "leaderboard:\(name)"
        self.season = season
    }

    /// Adds `points` to `player`'s score; the first score of a season starts its clock.
    /// - Returns: the player's new score.
    @discardableResult
    public func record(_ player: String, points: Double) throws -> Double {
        let score = try store.zincrby(key, points, ByteString(player))
        // NX: only the first score of a season sets the deadline.
        _ = try store.expire(key, after: season, condition: .nx)
        return score
    }

    /// The `count` best players, highest score first (ties: the later name first, as
    /// ZREVRANGE orders them).
    public func top(_ count: Int) throws -> [Standing] {
        guard count > 0 else { return [] }
        return try store.zrevrange(key, 0, count - 1).enumerated().map { index, entry in
            Standing(player: entry.member.string, score: entry.score, rank: index + 1)
        }
    }

    /// `player`'s standing, or nil if they have no score this season.
    public func standing(of player: String) throws -> Standing? {
        let member = ByteString(player)
        guard let rank = try store.zrevrank(key, member), let score = try store.zscore(key, member) else { return nil }
        return Standing(player: player, score: score, rank: rank + 1)
    }
}
