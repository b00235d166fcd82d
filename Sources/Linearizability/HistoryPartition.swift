/// A sub-history checked on its own under P-compositionality (Horn & Kroening,
/// arXiv:1504.00204, Theorem 1): indices into the full history, in history order.
struct HistoryPartition {
    /// How counterexamples name the partition ("key \"x\"", or "whole history").
    var name: String
    var operationIndices: [Int]

    /// Splits `history` by `model.partitionKey(of:)`, in order of each key's first operation so
    /// the verdict is deterministic. Operations with unknown outcome on a read-only input are
    /// dropped (they constrain nothing). Any nil key puts everything in one partition.
    static func split<M: LinearizabilityModel>(
        _ history: [Operation<M.Input, M.Output>], model: M
    ) -> [HistoryPartition] {
        let kept = history.indices.filter {
            !(history[$0].hasUnknownOutcome && model.isReadOnly(history[$0].input))
        }
        var slotOfKey: [M.PartitionKey: Int] = [:]
        var partitions: [HistoryPartition] = []
        for index in kept {
            guard let key = model.partitionKey(of: history[index].input) else {
                return [HistoryPartition(name: "whole history", operationIndices: kept)]
            }
            if let slot = slotOfKey[key] {
                partitions[slot].operationIndices.append(index)
            } else {
                slotOfKey[key] = partitions.count
                partitions.append(HistoryPartition(name: "key \(key)", operationIndices: [index]))
            }
        }
        return partitions
    }
}
