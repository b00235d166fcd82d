import Synchronization

/// Which blocking-query thread is current for each `ConsulQuery`. Each thread holds the
/// ticket it was started with and exits (without waking anyone) once its query is no
/// longer wanted, at its next look-up: a SIGHUP or a changed catalog retires only the
/// threads whose query went away, and a query still wanted keeps its thread and index.
final class BlockingQueryTickets: Sendable {
    private struct State {
        var current: [ConsulQuery: UInt64] = [:]
        var nextTicket: UInt64 = 1
    }

    private let state = Mutex(State())

    /// Makes `wanted` the current set: queries no longer wanted are retired, and each new
    /// one gets a ticket, returned for the caller to start its thread with.
    func update(wanted: Set<ConsulQuery>) -> [(query: ConsulQuery, ticket: UInt64)] {
        state.withLock { state in
            state.current = state.current.filter { wanted.contains($0.key) }
            var started: [(query: ConsulQuery, ticket: UInt64)] = []
            for query in wanted where state.current[query] == nil {
                state.current[query] = state.nextTicket
                started.append((query, state.nextTicket))
                state.nextTicket += 1
            }
            return started
        }
    }

    /// Whether the thread holding `ticket` for `query` should go on.
    func isCurrent(_ query: ConsulQuery, ticket: UInt64) -> Bool {
        state.withLock { $0.current[query] == ticket }
    }

    /// The queries with a current thread.
    var queries: Set<ConsulQuery> {
        state.withLock { Set($0.current.keys) }
    }

    /// Retires every thread.
    func retireAll() {
        state.withLock { $0.current.removeAll() }
    }
}
