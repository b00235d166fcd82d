import Testing

@testable import ConfdAgent

@Suite("Apply plan: which steps run (confd sync(), reference/confd.md §1.3)")
struct ApplyPlanTests {
    @Test(
        "changed/unchanged × noop/sync-only × pending reload",
        arguments: [
            // changed, pending, noop, syncOnly -> check, replace, reload
            (true, false, false, false, true, true, true),
            (true, false, true, false, false, false, false),
            (true, false, false, true, false, true, false),
            (false, false, false, false, false, false, false),
            (false, true, false, false, false, false, true),
            (false, true, false, true, false, false, false),
            (false, true, true, false, false, false, false),
            (true, true, false, false, true, true, true),
        ])
    func plan(
        changed: Bool, pending: Bool, noop: Bool, syncOnly: Bool, check: Bool, replace: Bool,
        reload: Bool
    ) {
        let plan = ApplyPlan.decide(
            changed: changed, state: ResourceState(reloadPending: pending),
            options: ApplyOptions(noop: noop, syncOnly: syncOnly), hasCheck: true,
            hasReload: true)
        #expect(plan == ApplyPlan(runCheck: check, replaceDestination: replace, runReload: reload))
    }

    @Test("no check_cmd or reload_cmd means those steps never run")
    func noCommands() {
        let plan = ApplyPlan.decide(
            changed: true, state: ResourceState(reloadPending: true), options: ApplyOptions(),
            hasCheck: false, hasReload: false)
        #expect(plan == ApplyPlan(runCheck: false, replaceDestination: true, runReload: false))
    }

    @Test("differences list uid, gid, mode and content; a missing dest is one difference")
    func differences() {
        let stage = FileFacts(userID: 0, groupID: 0, mode: 0o644, sizeBytes: 3)
        #expect(FileDifference.between(stage: stage, destination: nil, contentsEqual: false)
            == [.destinationMissing])
        #expect(FileDifference.between(stage: stage, destination: stage, contentsEqual: true)
            .isEmpty)
        let other = FileFacts(userID: 1, groupID: 2, mode: 0o600, sizeBytes: 3)
        #expect(FileDifference.between(stage: stage, destination: other, contentsEqual: false)
            == [.userID(existing: 1, wanted: 0), .groupID(existing: 2, wanted: 0),
                .mode(existing: 0o600, wanted: 0o644), .content])
        #expect(FileDifference.mode(existing: 0o600, wanted: 0o644).description
            == "has mode 0600 should be 0644")
    }

    @Test("the stage mode is mode, else the existing dest's, else 0644 (confd setFileMode)")
    func wantedMode() {
        let existing = FileFacts(userID: 0, groupID: 0, mode: 0o600, sizeBytes: 0)
        #expect(ResourceApplier.wantedMode(configured: 0o640, existing: existing) == 0o640)
        #expect(ResourceApplier.wantedMode(configured: nil, existing: existing) == 0o600)
        #expect(ResourceApplier.wantedMode(configured: nil, existing: nil) == 0o644)
    }
}
