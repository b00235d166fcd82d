/// The measured part of a run, in monotonic nanoseconds: requests sent before
/// `startNanoseconds` (the warmup) or answered after `endNanoseconds` are not counted.
struct MeasureWindow: Sendable {
    var startNanoseconds: UInt64
    var endNanoseconds: UInt64

    func contains(sentAt sent: UInt64, answeredAt answered: UInt64) -> Bool {
        sent >= startNanoseconds && answered <= endNanoseconds
    }

    var seconds: Double { Double(endNanoseconds - startNanoseconds) / 1e9 }
}
