extension StoreError {
    /// The stream commands' messages, apart from ``message``'s switch: every error pays for
    /// that switch's stack frame, and scripts call it on small stacks.
    @inline(never)
    var streamMessage: String {
        switch self {
        case .streamInvalidID: return "ERR Invalid stream ID specified as stream command argument"
        case .streamIDNotGreaterThanZero: return "ERR The ID specified in XADD must be greater than 0-0"
        case .streamIDTooSmall: return "ERR The ID specified in XADD is equal or smaller than the target stream top item"
        case .streamExhausted: return "ERR The stream has exhausted the last possible ID, unable to add more items"
        case .streamMaxlenNegative: return "ERR The MAXLEN argument must be >= 0."
        case .streamLimitNegative: return "ERR The LIMIT argument must be >= 0."
        case .streamMaxlenAndMinid: return "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
        case .streamLimitWithoutApproximation: return "ERR syntax error, LIMIT cannot be used without the special ~ option"
        case .streamInvalidStartInterval: return "ERR invalid start ID for the interval"
        case .streamInvalidEndInterval: return "ERR invalid end ID for the interval"
        case .streamSetIDBelowTop: return "ERR The ID specified in XSETID is smaller than the target stream top item"
        case .streamSetIDBelowMaxDeleted: return "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
        case .streamEntriesAddedBelowLength: return "ERR The entries_added specified in XSETID is smaller than the target stream length"
        case .streamEntriesAddedNegative: return "ERR entries_added must be positive"
        case .streamXreadUnbalanced: return "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."
        case .streamXreadGreaterThanID: return "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."
        case .streamTimeoutNotInteger: return "ERR timeout is not an integer or out of range"
        case .streamLimitWithoutStrategy: return "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
        case .streamGroupKeyRequired: return "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."
        case .busyGroup: return "BUSYGROUP Consumer Group name already exists"
        case .streamEntriesReadInvalid: return "ERR value for ENTRIESREAD must be positive or -1"
        case .xreadgroupDollarID: return "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."
        case .xreadgroupMissingGroup: return "ERR Missing GROUP option for XREADGROUP"
        case .xreadNoAck: return "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead."
        case .xclaimInvalidMinIdle: return "ERR Invalid min-idle-time argument for XCLAIM"
        case .xclaimInvalidIdle: return "ERR Invalid IDLE option argument for XCLAIM"
        case .xclaimInvalidTime: return "ERR Invalid TIME option argument for XCLAIM"
        case .xclaimInvalidRetryCount: return "ERR Invalid RETRYCOUNT option argument for XCLAIM"
        case .xautoclaimInvalidMinIdle: return "ERR Invalid min-idle-time argument for XAUTOCLAIM"
        case .xautoclaimCountNotPositive: return "ERR COUNT must be > 0"
        case .noGroupForKey(let group, let key): return "NOGROUP No such consumer group '\(group)' for key name '\(key)'"
        case .noGroupInRead(let key, let group): return "NOGROUP No such key '\(key)' or consumer group '\(group)' in XREADGROUP with GROUP option"
        case .noGroup(let key, let group): return "NOGROUP No such key '\(key)' or consumer group '\(group)'"
        case .xclaimUnrecognizedOption(let option): return "ERR Unrecognized XCLAIM option '\(option)'"
        case .xreadGroupOption: return "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead."
        // Only ``message`` calls this, and only for the cases above.
        default: return ""
        }
    }
}
