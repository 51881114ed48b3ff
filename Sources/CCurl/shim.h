#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
// libcurl for DriftNotify. curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call:
// these typed wrappers are the only way in (one per argument type curl accepts).
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

typedef size_t (*drift_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode drift_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drift_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drift_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drift_curl_setopt_callback(CURL *handle, CURLoption option, drift_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drift_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
#endif
