/// What a template set passes to one function, found from its parse trees without running
/// it (`Template.literalArguments(of:)`). `roost confd` uses it to read, and watch, only
/// the services a template names in `service "web"`.
public enum TemplateLiteralArguments: Sendable, Equatable {
    /// Every call passes exactly one string literal: these values. Empty when the set
    /// never calls the function.
    case literals(Set<String>)
    /// Some call's argument is known only when the template runs: a variable, a field, a
    /// parenthesized pipeline, the previous result of a pipeline (`"web" | service`), or a
    /// call with other than one argument.
    case unknown
}
