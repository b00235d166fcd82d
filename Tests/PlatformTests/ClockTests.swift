import Platform
import Testing

@Suite("Clock")
struct ClockTests {
    @Test("the monotonic clock never goes backward")
    func monotonic() {
        let clock = MonotonicClock()
        var previous = clock.nowNanoseconds()
        for _ in 0..<1000 {
            let now = clock.nowNanoseconds()
            #expect(now >= previous)
            previous = now
        }
    }

    @Test("the wall clock reads Unix time (after 2020-01-01)")
    func wall() {
        let year2020UnixNanoseconds: UInt64 = 1_577_836_800 * 1_000_000_000
        #expect(WallClock().nowUnixNanoseconds() > year2020UnixNanoseconds)
        #expect(WallClock().nowNanoseconds() > year2020UnixNanoseconds)
    }

    @Test("a manual clock moves only when advanced, through the Clock protocol")
    func manual() {
        let clock = ManualClock(startNanoseconds: 100)
        let asProtocol: any Clock = clock
        #expect(asProtocol.nowNanoseconds() == 100)
        clock.advance(by: 50)
        #expect(asProtocol.nowNanoseconds() == 150)
        #expect(clock.nowNanoseconds() == 150)
    }
}
