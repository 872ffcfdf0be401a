#pragma once
// Passwords and random tokens, on libsodium. Thread-safe.

#include <string>
#include <string_view>

namespace sohoa::web {

inline constexpr std::size_t k_min_password_bytes = 8;

// An argon2id hash string of `password` with a fresh salt (libsodium's crypto_pwhash_str at the
// "interactive" limits: 64 MiB of memory). Throws core::Fatal when the memory cannot be had.
std::string hash_password(std::string_view password);
// True when `password` matches `hash` (a string from hash_password); false otherwise, including
// for a malformed hash.
bool verify_password(const std::string& hash, std::string_view password);
// 256 random bits as 64 lowercase hex characters (session ids, CSRF tokens).
std::string random_token();
// Compares two strings in time that does not depend on where they differ.
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace sohoa::web
