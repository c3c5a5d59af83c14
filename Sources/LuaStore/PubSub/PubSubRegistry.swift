import LuaStoreCore

/// Who listens to what: the store's channel and pattern subscriptions, and delivery.
///
/// A subscriber is one ``LuaStore/Subscription`` (Redis's client): it may listen to
/// several channels and patterns. PUBLISH counts receivers as Redis does: one per
/// subscriber of the channel, plus one per (subscriber, pattern) pair whose pattern
/// matches, so a subscriber listening both ways counts (and receives) twice.
///
/// Delivery yields into each subscriber's `AsyncStream` outside the registry's lock, so a
/// slow consumer never holds up publishers beyond its stream's buffering policy.
///
/// # Thread safety
/// Thread-safe: the state is behind a `Locked` (a pthread mutex). Taken alone, never
/// while holding a shard's lock or a key lock's wait, so it adds no lock-order edge.
final class PubSubRegistry: Sendable {
    typealias Sink = AsyncStream<PubSubMessage>.Continuation

    private struct State {
        var nextID: UInt64 = 0
        /// channel -> subscriber id -> sink
        var channels: [ByteString: [UInt64: Sink]] = [:]
        /// pattern -> subscriber id -> sink
        var patterns: [ByteString: [UInt64: Sink]] = [:]
        /// shard channel (SSUBSCRIBE's, a namespace of its own) -> subscriber id -> sink
        var shardChannels: [ByteString: [UInt64: Sink]] = [:]
    }
    private let state = Locked(State())

    /// A fresh subscriber id.
    func newSubscriber() -> UInt64 {
        state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
    }

    func subscribe(_ id: UInt64, channels: [ByteString], patterns: [ByteString], shardChannels: [ByteString] = [], sink: Sink) {
        state.withLock { s in
            for channel in channels { s.channels[channel, default: [:]][id] = sink }
            for pattern in patterns { s.patterns[pattern, default: [:]][id] = sink }
            for channel in shardChannels { s.shardChannels[channel, default: [:]][id] = sink }
        }
    }

    /// Removes `id` from `channels` and `patterns` (nil: all of its subscriptions of
    /// that kind); its shard channels too when `shardChannels` is not empty (nil: all).
    func unsubscribe(_ id: UInt64, channels: [ByteString]?, patterns: [ByteString]?, shardChannels: [ByteString]? = []) {
        state.withLock { s in
            Self.remove(id, from: &s.channels, only: channels)
            Self.remove(id, from: &s.patterns, only: patterns)
            if shardChannels?.isEmpty != true { Self.remove(id, from: &s.shardChannels, only: shardChannels) }
        }
    }

    /// Removes every subscription of `id`.
    func unsubscribeAll(_ id: UInt64) {
        unsubscribe(id, channels: nil, patterns: nil, shardChannels: nil)
    }

    private static func remove(_ id: UInt64, from table: inout [ByteString: [UInt64: Sink]], only names: [ByteString]?) {
        let names = names ?? table.compactMap { $0.value[id] != nil ? $0.key : nil }
        for name in names {
            guard var listeners = table[name] else { continue }
            listeners[id] = nil
            table[name] = listeners.isEmpty ? nil : listeners
        }
    }

    /// PUBLISH: delivers `message` to every matching subscription; the receiver count.
    func publish(_ channel: ByteString, _ message: ByteString) -> Int {
        var deliveries: [(Sink, PubSubMessage)] = []
        state.withLock { s in
            if let listeners = s.channels[channel] {
                let delivered = PubSubMessage(channel: channel, pattern: nil, payload: message)
                for sink in listeners.values { deliveries.append((sink, delivered)) }
            }
            for (pattern, listeners) in s.patterns where GlobPattern.matches(pattern, channel) {
                let delivered = PubSubMessage(channel: channel, pattern: pattern, payload: message)
                for sink in listeners.values { deliveries.append((sink, delivered)) }
            }
        }
        for (sink, delivered) in deliveries { sink.yield(delivered) }
        return deliveries.count
    }

    /// SPUBLISH: delivers `message` to the subscribers of shard channel `channel` (no
    /// patterns: shard channels have none); the receiver count.
    func publishToShard(_ channel: ByteString, _ message: ByteString) -> Int {
        let sinks = state.withLock { s in s.shardChannels[channel].map { Array($0.values) } ?? [] }
        let delivered = PubSubMessage(channel: channel, pattern: nil, payload: message, sharded: true)
        for sink in sinks { sink.yield(delivered) }
        return sinks.count
    }

    /// PUBSUB CHANNELS / SHARDCHANNELS: channels with at least one subscriber matching
    /// `pattern`.
    func channels(matching pattern: ByteString?, shard: Bool = false) -> [ByteString] {
        state.withLock { s in
            (shard ? s.shardChannels : s.channels).keys.filter { pattern == nil || GlobPattern.matches(pattern!, $0) }
        }
    }

    /// PUBSUB NUMSUB / SHARDNUMSUB: subscribers of each channel (pattern subscriptions
    /// not counted).
    func subscriberCounts(_ channels: [ByteString], shard: Bool = false) -> [Int] {
        state.withLock { s in channels.map { (shard ? s.shardChannels : s.channels)[$0]?.count ?? 0 } }
    }

    /// PUBSUB NUMPAT: distinct patterns subscribed to.
    var patternCount: Int { state.withLock { $0.patterns.count } }
}
