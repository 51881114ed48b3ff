import DriftWire

/// The typed, blocking alerting methods of PROTOCOL §13 (ids 16–18). A non-OK answer is thrown as the server's
/// `DriftClientError` (status, message and `fieldPath`, e.g. `matchers[0]`).
extension DriftClient {
    /// CreateSilence: mutes the alerts every matcher matches from `request.startsMs` (0 = now) until
    /// `request.endsMs`. Returns the new silence's id (16 hex digits).
    public func createSilence(_ request: CreateSilenceRequest) throws(DriftClientError) -> String {
        let bytes = try call(method: .createSilence, metadata: request.encode())
        return try decode(.createSilence, bytes, SilenceID.decode).id
    }

    /// ExpireSilence: ends the silence now (`expired` false when it had already ended; NOT_FOUND when unknown).
    public func expireSilence(id: String) throws(DriftClientError) -> ExpireSilenceResponse {
        let bytes = try call(method: .expireSilence, metadata: SilenceID(id: id).encode())
        return try decode(.expireSilence, bytes, ExpireSilenceResponse.decode)
    }

    /// ListAlerts: the firing alerts with their mute state, the silences, and a page of recent notifications
    /// with their delivery state (follow `nextBeforeID` for older ones).
    public func listAlerts(_ request: ListAlertsRequest = ListAlertsRequest()) throws(DriftClientError) -> ListAlertsResponse {
        let bytes = try call(method: .listAlerts, metadata: request.encode())
        return try decode(.listAlerts, bytes, ListAlertsResponse.decode)
    }
}
