import Foundation

/// Live processes found through /proc, for tests that must show a child is gone.
enum ProcessScan {
    /// PIDs of processes one of whose arguments is exactly `argument` (a token unique to
    /// the test). Zombies have an empty command line and are never counted: a killed and
    /// reaped child is gone, a zombie waiting for a reaper no longer runs anything.
    static func pids(withArgument argument: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.contains(argument) ? pid : nil
        }
    }

    /// A `sleep` duration argument unique to one test: `seconds` plus a random fraction,
    /// so its sleepers can be told apart from every other process.
    static func uniqueSleep(seconds: Int) -> String {
        "\(seconds).\(UInt32.random(in: 100_000...999_999))"
    }
}
