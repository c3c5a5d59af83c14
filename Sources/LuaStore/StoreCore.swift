import LuaStoreCore
import LuaStoreScripting

/// The parts every command and API call shares: the keyspace, the command table, the
/// configuration.
///
/// # Thread safety
/// Thread-safe: immutable references to thread-safe parts.
final class StoreCore: Sendable {
    let configuration: LuaStore.Configuration
    let keyspace: Keyspace
    let commands: CommandTable
    let scripts: ScriptEngine
    let settings: SettingsCell
    /// getOrSet's computations in progress.
    let flights = SingleFlight()
    /// Channel and pattern subscriptions (PUBLISH, ``LuaStore/subscribe(_:patterns:bufferingPolicy:)``,
    /// keyspace notifications).
    var pubsub: PubSubRegistry { keyspace.events.registry }

    init(configuration: LuaStore.Configuration) {
        self.configuration = configuration
        keyspace = Keyspace(shardCount: configuration.shardCount, clock: configuration.clock)
        scripts = ScriptEngine(configuration: configuration.scripting)
        settings = SettingsCell(configuration.settings) { [keyspace] in
            keyspace.configure($0)
            keyspace.configureEvents($0.keyspaceEvents)
        }
        commands = CommandTable([
            StringFamily.commands,
            StringFamily.lcsCommands,
            KeyFamily.commands,
            ServerFamily.commands,
            [ConfigFamily.config],
            ListFamily.commands,
            SetFamily.commands,
            SortedSetFamily.commands,
            HashFamily.commands,
            BitmapFamily.commands,
            HyperLogLogFamily.commands,
            SortFamily.commands,
            GeoFamily.commands,
            StreamFamily.commands,
            StreamFamily.groupCommands,
            ScriptFamily.commands,
            PubSubFamily.commands,
            IntrospectionFamily.commands,
            InfoFamily.commands,
            TransactionFamily.commands,
        ])
    }
}
