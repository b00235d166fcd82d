#if canImport(Glibc)
    import Glibc
#endif

/// CPU time used so far, in seconds: this process (getrusage) or another one by pid
/// (`/proc/<pid>/stat` utime + stime, proc(5)). Compared across the measured window to
/// show whether the generator or the server ran out of cores.
enum ProcessCPU {
    /// /proc/<pid>/stat is one line of a few hundred bytes.
    static let statBytesMax = 4_096

    static func selfSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private static func seconds(_ value: timeval) -> Double {
        Double(value.tv_sec) + Double(value.tv_usec) / 1e6
    }

    /// nil when the process is gone or its stat line cannot be read.
    static func seconds(pid: Int32) -> Double? {
        guard let bytes = ProcFile.read("/proc/\(pid)/stat", bytesMax: statBytesMax) else {
            return nil
        }
        // The command name (field 2) may hold spaces: fields are counted after its ')'.
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " "))
        // Fields 14 and 15 (utime, stime) are the 12th and 13th after the name.
        guard fields.count > 12,
            let user = Double(String(decoding: fields[11], as: UTF8.self)),
            let system = Double(String(decoding: fields[12], as: UTF8.self))
        else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPU seconds the whole machine spent running processes so far (/proc/stat "cpu"
    /// line: user + nice + system + steal, proc(5)). Interrupt time is left out: loopback
    /// traffic of the benchmark itself is handled there. Minus the generator's and the
    /// server's own time, this is what other processes took (or the hypervisor stole).
    static func machineBusySeconds() -> Double? {
        let fd = open("/proc/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: statBytesMax)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, statBytesMax) }
        guard count > 0, let newline = buffer[..<count].firstIndex(of: 0x0A) else { return nil }
        let fields = buffer[..<newline].split(separator: UInt8(ascii: " ")).dropFirst()
            .compactMap { Double(String(decoding: $0, as: UTF8.self)) }
        // user nice system idle iowait irq softirq steal guest guest_nice
        guard fields.count >= 8 else { return nil }
        let busy = fields[0] + fields[1] + fields[2] + fields[7]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
