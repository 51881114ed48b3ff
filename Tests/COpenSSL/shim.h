#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// OpenSSL for the loopback test receivers only (Tests/DriftTestReceivers: STARTTLS and HTTPS test servers).
// driftd itself never links it directly: alert delivery uses libcurl's TLS.
#include <openssl/ssl.h>
#include <openssl/err.h>
#endif
