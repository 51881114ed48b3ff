import CCurl

/// One libcurl easy handle for one transfer attempt (never shared between threads, never reused).
///
/// Every handle gets the same safety settings: `CURLOPT_NOSIGNAL` (no SIGALRM in a multi-threaded server),
/// protocols restricted to http, https, smtp and smtps, no redirects followed, and a whole-transfer
/// `CURLOPT_TIMEOUT_MS`. The process-wide `curl_global_init` runs once, before the first handle.
final class CurlEasy {
    /// The protocols a receiver URL may use.
    static let allowedProtocols = "http,https,smtp,smtps"

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    private let handle: UnsafeMutableRawPointer
    /// Strings and lists handed to curl stay alive until the handle is cleaned up.
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private var download = CurlBuffer()
    private var upload: CurlBuffer?
    /// The first option curl refused (checked before the transfer runs).
    private var setupError: CURLcode = CURLE_OK

    /// A handle limited to `timeoutMs` for the whole transfer; nil when libcurl cannot be initialised.
    init?(url: String, timeoutMs: Int) {
        guard Self.globalInit == CURLE_OK, let h = curl_easy_init() else { return nil }
        handle = h
        set(CURLOPT_URL, url)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_PROTOCOLS_STR, Self.allowedProtocols)
        set(CURLOPT_REDIR_PROTOCOLS_STR, Self.allowedProtocols)
        set(CURLOPT_FOLLOWLOCATION, 0)
        set(CURLOPT_TIMEOUT_MS, max(1, timeoutMs))
        set(CURLOPT_CONNECTTIMEOUT_MS, max(1, timeoutMs))
        let box = Unmanaged.passUnretained(download).toOpaque()
        record(drift_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback))
        record(drift_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, box))
    }

    deinit {
        curl_easy_cleanup(handle)
        for list in lists { curl_slist_free_all(list) }
    }

    func set(_ option: CURLoption, _ value: Int) {
        record(drift_curl_setopt_long(handle, option, value))
    }

    /// curl copies string options (since 7.17), so the Swift string need not outlive the call.
    func set(_ option: CURLoption, _ value: String) {
        record(value.withCString { drift_curl_setopt_string(handle, option, $0) })
    }

    /// A string list option (headers, mail recipients); the list lives as long as the handle.
    func set(_ option: CURLoption, list items: [String]) {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for item in items {
            guard let next = item.withCString({ curl_slist_append(list, $0) }) else {
                setupError = CURLE_OUT_OF_MEMORY
                return
            }
            list = next
        }
        guard let list else { return }
        lists.append(list)
        record(drift_curl_setopt_pointer(handle, option, UnsafeMutableRawPointer(list)))
    }

    /// Sends `body` as the request body (HTTP POST fields, or the SMTP message with `CURLOPT_UPLOAD`).
    func setUpload(_ body: [UInt8]) {
        let buffer = CurlBuffer(bytes: body)
        upload = buffer
        record(drift_curl_setopt_callback(handle, CURLOPT_READFUNCTION, curlReadCallback))
        record(drift_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(buffer).toOpaque()))
        set(CURLOPT_INFILESIZE_LARGE, body.count)
    }

    /// Runs the transfer: curl's result code, the last protocol status (HTTP status or SMTP reply code; 0 when
    /// none arrived), the response body (HTTP only) and the certificate verification result.
    func perform() -> CurlResult {
        if setupError != CURLE_OK { return CurlResult(code: setupError, responseCode: 0, responseBody: []) }
        let code = curl_easy_perform(handle)
        var status = 0
        if drift_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK { status = 0 }
        var verify = 0
        if drift_curl_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verify) != CURLE_OK { verify = 0 }
        return CurlResult(code: code, responseCode: status, responseBody: download.bytes,
                          certificateVerifyResult: verify)
    }

    private func record(_ code: CURLcode) {
        if code != CURLE_OK && setupError == CURLE_OK { setupError = code }
    }
}

/// libcurl's write callback: appends the received bytes to the ``CurlBuffer`` passed as user data.
private func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ user: UnsafeMutableRawPointer?) -> Int {
    guard let user else { return 0 }
    let buffer = Unmanaged<CurlBuffer>.fromOpaque(user).takeUnretainedValue()
    let n = size * count
    if let data, n > 0 { buffer.append(UnsafeRawBufferPointer(start: data, count: n)) }
    return n
}

/// libcurl's read callback: copies the next bytes of the ``CurlBuffer`` passed as user data (0 at the end).
private func curlReadCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                              _ user: UnsafeMutableRawPointer?) -> Int {
    guard let user, let data else { return 0 }
    let buffer = Unmanaged<CurlBuffer>.fromOpaque(user).takeUnretainedValue()
    return buffer.read(into: UnsafeMutableRawBufferPointer(start: data, count: size * count))
}
