import Platform
import RoostClient

#if canImport(Glibc)
    import Glibc
#endif

/// The loop of `roost check heartbeat`: passes a TTL check now and then every interval
/// until SIGINT or SIGTERM, like a sidecar next to a service that has no Consul client.
struct CheckHeartbeat {
    /// Longest a single update may wait for the server: a beat stuck longer than this
    /// would delay the next one (and a signal) past any short TTL.
    static let beatTimeoutMillisecondsMax = 10_000
    /// Shortest read timeout of a beat, so a fast interval does not time out slow answers.
    static let beatTimeoutMillisecondsMin = 1_000

    let checkID: String
    let note: String
    let intervalNanoseconds: Int64
    let context: ClientContext

    /// Beats are spaced from each beat's start, so a slow answer does not stretch the
    /// period. Errors that retrying can cure (no server, no leader, overload) are reported
    /// and retried at the next beat; others (unknown check, not a TTL check) end the loop.
    func run() throws(ClientError) -> Int32 {
        // Signals are blocked and read from a signalfd: one arriving during an update
        // waits for it to finish, then ends the wait below at once.
        let signals: SignalWatcher
        do {
            signals = try SignalWatcher(signals: [SIGINT, SIGTERM])
        } catch {
            FileOutput.standardError.write("roost: cannot watch for signals: \(error)\n")
            return 1
        }
        let intervalMilliseconds = Int(intervalNanoseconds / 1_000_000)
        let client = EtcdClient(
            endpoints: context.client.endpoints,
            timeoutMilliseconds: min(
                max(intervalMilliseconds, Self.beatTimeoutMillisecondsMin),
                Self.beatTimeoutMillisecondsMax))
        let clock = MonotonicClock()
        var nextBeat = clock.nowNanoseconds()
        var healthy = false
        while true {
            healthy = try beat(client, wasHealthy: healthy)
            nextBeat += UInt64(intervalNanoseconds)
            let now = clock.nowNanoseconds()
            let waitNanoseconds = nextBeat > now ? nextBeat - now : 0
            if waitNanoseconds == 0 { nextBeat = now }
            // Rounded up, so the wait never ends just before the beat is due.
            let waitMilliseconds = Int32((waitNanoseconds + 999_999) / 1_000_000)
            if signals.wait(timeoutMilliseconds: waitMilliseconds) != nil { return 0 }
        }
    }

    /// One update; whether it succeeded. A line is printed when the check is first passed
    /// and after each recovery, not at every beat: a sidecar runs for days.
    private func beat(_ client: EtcdClient, wasHealthy: Bool) throws(ClientError) -> Bool {
        do {
            try client.updateTTLCheck(checkID, .passing, note: note)
        } catch {
            guard CheckHeartbeat.isTransient(error) else { throw error }
            FileOutput.standardError.write("roost: \(error); retrying\n")
            return false
        }
        if !wasHealthy && !context.json {
            FileOutput.standardOutput.write("check \(checkID) passing\n")
        }
        return true
    }

    /// Whether a later beat may succeed where this one failed.
    static func isTransient(_ error: ClientError) -> Bool {
        switch error {
        case .unreachable:
            return true
        case .server(let status, _, let message):
            // Consul answers 500 for a check without a TTL; retrying cannot change that.
            if message.contains("does not have associated TTL") { return false }
            return status == 429 || status >= 500
        case .usage, .protocolError:
            return false
        }
    }
}
