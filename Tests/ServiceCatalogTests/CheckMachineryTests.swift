import Testing

@testable import ServiceCatalog

@Suite("Check damping and schedule")
struct CheckMachineryTests {
    let pass = CheckResult(status: .passing, output: "ok")
    let fail = CheckResult(status: .critical, output: "down")

    @Test("with no thresholds every change is reported at once, and repeats are not")
    func undamped() {
        var damping = CheckDamping(
            successBeforePassing: 0, failuresBeforeWarning: 0, failuresBeforeCritical: 0,
            reported: CheckResult(status: .critical, output: ""))
        #expect(damping.record(pass) == pass)
        #expect(damping.record(pass) == nil)
        #expect(damping.record(CheckResult(status: .passing, output: "ok2"))?.output == "ok2")
        #expect(damping.record(fail) == fail)
    }

    @Test("SuccessBeforePassing = 3 reports on the 3rd consecutive success, not the 2nd")
    func successThreshold() {
        var damping = CheckDamping(
            successBeforePassing: 3, failuresBeforeWarning: 0, failuresBeforeCritical: 0,
            reported: fail)
        #expect(damping.record(pass) == nil)
        #expect(damping.record(pass) == nil)
        #expect(damping.record(pass) == pass)
        // A failure resets the success run.
        _ = damping.record(fail)
        #expect(damping.record(pass) == nil)
    }

    @Test("FailuresBeforeCritical = 2 reports critical on the 2nd failure; a success resets")
    func failureThreshold() {
        var damping = CheckDamping(
            successBeforePassing: 0, failuresBeforeWarning: 0, failuresBeforeCritical: 2,
            reported: pass)
        #expect(damping.record(fail) == nil)
        #expect(damping.record(pass) == nil)
        #expect(damping.record(fail) == nil)
        #expect(damping.record(fail) == fail)
        #expect(damping.reported == fail)
    }

    @Test("FailuresBeforeWarning < FailuresBeforeCritical reports warning first")
    func warningThreshold() {
        var damping = CheckDamping(
            successBeforePassing: 0, failuresBeforeWarning: 1, failuresBeforeCritical: 3,
            reported: pass)
        #expect(damping.record(fail) == CheckResult(status: .warning, output: "down"))
        #expect(damping.record(fail) == nil)
        #expect(damping.record(fail) == fail)
    }

    @Test("a warning result counts as a success for the thresholds, as in Consul")
    func warningIsSuccess() {
        var damping = CheckDamping(
            successBeforePassing: 2, failuresBeforeWarning: 0, failuresBeforeCritical: 0,
            reported: fail)
        let warn = CheckResult(status: .warning, output: "slow")
        #expect(damping.record(warn) == nil)
        #expect(damping.record(pass) == pass)
    }

    @Test("interval checks are due, then out of the schedule until finished, then due again")
    func interval() throws {
        var schedule = CheckSchedule()
        let http = CheckDefinition(http: "http://x/", intervalNanoseconds: 10_000_000_000)
        try schedule.schedule(
            checkID: "h", definition: http, nowNanoseconds: 100, firstRunDelayNanoseconds: 50)
        #expect(schedule.nextDueNanoseconds() == 150)
        #expect(schedule.poll(nowNanoseconds: 149) == CheckSchedule.Due())
        #expect(schedule.poll(nowNanoseconds: 150).run == ["h"])
        #expect(schedule.poll(nowNanoseconds: 20_000_000_000).run.isEmpty)
        #expect(schedule.nextDueNanoseconds() == nil)
        schedule.finished(checkID: "h", nowNanoseconds: 1_000)
        #expect(schedule.nextDueNanoseconds() == 10_000_001_000)
        #expect(schedule.poll(nowNanoseconds: 10_000_001_000).run == ["h"])
    }

    @Test("a TTL check lapses TTL after its last update, is reported once, and re-arms on update")
    func ttl() throws {
        var schedule = CheckSchedule()
        try schedule.schedule(
            checkID: "t", definition: CheckDefinition(ttlNanoseconds: 1_000), nowNanoseconds: 0)
        schedule.ttlRefreshed(checkID: "t", nowNanoseconds: 500)
        #expect(schedule.poll(nowNanoseconds: 1_499).expired.isEmpty)
        #expect(schedule.poll(nowNanoseconds: 1_500).expired == ["t"])
        #expect(schedule.poll(nowNanoseconds: 9_999).expired.isEmpty)
        schedule.ttlRefreshed(checkID: "t", nowNanoseconds: 10_000)
        #expect(schedule.nextDueNanoseconds() == 11_000)
        #expect(CheckSchedule.ttlExpiredOutput(lastOutput: "") == "TTL expired")
        #expect(
            CheckSchedule.ttlExpiredOutput(lastOutput: "ok")
                == "TTL expired (last output before timeout follows): ok")
    }

    @Test("intervals below 1s run every 1s; unrunnable checks and removals leave the schedule")
    func minimumsAndRemoval() throws {
        var schedule = CheckSchedule()
        let tcp = CheckDefinition(tcp: "h:1", intervalNanoseconds: 10)
        try schedule.schedule(checkID: "c", definition: tcp, nowNanoseconds: 0)
        _ = schedule.poll(nowNanoseconds: 0)
        schedule.finished(checkID: "c", nowNanoseconds: 0)
        #expect(schedule.nextDueNanoseconds() == 1_000_000_000)
        try schedule.schedule(checkID: "n", definition: CheckDefinition(), nowNanoseconds: 0)
        #expect(schedule.count == 1)
        schedule.remove(checkID: "c")
        #expect(schedule.count == 0)
    }

    @Test("the schedule holds entriesMax checks and refuses one more")
    func entriesLimit() throws {
        var schedule = CheckSchedule()
        let ttl = CheckDefinition(ttlNanoseconds: 1)
        for index in 0..<CheckSchedule.entriesMax {
            try schedule.schedule(checkID: "c\(index)", definition: ttl, nowNanoseconds: 0)
        }
        #expect(schedule.count == CheckSchedule.entriesMax)
        try schedule.schedule(checkID: "c0", definition: ttl, nowNanoseconds: 5)
        #expect(throws: CatalogError.self) {
            try schedule.schedule(checkID: "extra", definition: ttl, nowNanoseconds: 0)
        }
    }

    @Test("TTL update output is bounded at outputBytesMax: at the limit kept, one more cut")
    func ttlOutputBound() {
        let limit = CheckOutput.bytesMaxDefault
        let atLimit = String(repeating: "a", count: limit)
        #expect(CheckOutput.boundedTTLOutput(atLimit, bytesMax: limit) == atLimit)
        let over = atLimit + "b"
        #expect(
            CheckOutput.boundedTTLOutput(over, bytesMax: limit)
                == atLimit + " ... (captured \(limit) of \(limit + 1) bytes)")
        // A cut never splits a UTF-8 sequence.
        #expect(CheckOutput.boundedTTLOutput("aé", bytesMax: 2) == "a ... (captured 2 of 3 bytes)")
    }

    @Test("script output keeps the last bytes and says how many were captured")
    func tailBuffer() {
        var tail = TailBuffer(capacity: 4)
        tail.append(Array("abcd".utf8))
        #expect(CheckOutput.scriptOutput(tail: tail.bytes, totalBytes: tail.totalBytes) == "abcd")
        tail.append(Array("e".utf8))
        #expect(
            CheckOutput.scriptOutput(tail: tail.bytes, totalBytes: tail.totalBytes)
                == "Captured 4 of 5 bytes\n...\nbcde")
        for _ in 0..<100 { tail.append(Array("xyz".utf8)) }
        #expect(tail.bytes == Array("zxyz".utf8))
        #expect(tail.storage.count <= 8)
    }

    @Test("OutputMaxSize is honoured up to bytesMaxLimit")
    func outputMaxSize() {
        #expect(CheckDefinition().outputBytesMax == 4096)
        #expect(CheckDefinition(outputMaxSize: 10).outputBytesMax == 10)
        #expect(CheckDefinition(outputMaxSize: 1 << 30).outputBytesMax == CheckOutput.bytesMaxLimit)
    }
}
