#if canImport(Glibc)
    import Glibc
#endif

/// Another process's memory from `/proc/<pid>/status` (proc(5)): resident set size now
/// (`VmRSS`) and its peak so far (`VmHWM`), in KiB.
enum ProcessMemory {
    /// /proc/<pid>/status is about 1.5 KiB.
    static let statusBytesMax = 16_384

    struct Sample: Sendable {
        var residentKiB: Int
        var peakResidentKiB: Int
    }

    /// nil when the process is gone or the fields are missing.
    static func sample(pid: Int32) -> Sample? {
        guard let bytes = ProcFile.read("/proc/\(pid)/status", bytesMax: statusBytesMax) else {
            return nil
        }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    /// Reads `VmRSS:\t  1234 kB` and `VmHWM:` lines.
    static func parse(_ status: String) -> Sample? {
        var resident: Int?
        var peak: Int?
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            switch fields[0] {
            case "VmRSS:": resident = Int(fields[1])
            case "VmHWM:": peak = Int(fields[1])
            default: break
            }
        }
        guard let resident, let peak else { return nil }
        return Sample(residentKiB: resident, peakResidentKiB: peak)
    }
}
