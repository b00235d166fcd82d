/// Why a benchmark run could not start or finish. Printed to standard error; the exit code
/// is 2 for usage errors and 1 for the rest.
enum BenchError: Error, CustomStringConvertible {
    case usage(String)
    case connect(String)
    case protocolError(String)
    case timedOut(String)

    var description: String {
        switch self {
        case .usage(let text): text
        case .connect(let text): "cannot connect: \(text)"
        case .protocolError(let text): "protocol error: \(text)"
        case .timedOut(let text): "timed out: \(text)"
        }
    }
}
