import Linearizability

/// One node's replica of the key-value state: a dictionary, rebuilt from the log after every
/// restart, with a session per client (Raft thesis §6.3) so that a command retried under the
/// same (client, seq) takes effect once and answers with its first result.
struct KVStateMachine {
    private var values: [KVBytes: KVBytes] = [:]
    /// Per client: the highest seq applied and its answer. Clients are sequential, so one
    /// entry per client bounds the table by the client count.
    private var sessions: [Int: (seq: UInt64, output: KVOutput)] = [:]

    /// Applies `command`; returns its answer, or nil when it is a leftover of a request the
    /// client already gave up on (a smaller seq than one already applied).
    mutating func apply(_ command: SimCommand) -> KVOutput? {
        if let session = sessions[command.clientID] {
            if command.seq == session.seq { return session.output }
            if command.seq < session.seq { return nil }
        }
        let output: KVOutput
        switch command.input {
        case .put(let key, let value):
            values[key] = value
            output = .ok
        case .compareAndSwap(let key, let expected, let new):
            let swaps = values[key] == expected
            if swaps { values[key] = new }
            output = .swapped(swaps)
        case .delete(let key):
            values[key] = nil
            output = .ok
        case .get(let key):
            output = .value(values[key])
        }
        sessions[command.clientID] = (command.seq, output)
        return output
    }

    func value(of key: KVBytes) -> KVBytes? { values[key] }
}
