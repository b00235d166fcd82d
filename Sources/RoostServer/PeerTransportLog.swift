import Foundation
import Platform
import Synchronization

/// Where the peer transport's log lines go in a server: standard error, so an operator
/// sees refusals and authentication failures ("the peer secrets differ") without a flag.
/// A peer that keeps failing repeats the same line on every redial (up to twice a second
/// per stream), so a line whose text, digits aside, was written within `repeatNanoseconds`
/// is dropped.
final class PeerTransportLog: Sendable {
    /// How long an identical line is suppressed.
    static let repeatNanoseconds: UInt64 = 30_000_000_000
    /// Distinct lines remembered; beyond it the memory is cleared (a line may then repeat
    /// early, which is harmless).
    static let linesRememberedMax = 256

    private let clock = MonotonicClock()
    private let lastWritten = Mutex<[String: UInt64]>([:])

    func write(_ line: String) {
        let key = String(line.unicodeScalars.filter { !("0"..."9").contains($0) })
        let now = clock.nowNanoseconds()
        let fresh = lastWritten.withLock { seen -> Bool in
            if let last = seen[key], now &- last < Self.repeatNanoseconds { return false }
            if seen.count >= Self.linesRememberedMax { seen.removeAll() }
            seen[key] = now
            return true
        }
        guard fresh else { return }
        FileHandle.standardError.write(Data("roost: \(line)\n".utf8))
    }
}
