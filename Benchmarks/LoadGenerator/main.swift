import Platform

#if canImport(Glibc)
    import Glibc
#endif

/// roost-bench: a closed-loop load generator for etcd's v3 JSON gateway, so the same
/// binary measures etcd and Roost, plus two Consul API modes for service discovery. See
/// Benchmarks/compare.sh, Benchmarks/discovery.sh and docs/benchmarks.md.
func runBench() -> Int32 {
    let options: BenchOptions
    do {
        options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    } catch {
        print(error)
        return 2
    }
    do {
        if options.mode == .ready {
            let result = try ReadyProbe.run(options)
            if options.json {
                print(
                    #"{"mode":"ready","health_ms":\#(result.healthMilliseconds),"#
                        + #""read_ms":\#(result.readMilliseconds)}"#)
            } else {
                print(
                    "ready: /health after \(result.healthMilliseconds) ms, "
                        + "last key read after \(result.readMilliseconds) ms")
            }
            return 0
        }
        // A thousand parked queries are a thousand descriptors (often above the soft limit).
        DescriptorLimit.raiseToHardLimit()
        switch options.mode {
        case .ttlServices:
            let report = try TTLServicesRun.run(options)
            print(options.json ? report.json() : report.text())
            return report.heartbeats.requests.succeeded > 0 ? 0 : 1
        case .blockingWakeup:
            let report = try WakeupRun.run(options)
            print(options.json ? report.json() : report.text())
            return report.woke > 0 ? 0 : 1
        default:
            let report = try LoadRun.run(options)
            print(options.json ? report.json() : report.text())
            return report.stats.succeeded > 0 ? 0 : 1
        }
    } catch {
        let text = Array("roost-bench: \(error)\n".utf8)
        _ = text.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        return 1
    }
}

exit(runBench())
