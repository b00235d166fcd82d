/// Receives readiness events for a descriptor registered on an `EventLoop`. Called on the
/// loop's thread only. The loop holds the handler strongly until `deregister`.
public protocol IOHandler: AnyObject {
    func handleIO(_ event: IOEvent)
}
