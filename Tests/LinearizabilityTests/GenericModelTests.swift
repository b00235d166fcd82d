import Linearizability
import Testing

/// A counter with increment and read: a model without a partition function, to check the
/// protocol's defaults and whole-history checking.
struct CounterModel: LinearizabilityModel {
    enum Input: Sendable { case increment, read }

    func initialState() -> Int { 0 }

    func step(_ state: Int, _ input: Input, _ output: Int?) -> Int? {
        switch input {
        case .increment: return state + 1
        case .read: return output == nil || output == state ? state : nil
        }
    }
}

@Suite("Any LinearizabilityModel can be checked, partitioned or not")
struct GenericModelTests {
    typealias CounterOperation = Operation<CounterModel.Input, Int>

    static func op(_ input: CounterModel.Input, _ output: Int?, _ interval: ClosedRange<UInt64>)
        -> CounterOperation
    {
        CounterOperation(
            clientID: 0, input: input, call: interval.lowerBound, output: output,
            returnTime: interval.upperBound)
    }

    @Test("a model without partitionKey is checked as one whole-history partition")
    func unpartitionedModel() {
        let history = [
            Self.op(.increment, 0, 0...10),
            Self.op(.increment, 0, 5...15),
            Self.op(.read, 1, 6...8),
            Self.op(.read, 2, 20...30),
        ]
        let report = checkLinearizableWithReport(history, model: CounterModel(), budget: .standard)
        #expect(report.result == .linearizable)
        #expect(report.partitionCount == 1)
    }

    @Test("a counter read that goes backwards is rejected under the default descriptions")
    func counterGoingBackwards() {
        let history = [
            Self.op(.increment, 0, 0...10),
            Self.op(.read, 1, 20...30),
            Self.op(.read, 0, 40...50),
        ]
        let result = checkLinearizable(history, model: CounterModel(), budget: .standard)
        #expect(result.counterexample.contains("whole history has no linearization"))
        #expect(result.counterexample.contains("read -> 0"))
    }
}
