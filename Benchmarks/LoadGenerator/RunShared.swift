import Platform
import Synchronization

/// What every event loop thread of one run reads: the options, the request material and
/// the few counters they share (request tickets, watchers created).
final class RunShared: Sendable {
    let options: BenchOptions
    let keys: KeyFormat
    let host: String
    /// The value of every put: printable bytes, fixed for the run (etcd's benchmark also
    /// sends one value throughout).
    let value: [UInt8]
    /// Requests that may be sent in all, for `--total` and fill runs; nil = until the
    /// window ends.
    let ticketLimit: Int?
    private let ticketsTaken = Atomic<Int>(0)
    let watchersCreated = Atomic<Int>(0)

    init(options: BenchOptions) {
        self.options = options
        keys = KeyFormat(keys: options.keys)
        host = options.endpoint.description
        var generator = SeededGenerator(seed: options.seed)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
        value = (0..<options.valueBytes).map { _ in
            alphabet[Int(generator.next() % UInt64(alphabet.count))]
        }
        switch options.mode {
        case .fill: ticketLimit = (options.keys + options.batch - 1) / options.batch
        default: ticketLimit = options.total
        }
    }

    /// The next request number, or nil when the run has sent all it may.
    func takeTicket() -> Int? {
        let ticket = ticketsTaken.wrappingAdd(1, ordering: .relaxed).oldValue
        guard let ticketLimit else { return ticket }
        return ticket < ticketLimit ? ticket : nil
    }
}
