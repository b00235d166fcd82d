import Platform
import RoostClient

extension Arguments {
    /// A positive duration flag in Go's syntax (`10s`, `1m30s`, `500ms`), as Consul reads
    /// every duration, in nanoseconds; nil when the flag was not given.
    func durationNanoseconds(_ name: String) throws(ClientError) -> Int64? {
        guard let text = options[name] else { return nil }
        let nanoseconds: Int64
        do {
            nanoseconds = try GoDuration.parseNanoseconds(text)
        } catch {
            throw .usage("--\(name) needs a duration like 10s or 1m30s, got '\(text)'")
        }
        guard nanoseconds > 0 else {
            throw .usage("--\(name) needs a positive duration, got '\(text)'")
        }
        return nanoseconds
    }
}
