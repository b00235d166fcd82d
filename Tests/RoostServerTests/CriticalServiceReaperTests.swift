import KVStore
import ServiceCatalog
import Testing

@testable import RoostServer

@Suite("Reaper: DeregisterCriticalServiceAfter (pure, on a clock value)")
struct CriticalServiceReaperTests {
    let minute = 60 * secondNanoseconds

    func check(
        _ id: String, service: String = "web1", status: HealthStatus = .critical,
        deregisterSeconds: Int64 = 90
    ) -> CatalogCheck {
        CatalogCheck(
            node: "n1", checkID: id, name: id, status: status, serviceID: service,
            definition: CheckDefinition(
                ttlNanoseconds: 10_000_000_000,
                deregisterCriticalServiceAfterNanoseconds: deregisterSeconds * 1_000_000_000))
    }

    @Test("critical for longer than the delay: the service and all its checks go, fenced")
    func reaps() throws {
        var reaper = CriticalServiceReaper()
        let checks = [
            revisioned(check("service:web1:1"), 4),
            revisioned(check("service:web1:2", status: .passing, deregisterSeconds: 0), 5),
            revisioned(check("other", service: "web2", status: .passing), 6),
        ]
        let delay = 90 * secondNanoseconds
        #expect(reaper.observe(checks, nowNanoseconds: 1_000).isEmpty)
        // Consul reaps when CriticalFor() > timeout: not at the delay, just after it.
        #expect(reaper.observe(checks, nowNanoseconds: 1_000 + delay).isEmpty)
        let reaps = reaper.observe(checks, nowNanoseconds: 1_001 + delay)
        let reap = try #require(reaps.first)
        #expect(reaps.count == 1)
        #expect(reap.serviceID == "web1")
        #expect(reap.checkIDs == ["service:web1:1", "service:web1:2"])
        let fence = CatalogKeys.check(node: "n1", checkID: "service:web1:1")
        #expect(
            reap.txn.compare == [
                Compare(result: .equal, target: .mod, key: fence, operand: .modRevision(4))
            ])
        #expect(
            reap.txn.success == [
                .deleteRange(
                    DeleteRangeRequest(key: CatalogKeys.service(node: "n1", serviceID: "web1"))),
                .deleteRange(DeleteRangeRequest(key: fence)),
                .deleteRange(
                    DeleteRangeRequest(
                        key: CatalogKeys.check(node: "n1", checkID: "service:web1:2"))),
            ])
    }

    @Test("a delay under a minute counts as a minute (Consul's minimum)")
    func minimum() {
        var reaper = CriticalServiceReaper()
        let checks = [revisioned(check("c", deregisterSeconds: 5), 3)]
        #expect(reaper.observe(checks, nowNanoseconds: 0).isEmpty)
        #expect(reaper.observe(checks, nowNanoseconds: 30 * secondNanoseconds).isEmpty)
        #expect(reaper.observe(checks, nowNanoseconds: minute).isEmpty)
        #expect(reaper.observe(checks, nowNanoseconds: minute + 1).count == 1)
    }

    @Test("a check that stops being critical starts the clock over")
    func recovery() {
        var reaper = CriticalServiceReaper()
        let critical = [revisioned(check("c"), 3)]
        let passing = [revisioned(check("c", status: .passing), 4)]
        #expect(reaper.observe(critical, nowNanoseconds: 0).isEmpty)
        #expect(reaper.observe(passing, nowNanoseconds: minute).isEmpty)
        #expect(reaper.criticalSinceNanoseconds.isEmpty)
        #expect(reaper.observe(critical, nowNanoseconds: 2 * minute).isEmpty)
        #expect(reaper.observe(critical, nowNanoseconds: 3 * minute).isEmpty)
        #expect(reaper.observe(critical, nowNanoseconds: 3 * minute + minute / 2 + 1).count == 1)
    }

    @Test("a deregistration is proposed once per 10 s while the service is still there")
    func retry() {
        var reaper = CriticalServiceReaper()
        let checks = [revisioned(check("c", deregisterSeconds: 60), 3)]
        _ = reaper.observe(checks, nowNanoseconds: 0)
        let due = minute + 1
        #expect(reaper.observe(checks, nowNanoseconds: due).count == 1)
        #expect(reaper.observe(checks, nowNanoseconds: due + 1).isEmpty)
        let retry = due + CriticalServiceReaper.retryNanoseconds
        #expect(reaper.observe(checks, nowNanoseconds: retry - 1).isEmpty)
        #expect(reaper.observe(checks, nowNanoseconds: retry).count == 1)
    }

    @Test("node checks and checks without a delay are never reaped")
    func neverReaped() {
        var reaper = CriticalServiceReaper()
        let checks = [
            revisioned(check("node", service: ""), 3),
            revisioned(check("plain", deregisterSeconds: 0), 4),
        ]
        _ = reaper.observe(checks, nowNanoseconds: 0)
        #expect(reaper.observe(checks, nowNanoseconds: 1_000 * minute).isEmpty)
    }

    @Test("two critical checks of one service reap it once")
    func oncePerService() {
        var reaper = CriticalServiceReaper()
        let checks = [revisioned(check("a"), 3), revisioned(check("b"), 4)]
        _ = reaper.observe(checks, nowNanoseconds: 0)
        let reaps = reaper.observe(checks, nowNanoseconds: 10 * minute)
        #expect(reaps.map(\.serviceID) == ["web1"])
        #expect(reaps.first?.checkID == "a")
    }

    @Test("a deregistration fits one transaction: at most 127 checks go with the service")
    func transactionBound() throws {
        let limit = CriticalServiceReaper.checksPerReapMax
        #expect(limit + 1 == KVLimits.txnOpsMax)
        for count in [limit, limit + 1] {
            var reaper = CriticalServiceReaper()
            // The critical check sorts last, so the bound cannot drop it.
            var checks = [revisioned(check("zz-critical"), 1)]
            for index in 1..<count {
                let id = "c\(1000 + index)"
                checks.append(revisioned(check(id, status: .passing, deregisterSeconds: 0), 2))
            }
            _ = reaper.observe(checks, nowNanoseconds: 0)
            let reap = try #require(reaper.observe(checks, nowNanoseconds: 10 * minute).first)
            #expect(reap.checkIDs.count == min(count, limit))
            #expect(reap.checkIDs.first == "zz-critical")
            #expect(reap.txn.success.count == min(count, limit) + 1)
            #expect(throws: Never.self) { try KVCommand.txn(reap.txn).validatedEncoding() }
        }
    }
}
