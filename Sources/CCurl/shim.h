// libcurl for `tandem send`: curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call,
// so each kind of argument gets a typed wrapper here.
#include <curl/curl.h>

static inline CURLcode tandem_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode tandem_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode tandem_curl_set_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode tandem_curl_set_list(CURL *curl, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(curl, option, value);
}

typedef size_t (*tandem_curl_data_function)(char *buffer, size_t size, size_t count, void *context);
typedef int (*tandem_curl_debug_function)(CURL *curl, curl_infotype type, char *data, size_t size, void *context);

static inline CURLcode tandem_curl_set_read_function(CURL *curl, tandem_curl_data_function function) {
    return curl_easy_setopt(curl, CURLOPT_READFUNCTION, function);
}

static inline CURLcode tandem_curl_set_write_function(CURL *curl, tandem_curl_data_function function) {
    return curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, function);
}

static inline CURLcode tandem_curl_set_debug_function(CURL *curl, tandem_curl_debug_function function) {
    return curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, function);
}

static inline long tandem_curl_response_code(CURL *curl) {
    long code = 0;
    if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK) return 0;
    return code;
}
