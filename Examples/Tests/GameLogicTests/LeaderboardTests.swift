import GameLogic
import LuaStore
import Testing

@Suite struct LeaderboardTests {
    @Test func topListsPlayersByScoreWithRanks() throws {
        let board = Leaderboard(store: LuaStore(configuration: .init(clock: ManualClock())), name: "arena", season: .seconds(3600))
        try board.record("ann", points: 10)
        try board.record("ben", points: 30)
        try board.record("cid", points: 20)
        try board.record("ann", points: 25)                 // 35: now first
        #expect(try board.top(2) == [
            .init(player: "ann", score: 35, rank: 1),
            .init(player: "ben", score: 30, rank: 2),
        ])
        #expect(try board.standing(of: "cid") == .init(player: "cid", score: 20, rank: 3))
        #expect(try board.standing(of: "nobody") == nil)
        #expect(try board.top(0).isEmpty)
    }

    @Test func theSeasonEndsWhenTheClockPassesItFromTheFirstScore() throws {
        let clock = ManualClock()
        let board = Leaderboard(store: LuaStore(configuration: .init(clock: clock)), name: "weekly", season: .seconds(100))
        try board.record("ann", points: 1)
        clock.advance(by: .seconds(60))
        try board.record("ben", points: 2)                   // does not extend the season
        clock.advance(by: .seconds(39))
        #expect(try board.top(10).count == 2)
        clock.advance(by: .seconds(1))
        #expect(try board.top(10).isEmpty)
        try board.record("cid", points: 5)                   // a new season starts
        #expect(try board.top(10) == [.init(player: "cid", score: 5, rank: 1)])
    }
}
