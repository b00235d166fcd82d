#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lexicographic byte-string order, the order of etcd's key index (`bytes.Compare`).
enum ByteOrder {
    /// Negative, zero or positive as `a` sorts before, equal to or after `b`.
    @inline(__always)
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                let common = min(pa.count, pb.count)
                if common > 0, let baseA = pa.baseAddress, let baseB = pb.baseAddress {
                    let result = memcmp(baseA, baseB, common)
                    if result != 0 { return Int(result) }
                }
                return pa.count - pb.count
            }
        }
    }

    @inline(__always)
    static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        compare(a, b) < 0
    }
}
