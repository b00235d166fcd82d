/// An HDR-like latency histogram: values in nanoseconds fall into buckets of 32 linear
/// sub-buckets per power of two, so any recorded value is known to within 1/32 (about
/// 3 %) at a fixed 64 × 32 counters, whatever the range. Mergeable across threads.
struct LatencyHistogram: Sendable {
    /// Sub-buckets per power of two: the relative precision is 1/subBucketCount.
    static let subBucketBits = 5
    static let subBucketCount = 1 << subBucketBits
    /// Values below this are counted exactly (one bucket per nanosecond).
    static let linearLimit = UInt64(subBucketCount)

    private(set) var counts = [UInt64](repeating: 0, count: 64 * subBucketCount)
    private(set) var count: UInt64 = 0
    private(set) var sumNanoseconds: UInt64 = 0
    private(set) var maxNanoseconds: UInt64 = 0
    private(set) var minNanoseconds = UInt64.max

    mutating func record(_ nanoseconds: UInt64) {
        counts[Self.bucket(of: nanoseconds)] += 1
        count += 1
        sumNanoseconds &+= nanoseconds
        maxNanoseconds = max(maxNanoseconds, nanoseconds)
        minNanoseconds = min(minNanoseconds, nanoseconds)
    }

    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        count += other.count
        sumNanoseconds &+= other.sumNanoseconds
        maxNanoseconds = max(maxNanoseconds, other.maxNanoseconds)
        minNanoseconds = min(minNanoseconds, other.minNanoseconds)
    }

    /// Bucket = (power of two above the sub-bucket range) × 32 + the next 5 bits.
    static func bucket(of value: UInt64) -> Int {
        guard value >= linearLimit else { return Int(value) }
        let exponent = 63 - value.leadingZeroBitCount - subBucketBits
        let sub = Int(value >> UInt64(exponent)) - subBucketCount
        return (exponent + 1) * subBucketCount + sub
    }

    /// The largest value a bucket holds (so percentiles never under-report).
    static func upperBound(of bucket: Int) -> UInt64 {
        guard bucket >= subBucketCount else { return UInt64(bucket) }
        let exponent = bucket / subBucketCount - 1
        let sub = UInt64(bucket % subBucketCount + subBucketCount)
        return ((sub + 1) << UInt64(exponent)) - 1
    }

    /// The value at or below which `fraction` of the recorded values lie (0 when empty);
    /// clamped to the exact maximum.
    func percentile(_ fraction: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let rank = max(1, UInt64((Double(count) * fraction).rounded(.up)))
        var seen: UInt64 = 0
        for (bucket, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank { return min(Self.upperBound(of: bucket), maxNanoseconds) }
        }
        return maxNanoseconds
    }

    var meanNanoseconds: UInt64 { count == 0 ? 0 : sumNanoseconds / count }
}
