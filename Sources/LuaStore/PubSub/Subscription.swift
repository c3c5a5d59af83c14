import LuaStoreCore

extension LuaStore {
    /// A subscriber: the channels and patterns it listens to, and the messages published
    /// to them since it subscribed, as an `AsyncSequence` (Redis's subscribed client).
    ///
    /// Messages arrive in publishing order per publisher. Iterate it from one task; the
    /// subscription ends when it is deinitialized, when ``cancel()`` is called, or when the
    /// iterating task is cancelled. While nobody reads, messages wait in its buffer, as
    /// the buffering policy given to ``LuaStore/subscribe(_:patterns:bufferingPolicy:)``
    /// says (Redis disconnects a subscriber whose output buffer passes its limit; here
    /// the policy decides which messages are kept).
    ///
    /// # Thread safety
    /// Thread-safe: ``subscribe(_:patterns:)``, ``unsubscribe(_:patterns:)`` and
    /// ``cancel()`` may be called from any task while another iterates.
    public final class Subscription: AsyncSequence, Sendable {
        public typealias Element = PubSubMessage
        public typealias AsyncIterator = AsyncStream<PubSubMessage>.Iterator

        private let registry: PubSubRegistry
        private let id: UInt64
        private let stream: AsyncStream<PubSubMessage>
        private let sink: AsyncStream<PubSubMessage>.Continuation

        init(registry: PubSubRegistry, bufferingPolicy: AsyncStream<PubSubMessage>.Continuation.BufferingPolicy) {
            self.registry = registry
            id = registry.newSubscriber()
            (stream, sink) = AsyncStream.makeStream(of: PubSubMessage.self, bufferingPolicy: bufferingPolicy)
            let (registry, id) = (registry, id)
            sink.onTermination = { _ in registry.unsubscribeAll(id) }
        }

        deinit { cancel() }

        /// SUBSCRIBE / PSUBSCRIBE: listens to more channels and patterns.
        public func subscribe(_ channels: [ByteString], patterns: [ByteString] = []) {
            registry.subscribe(id, channels: channels, patterns: patterns, sink: sink)
        }

        /// UNSUBSCRIBE / PUNSUBSCRIBE: stops listening to `channels` and `patterns` (nil:
        /// to all of that kind). Messages already delivered stay in the buffer.
        public func unsubscribe(_ channels: [ByteString]? = nil, patterns: [ByteString]? = nil) {
            registry.unsubscribe(id, channels: channels, patterns: patterns)
        }

        /// SSUBSCRIBE: listens to more shard channels (SPUBLISH's namespace, apart from
        /// PUBLISH's channels; their messages have `sharded` set).
        public func subscribe(shardChannels: [ByteString]) {
            registry.subscribe(id, channels: [], patterns: [], shardChannels: shardChannels, sink: sink)
        }

        /// SUNSUBSCRIBE: stops listening to `shardChannels` (nil: to all of them).
        public func unsubscribe(shardChannels: [ByteString]?) {
            registry.unsubscribe(id, channels: [], patterns: [], shardChannels: shardChannels)
        }

        /// Ends the subscription: every subscription is dropped and iteration ends after
        /// the messages already buffered.
        public func cancel() {
            registry.unsubscribeAll(id)
            sink.finish()
        }

        public func makeAsyncIterator() -> AsyncStream<PubSubMessage>.Iterator {
            stream.makeAsyncIterator()
        }
    }

    /// SUBSCRIBE and PSUBSCRIBE: a subscription to `channels` and glob `patterns`
    /// (Redis's pattern syntax, as PSUBSCRIBE). It receives what is published from now on,
    /// by `publish(_:_:)`, `PUBLISH` through `execute(_:)` or `redis.call` in a script.
    ///
    /// ```swift
    /// let updates = store.subscribe(["scores"], patterns: ["room:*"])
    /// for await message in updates {
    ///     print(message.channel, message.payload)
    /// }
    /// ```
    /// - Parameters:
    ///   - channels: channels to listen to (SUBSCRIBE).
    ///   - patterns: glob patterns of channels to listen to (PSUBSCRIBE).
    ///   - bufferingPolicy: which messages wait while the subscriber is not reading;
    ///     default: all of them.
    public func subscribe(
        _ channels: [ByteString], patterns: [ByteString] = [],
        bufferingPolicy: AsyncStream<PubSubMessage>.Continuation.BufferingPolicy = .unbounded
    ) -> Subscription {
        let subscription = Subscription(registry: core.pubsub, bufferingPolicy: bufferingPolicy)
        subscription.subscribe(channels, patterns: patterns)
        return subscription
    }

    /// SSUBSCRIBE: a subscription to shard channels, which SPUBLISH reaches (a namespace
    /// apart from PUBLISH's channels and patterns). Add channels of either kind to it
    /// later with ``Subscription/subscribe(_:patterns:)`` and
    /// ``Subscription/subscribe(shardChannels:)``.
    public func subscribe(
        shardChannels: [ByteString],
        bufferingPolicy: AsyncStream<PubSubMessage>.Continuation.BufferingPolicy = .unbounded
    ) -> Subscription {
        let subscription = Subscription(registry: core.pubsub, bufferingPolicy: bufferingPolicy)
        subscription.subscribe(shardChannels: shardChannels)
        return subscription
    }

    /// SPUBLISH: sends `message` to every subscriber of shard channel `channel`.
    /// - Returns: how many subscribers it reached.
    @discardableResult
    public func spublish(_ shardChannel: ByteString, _ message: ByteString) -> Int {
        core.pubsub.publishToShard(shardChannel, message)
    }

    /// PUBLISH: sends `message` to every subscriber of `channel` and of the patterns that
    /// match it.
    /// - Returns: how many receivers it reached (a subscriber listening by channel and by
    ///   a matching pattern counts twice, as in Redis).
    /// - Complexity: O(N+M): N subscribers of the channel, M subscribed patterns.
    @discardableResult
    public func publish(_ channel: ByteString, _ message: ByteString) -> Int {
        core.pubsub.publish(channel, message)
    }
}
