import LuaStoreCore

/// PUBLISH, SPUBLISH and PUBSUB (Redis's pubsub.c) over the store's subscriptions. SUBSCRIBE and its
/// kin need a connection that receives pushes; in-process, a subscriber is a
/// ``LuaStore/Subscription`` (``LuaStore/subscribe(_:patterns:bufferingPolicy:)``), so
/// through `execute` they are unknown commands, and in scripts Redis refuses them too.
enum PubSubFamily {
    static let commands: [CommandSpec] = [
        CommandSpec("publish", arity: 3, flags: [.pubsub, .loading, .stale, .fast], handler: publish),
        CommandSpec("spublish", arity: 3, flags: [.pubsub, .loading, .stale, .fast], keys: [.range(1, [.notKey])], handler: { ctx, argv throws(StoreError) in
            .integer(Int64(ctx.core.pubsub.publishToShard(argv[1], argv[2]))) }),
        CommandSpec(container: "pubsub", arity: -2, subcommands: [
            CommandSpec("pubsub|channels", arity: -2, flags: [.pubsub, .loading, .stale], handler: channels),
            CommandSpec("pubsub|numpat", arity: 2, flags: [.pubsub, .loading, .stale], handler: { ctx, _ throws(StoreError) in
                .integer(Int64(ctx.core.pubsub.patternCount)) }),
            CommandSpec("pubsub|numsub", arity: -2, flags: [.pubsub, .loading, .stale], handler: numsub),
            CommandSpec("pubsub|shardchannels", arity: -2, flags: [.pubsub, .loading, .stale], handler: shardChannels),
            CommandSpec("pubsub|shardnumsub", arity: -2, flags: [.pubsub, .loading, .stale], handler: numsub),
            CommandSpec("pubsub|help", arity: 2, flags: [.loading, .stale], handler: { _, _ throws(StoreError) in
                .array(help.map { .status($0) }) }),
        ]),
    ]

    /// PUBLISH channel message — O(N+M)
    static func publish(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        .integer(Int64(ctx.core.pubsub.publish(argv[1], argv[2])))
    }

    /// PUBSUB CHANNELS [pattern] — O(N) in the active channels.
    static func channels(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count <= 3 else { throw .subcommandSyntax(command: "pubsub", subcommand: argv[1].string) }
        return .array(ctx.core.pubsub.channels(matching: argv.count == 3 ? argv[2] : nil).map { .bulk($0) })
    }

    /// PUBSUB SHARDCHANNELS [pattern]: shard channels with subscribers (SSUBSCRIBE's).
    static func shardChannels(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        guard argv.count <= 3 else { throw .subcommandSyntax(command: "pubsub", subcommand: argv[1].string) }
        return .array(ctx.core.pubsub.channels(matching: argv.count == 3 ? argv[2] : nil, shard: true).map { .bulk($0) })
    }

    /// PUBSUB NUMSUB [channel ...] and SHARDNUMSUB [shardchannel ...]: channel, count
    /// pairs, a flat array in RESP2 and RESP3 alike, as Redis 7.0 sends them.
    static func numsub(_ ctx: borrowing CommandContext, _ argv: [ByteString]) throws(StoreError) -> Reply {
        let channels = Array(argv.dropFirst(2))
        let shard = argv[1].asciiLowercased() == "shardnumsub"
        let counts = ctx.core.pubsub.subscriberCounts(channels, shard: shard)
        var reply: [Reply] = []
        reply.reserveCapacity(channels.count * 2)
        for (channel, count) in zip(channels, counts) {
            reply.append(.bulk(channel))
            reply.append(.integer(Int64(count)))
        }
        return .array(reply)
    }

    static let help = [
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    ]
}
