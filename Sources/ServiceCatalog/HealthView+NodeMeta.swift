extension HealthView {
    /// Only the nodes `filter` matches, with their services and checks (`?node-meta`).
    public func filtered(_ filter: NodeMetaFilter) -> HealthView {
        guard !filter.isEmpty else { return self }
        let kept = Set(
            nodes.filter { filter.matches($0.record) }.map { $0.record.node.lowercased() })
        return HealthView(
            sortedNodes: nodes.filter { kept.contains($0.record.node.lowercased()) },
            sortedServices: services.filter { kept.contains($0.record.node.lowercased()) },
            sortedChecks: checks.filter { kept.contains($0.record.node.lowercased()) })
    }
}
