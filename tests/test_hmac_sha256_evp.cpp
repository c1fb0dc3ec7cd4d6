// The HMAC tests again, built the way a project that hides OpenSSL's deprecated APIs builds
// them: the SDK then hashes through EVP_MD_CTX instead of the low-level SHA256_* functions.
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED

#include "test_hmac_sha256.cpp"

#if !defined(ALM_WEBHOOKS_SHA256_EVP)
#error "hiding OpenSSL's deprecated APIs must select the EVP implementation"
#endif
