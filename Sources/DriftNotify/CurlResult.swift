import CCurl

/// What one libcurl transfer came to: curl's result code, the last protocol status it saw (HTTP status or SMTP
/// reply code, 0 when none arrived), the (capped) HTTP response body and the certificate check's verdict.
struct CurlResult {
    var code: CURLcode
    var responseCode: Int
    var responseBody: [UInt8]
    /// `CURLINFO_SSL_VERIFYRESULT`: OpenSSL's X509 verification result for the server's certificate chain
    /// (`X509_V_OK`, 0, when it was accepted or not checked).
    var certificateVerifyResult: Int = 0

    var succeeded: Bool { code == CURLE_OK }

    /// curl's generic description of the result code — never the URL or the host (webhook URLs are secrets).
    var curlMessage: String { String(cString: curl_easy_strerror(code)) }

    var isTimeout: Bool { code == CURLE_OPERATION_TIMEDOUT }
}
