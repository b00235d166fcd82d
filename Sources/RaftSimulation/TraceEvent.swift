import Linearizability
import Raft

/// One thing that happened in a run, kept as values (cheap) and formatted only when a
/// violation is printed.
public struct TraceEvent: Sendable, Equatable, CustomStringConvertible {
    public enum What: Sendable, Equatable {
        /// A Raft message reached its destination and was stepped.
        case deliver(from: UInt64, to: UInt64, kind: Message.Kind, term: UInt64, index: UInt64,
                     entryCount: Int, commit: UInt64, reject: Bool)
        /// A Raft message was lost; `reason` says why.
        case drop(from: UInt64, to: UInt64, kind: Message.Kind, reason: DropReason)
        /// A node stopped; `keptEntries`/`writtenEntries` describe a torn last write.
        case crash(node: UInt64, midWrite: Bool, keptEntries: Int, writtenEntries: Int)
        /// A node started again from its durable state.
        case restart(node: UInt64, term: UInt64, vote: UInt64, lastIndex: UInt64, commit: UInt64)
        /// A node's role or leader changed.
        case role(node: UInt64, term: UInt64, role: RaftRole, lead: UInt64)
        /// A node applied a committed entry.
        case apply(node: UInt64, index: UInt64, term: UInt64, entry: AppliedEntry)
        /// A node served a linearizable read at `readIndex`.
        case read(node: UInt64, client: Int, seq: UInt64, readIndex: UInt64)
        /// A client started, finished or gave up on an operation.
        case client(client: Int, seq: UInt64, text: String)
        /// The schedule changed the network, membership or leadership.
        case schedule(text: String)
    }

    /// What an applied entry was.
    public enum AppliedEntry: Sendable, Equatable, CustomStringConvertible {
        case noop
        case configurationChange(ConfChange)
        /// `ignored`: a leftover of a request its client had already given up on.
        case command(client: Int, seq: UInt64, input: KVInput, ignored: Bool)

        public var description: String {
            switch self {
            case .noop:
                return "no-op"
            case .configurationChange(let change):
                return "conf \(change.kind) \(change.nodeID)"
            case let .command(client, seq, input, ignored):
                let note = ignored ? " (stale duplicate, ignored)" : ""
                return "c\(client)#\(seq) \(KVModel().describe(input, nil))\(note)"
            }
        }
    }

    public enum DropReason: String, Sendable, Equatable {
        case loss, partition, nodeDown, overflow
    }

    public var tick: UInt64
    public var what: What

    public var description: String {
        "t=\(tick) " + text
    }

    private var text: String {
        switch what {
        case let .deliver(from, to, kind, term, index, entryCount, commit, reject):
            let rejected = reject ? " REJECT" : ""
            return "deliver \(from)->\(to) \(kind) term=\(term) index=\(index) "
                + "entries=\(entryCount) commit=\(commit)\(rejected)"
        case let .drop(from, to, kind, reason):
            return "drop \(from)->\(to) \(kind) (\(reason.rawValue))"
        case let .crash(node, midWrite, kept, written):
            let how = midWrite ? " mid-write, kept \(kept) of \(written) entries" : ""
            return "CRASH node \(node)\(how)"
        case let .restart(node, term, vote, lastIndex, commit):
            return "RESTART node \(node) term=\(term) vote=\(vote) last=\(lastIndex) "
                + "commit=\(commit)"
        case let .role(node, term, role, lead):
            return "node \(node) is \(role) term=\(term) lead=\(lead)"
        case let .apply(node, index, term, entry):
            return "node \(node) applies \(index)@\(term) \(entry)"
        case let .read(node, client, seq, readIndex):
            return "node \(node) serves read c\(client)#\(seq) at readIndex \(readIndex)"
        case let .client(client, seq, text):
            return "client c\(client)#\(seq) \(text)"
        case let .schedule(text):
            return "SCHEDULE \(text)"
        }
    }
}
