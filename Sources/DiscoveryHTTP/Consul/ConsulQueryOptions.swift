import Platform
import ServiceCatalog

/// The query parameters every blocking-capable Consul read takes (reference/consul.md §2).
struct ConsulQueryOptions: Sendable, Equatable {
    enum Consistency: String, Sendable {
        case `default` = "leader"
        case consistent
        case stale
    }

    /// Consul's `default_query_time`: a blocking query without `wait` waits this long.
    static let waitDefaultNanoseconds: UInt64 = 300_000_000_000
    /// Consul's `max_query_time`: longer waits are clamped to it.
    static let waitMaxNanoseconds: UInt64 = 600_000_000_000
    /// Up to wait/16 is added so that many clients started together spread out
    /// (`structs.JitterFraction`).
    static let jitterFraction: UInt64 = 16

    /// 0: answer at once.
    var index: Int64 = 0
    var waitNanoseconds: UInt64 = waitDefaultNanoseconds
    var consistency: Consistency = .default

    static func parse(_ request: HTTPRequest) throws(ConsulError) -> ConsulQueryOptions {
        var options = ConsulQueryOptions()
        if let text = request.queryValue("index") {
            guard let index = UInt64(text) else { throw .badRequest("Invalid index") }
            options.index = Int64(clamping: index)
        }
        if let text = request.queryValue("wait") {
            let nanoseconds: Int64
            do {
                nanoseconds = try GoDuration.parseNanoseconds(text)
            } catch {
                throw .badRequest("Invalid wait time")
            }
            if nanoseconds > 0 {
                options.waitNanoseconds = min(UInt64(nanoseconds), waitMaxNanoseconds)
            }
        }
        let stale = request.queryValue("stale") != nil
        let consistent = request.queryValue("consistent") != nil
        if stale && consistent {
            throw .badRequest("Cannot specify ?stale with ?consistent, conflicting semantics.")
        }
        options.consistency = stale ? .stale : consistent ? .consistent : .default
        return options
    }

    /// The wait with its jitter, from a random value the caller supplies.
    func jitteredWait(random: UInt64) -> UInt64 {
        let spread = waitNanoseconds / ConsulQueryOptions.jitterFraction
        return waitNanoseconds + (spread == 0 ? 0 : random % spread)
    }
}
