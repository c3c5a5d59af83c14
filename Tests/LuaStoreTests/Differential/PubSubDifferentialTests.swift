import LuaStore
import Testing
import TestSupport

/// PUBLISH and PUBSUB against a real redis-server, with no subscribers on either side:
/// replies and errors byte for byte (subscribers are in-process objects here; their
/// delivery is tested in PubSubTests).
@Suite("PUBLISH and PUBSUB vs redis-server")
struct PubSubDifferentialTests {
    static let commands: [[ByteString]] = [
        ["PUBLISH", "news", "hello"], ["publish", "", ""], ["PUBLISH", "a"], ["PUBLISH", "a", "b", "c"],
        ["PUBSUB", "CHANNELS"], ["PUBSUB", "channels", "*"], ["PUBSUB", "CHANNELS", "a", "b"],
        ["PUBSUB", "NUMSUB"], ["PUBSUB", "NUMSUB", "a", "b", "a"], ["PUBSUB", "NUMPAT"], ["PUBSUB", "NUMPAT", "x"],
        ["PUBSUB", "SHARDCHANNELS"], ["PUBSUB", "SHARDCHANNELS", "x*"], ["PUBSUB", "SHARDCHANNELS", "a", "b"],
        ["PUBSUB", "SHARDNUMSUB", "a", "b"], ["PUBSUB", "SHARDNUMSUB"], ["PUBSUB", "HELP"], ["PUBSUB", "help", "x"],
        ["PUBSUB"], ["PUBSUB", "nosuch"],
        ["EVAL", "return redis.call('PUBLISH', 'news', 'from a script')", "0"],
        ["EVAL", "return redis.call('PUBSUB', 'NUMSUB', 'news')", "0"],
    ]

    @Test(arguments: [RESPVersion.resp2, .resp3])
    func sameRepliesAsRedis(protocolVersion: RESPVersion) throws {
        try IntrospectionTests.compare(Self.commands, protocolVersion: protocolVersion) { _, reference, subject in
            reference == subject ? nil : "replies differ"
        }
    }
}
