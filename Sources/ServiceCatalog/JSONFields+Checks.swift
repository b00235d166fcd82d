import Platform

extension JSONFields {
    /// The check definitions of a registration: `Check` then the `Checks` array, bounded
    /// by `CatalogLimits.checksPerRegistrationMax`. `owner` names the object in the error
    /// for a `Checks` that is not an array (`Service`, `Register`), `unit` what the limit
    /// counts per (`service`, `request`).
    func checkValues(owner: String, unit: String) throws(CatalogError) -> [JSONValue] {
        var values: [JSONValue] = []
        if let single = value("Check") { values.append(single) }
        if let many = value("Checks") {
            guard let array = many.arrayValue else {
                throw .decodeFailed("\(owner).Checks must be an array")
            }
            values.append(contentsOf: array)
        }
        guard values.count <= CatalogLimits.checksPerRegistrationMax else {
            throw .badRequest(
                "Too many checks: at most \(CatalogLimits.checksPerRegistrationMax) per \(unit)")
        }
        return values
    }
}
