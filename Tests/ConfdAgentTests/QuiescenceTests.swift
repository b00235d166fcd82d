import Testing

@testable import ConfdAgent

@Suite("Quiescence: debounce with a max cap (consul-template wait, reference/confd.md §6.4)")
struct QuiescenceTests {
    private static let second: UInt64 = 1_000_000_000

    private func window(_ minimum: UInt64, _ maximum: UInt64) throws -> QuiescenceWindow {
        try QuiescenceWindow(
            minimumNanoseconds: minimum * Self.second, maximumNanoseconds: maximum * Self.second)
    }

    /// Feeds changes at the given seconds; returns when the first render happens.
    private func firstRender(window: QuiescenceWindow?, changes: [UInt64]) -> UInt64? {
        var quiescence = Quiescence(window: window)
        for change in changes { quiescence.recordChange(atNanoseconds: change * Self.second) }
        guard case .waitUntil(let due) = quiescence.decision(atNanoseconds: 0) else {
            return quiescence.decision(atNanoseconds: 0) == .render ? 0 : nil
        }
        return due
    }

    @Test(
        "due = min(last change + min, first change + max)",
        arguments: [
            ([10], 12),  // one change: min later
            ([10, 11], 13),  // re-armed by the second change
            ([10, 11, 12, 13], 15),  // still under the cap (10 + 8 = 18)
            ([10, 11, 13, 15, 17], 18),  // capped at first + max
            ([10, 17], 18),  // the cap beats last + min (19)
        ] as [([UInt64], UInt64)])
    func due(changes: [UInt64], expectedSeconds: UInt64) throws {
        let due = firstRender(window: try window(2, 8), changes: changes)
        #expect(due == expectedSeconds * Self.second)
    }

    @Test("without a window every change is due at once (confd: no debounce)")
    func noWindow() {
        var quiescence = Quiescence(window: nil)
        #expect(quiescence.decision(atNanoseconds: 5) == .idle)
        quiescence.recordChange(atNanoseconds: 5)
        quiescence.recordChange(atNanoseconds: 9)
        #expect(quiescence.decision(atNanoseconds: 9) == .render)
        #expect(quiescence.dueNanoseconds == 5)
    }

    @Test("decisions move from wait to render as the clock passes the due time")
    func decisions() throws {
        var quiescence = Quiescence(window: try window(2, 8))
        #expect(quiescence.decision(atNanoseconds: 0) == .idle)
        quiescence.recordChange(atNanoseconds: 10 * Self.second)
        #expect(quiescence.decision(atNanoseconds: 11 * Self.second)
            == .waitUntil(nanoseconds: 12 * Self.second))
        #expect(quiescence.decision(atNanoseconds: 12 * Self.second - 1)
            == .waitUntil(nanoseconds: 12 * Self.second))
        #expect(quiescence.decision(atNanoseconds: 12 * Self.second) == .render)
        quiescence.markRendered()
        #expect(quiescence.decision(atNanoseconds: 13 * Self.second) == .idle)
    }

    @Test("a change after a render starts a new burst with a new cap")
    func newBurst() throws {
        var quiescence = Quiescence(window: try window(2, 8))
        quiescence.recordChange(atNanoseconds: 10 * Self.second)
        quiescence.markRendered()
        quiescence.recordChange(atNanoseconds: 30 * Self.second)
        #expect(quiescence.firstChangeNanoseconds == 30 * Self.second)
        #expect(quiescence.decision(atNanoseconds: 30 * Self.second)
            == .waitUntil(nanoseconds: 32 * Self.second))
    }

    @Test("times near the end of the clock saturate instead of wrapping")
    func saturation() throws {
        var quiescence = Quiescence(window: try window(2, 8))
        quiescence.recordChange(atNanoseconds: UInt64.max - 1)
        #expect(quiescence.dueNanoseconds == UInt64.max)
    }

    @Test("a stream of changes one second apart renders at the cap, then again")
    func continuousStream() throws {
        var quiescence = Quiescence(window: try window(2, 8))
        var renders: [UInt64] = []
        for second in UInt64(0)...20 {
            let now = second * Self.second
            if quiescence.decision(atNanoseconds: now) == .render {
                renders.append(second)
                quiescence.markRendered()
            }
            quiescence.recordChange(atNanoseconds: now)
        }
        #expect(renders == [8, 16])
    }
}
