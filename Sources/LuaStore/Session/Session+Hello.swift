import LuaStoreCore

extension Session {
    /// HELLO [protover [AUTH username password] [SETNAME clientname]], as Redis's
    /// `helloCommand`: switches the session's protocol and answers with the connection's
    /// context, a map in RESP3 and a flat array in RESP2. `id` is the session's;
    /// `version` is the Redis version the store reports (INFO's `redis_version`). The only
    /// user is `default`, with no password (any password passes, as Redis's `nopass`).
    func hello(_ argv: [ByteString]) -> Reply {
        var version: RESPVersion? = nil
        if argv.count >= 2 {
            guard let requested = try? argv[1].integerArgument() else { return StoreError.protocolVersionNotInteger.reply }
            switch requested {
            case 2: version = .resp2
            case 3: version = .resp3
            default: return StoreError.noProtocol.reply
            }
        }
        var newName: ByteString? = nil
        var username: ByteString? = nil
        var j = 2
        while j < argv.count {
            let more = argv.count - 1 - j
            let option = argv[j].asciiLowercased()
            if option == "auth" && more >= 2 {
                username = argv[j + 1]
                j += 3
            } else if option == "setname" && more >= 1 {
                newName = argv[j + 1]
                j += 2
            } else {
                return StoreError.helloSyntax(option: argv[j].string).reply
            }
        }
        if let username, username != "default" { return StoreError.wrongPass.reply }
        if let newName {
            guard newName.bytes.allSatisfy({ (0x21...0x7e).contains($0) }) else { return StoreError.invalidClientName.reply }
            name = newName.isEmpty ? nil : newName
        }
        if let version { protocolVersion = version }
        let context: [Reply.MapEntry] = [
            .init(key: .bulk("server"), value: .bulk("redis")),
            .init(key: .bulk("version"), value: .bulk(ByteString(core.scripts.configuration.redisVersion))),
            .init(key: .bulk("proto"), value: .integer(protocolVersion == .resp3 ? 3 : 2)),
            .init(key: .bulk("id"), value: .integer(id)),
            .init(key: .bulk("mode"), value: .bulk("standalone")),
            .init(key: .bulk("role"), value: .bulk("master")),
            .init(key: .bulk("modules"), value: .array([])),
        ]
        return protocolVersion == .resp3 ? .map(context) : .array(context.flatMap { [$0.key, $0.value] })
    }
}
