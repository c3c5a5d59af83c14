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
    }
    private let state = Locked(State())

    /// A fresh subscriber id.
    func newSubscriber() -> UInt64 {
        state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
    }

    func subscribe(_ id: UInt64, channels: [ByteString], patterns: [ByteString], sink: Sink) {
        state.withLock { s in
            for channel in channels { s.channels[channel, default: [:]][id] = sink }
            for pattern in patterns { s.patterns[pattern, default: [:]][id] = sink }
        }
    }

    /// Removes `id` from `channels` and `patterns` (nil: all of its subscriptions).
    func unsubscribe(_ id: UInt64, channels: [ByteString]?, patterns: [ByteString]?) {
        state.withLock { s in
            Self.remove(id, from: &s.channels, only: channels)
            Self.remove(id, from: &s.patterns, only: patterns)
        }
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

    /// PUBSUB CHANNELS: channels with at least one subscriber matching `pattern`.
    func channels(matching pattern: ByteString?) -> [ByteString] {
        state.withLock { s in
            s.channels.keys.filter { pattern == nil || GlobPattern.matches(pattern!, $0) }
        }
    }

    /// PUBSUB NUMSUB: subscribers of each channel (pattern subscriptions not counted).
    func subscriberCounts(_ channels: [ByteString]) -> [Int] {
        state.withLock { s in channels.map { s.channels[$0]?.count ?? 0 } }
    }

    /// PUBSUB NUMPAT: distinct patterns subscribed to.
    var patternCount: Int { state.withLock { $0.patterns.count } }
}
