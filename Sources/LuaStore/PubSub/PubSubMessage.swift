import LuaStoreCore

/// One message a ``LuaStore/Subscription`` receives.
///
/// # Thread safety
/// A `Sendable` value.
public struct PubSubMessage: Sendable, Hashable {
    /// The channel it was published to.
    public var channel: ByteString
    /// The pattern that matched, for a pattern subscription (Redis's `pmessage`); nil for
    /// a channel subscription (`message`).
    public var pattern: ByteString?
    /// The message.
    public var payload: ByteString
    /// Whether it came to a shard channel (SPUBLISH; Redis's `smessage`).
    public var sharded: Bool

    public init(channel: ByteString, pattern: ByteString?, payload: ByteString, sharded: Bool = false) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
        self.sharded = sharded
    }
}
