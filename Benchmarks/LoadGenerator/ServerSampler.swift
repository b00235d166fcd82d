import Platform

/// CPU time of the generator, the server and the whole machine at one moment, and the
/// server's memory, for the edges of a measured window (see `ProcessCPU`).
struct ServerSampler {
    struct CPU {
        var clientSeconds: Double
        var serverSeconds: Double?
        var machineSeconds: Double?

        static func now(serverPID: Int32?) -> CPU {
            CPU(
                clientSeconds: ProcessCPU.selfSeconds(),
                serverSeconds: serverPID.flatMap { ProcessCPU.seconds(pid: $0) },
                machineSeconds: ProcessCPU.machineBusySeconds())
        }

        /// What each used between `start` and this sample.
        func since(_ start: CPU) -> CPU {
            var spent = CPU(clientSeconds: clientSeconds - start.clientSeconds)
            if let serverSeconds, let before = start.serverSeconds {
                spent.serverSeconds = serverSeconds - before
            }
            if let machineSeconds, let before = start.machineSeconds {
                spent.machineSeconds = machineSeconds - before
            }
            return spent
        }

        /// The machine's busy time not spent by the generator or the server.
        var otherSeconds: Double? {
            machineSeconds.map { max(0, $0 - clientSeconds - (serverSeconds ?? 0)) }
        }

        init(clientSeconds: Double, serverSeconds: Double? = nil, machineSeconds: Double? = nil) {
            self.clientSeconds = clientSeconds
            self.serverSeconds = serverSeconds
            self.machineSeconds = machineSeconds
        }
    }

    /// The server's resident memory over a window, in KiB: first, last and highest
    /// sample, and the kernel's peak (`VmHWM`) at the last one.
    struct Memory: Sendable {
        var firstKiB = 0
        var lastKiB = 0
        var maxKiB = 0
        var peakKiB = 0
        var samples = 0

        mutating func add(_ sample: ProcessMemory.Sample) {
            if samples == 0 { firstKiB = sample.residentKiB }
            samples += 1
            lastKiB = sample.residentKiB
            maxKiB = max(maxKiB, sample.residentKiB)
            peakKiB = sample.peakResidentKiB
        }
    }
}
