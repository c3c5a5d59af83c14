import LuaStoreCore

/// The options of XADD and XTRIM, read as `streamParseAddOrTrimArgsOrReply` reads them.
struct StreamAddTrimArguments {
    var trim: StreamTrim?
    var createStream = true
    /// XADD's ID and its position in argv (`argv.count` when none was found).
    var id: XAddID = .auto
    var idIndex: Int

    /// Parses from argv[2]; for XADD it stops at the ID.
    init(_ argv: [ByteString], xadd: Bool) throws(StoreError) {
        var strategy: StreamTrim.Strategy?
        var approximate = false
        var limit: Int?
        var i = 2
        idIndex = argv.count
        while i < argv.count {
            let more = argv.count - 1 - i
            let option = argv[i]
            if xadd && option == "*" {
                id = .auto
                idIndex = i
                break
            } else if (option.isOption("MAXLEN") || option.isOption("MINID")) && more > 0 {
                if strategy != nil { throw .streamMaxlenAndMinid }
                approximate = false
                let next = argv[i + 1]
                if more >= 2 && next == "~" {
                    approximate = true
                    i += 1
                } else if more >= 2 && next == "=" {
                    i += 1
                }
                if option.isOption("MAXLEN") {
                    guard let maxLength = argv[i + 1].int64Value else { throw .notInteger }
                    if maxLength < 0 { throw .streamMaxlenNegative }
                    strategy = .maxLength(Int(maxLength))
                } else {
                    strategy = .minID(try StreamIDArgument.strict(argv[i + 1]))
                }
                i += 1
            } else if option.isOption("LIMIT") && more > 0 {
                guard let given = argv[i + 1].int64Value else { throw .notInteger }
                if given < 0 { throw .streamLimitNegative }
                limit = Int(given)
                i += 1
            } else if xadd && option.isOption("NOMKSTREAM") {
                createStream = false
            } else if xadd {
                let parsed = try StreamIDArgument.parse(option, strict: true, allowAutoSequence: true)
                id = parsed.sequenceGiven ? .explicit(parsed.id) : .autoSequence(ms: parsed.id.ms)
                idIndex = i
                break
            } else {
                throw .syntax
            }
            i += 1
        }
        if limit != nil {
            if strategy == nil { throw .streamLimitWithoutStrategy }
            if !approximate { throw .streamLimitWithoutApproximation }
        }
        trim = strategy.map { StreamTrim($0, approximate: approximate, limit: limit) }
    }
}

/// XREAD's and XREADGROUP's options, read as `xreadCommand` reads them. For XREADGROUP a
/// start of ``XReadStart/lastID`` is `>` (entries never delivered to the group).
struct StreamReadArguments {
    /// The BLOCK timeout in milliseconds, nil without BLOCK.
    var block: Int64?
    var count: Int?
    var group: (name: ByteString, consumer: ByteString)?
    var noAck = false
    var keys: [ByteString] = []
    var starts: [Result<XReadStart, StoreError>] = []

    init(_ argv: [ByteString], group isGroupRead: Bool = false) throws(StoreError) {
        var streamsIndex = 0
        var i = 1
        while i < argv.count {
            let more = argv.count - 1 - i
            let option = argv[i]
            if option.isOption("BLOCK") && more > 0 {
                i += 1
                guard let timeout = argv[i].int64Value else { throw .streamTimeoutNotInteger }
                if timeout < 0 { throw .timeoutNegative }
                block = timeout
            } else if option.isOption("COUNT") && more > 0 {
                i += 1
                guard let given = argv[i].int64Value else { throw .notInteger }
                count = given > 0 ? Int(given) : nil
            } else if option.isOption("STREAMS") && more > 0 {
                streamsIndex = i + 1
                if (argv.count - streamsIndex) % 2 != 0 { throw .streamXreadUnbalanced }
                break
            } else if option.isOption("GROUP") && more >= 2 {
                guard isGroupRead else { throw .xreadGroupOption }
                group = (argv[i + 1], argv[i + 2])
                i += 2
            } else if option.isOption("NOACK") {
                guard isGroupRead else { throw .xreadNoAck }
                noAck = true
            } else {
                throw .syntax
            }
            i += 1
        }
        guard streamsIndex > 0 else { throw .syntax }
        if isGroupRead && group == nil { throw .xreadgroupMissingGroup }
        let half = (argv.count - streamsIndex) / 2
        keys = Array(argv[streamsIndex..<(streamsIndex + half)])
        starts = argv[(streamsIndex + half)...].map { argument in
            if argument == "$" { return isGroupRead ? .failure(.xreadgroupDollarID) : .success(.lastID) }
            if argument == ">" { return isGroupRead ? .success(.lastID) : .failure(.streamXreadGreaterThanID) }
            do throws(StoreError) { return .success(.after(try StreamIDArgument.strict(argument))) } catch { return .failure(error) }
        }
    }
}
