#pragma once
// SHA-256 fixity (OpenSSL EVP). Thread-safe.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include <tl/expected.hpp>

namespace sohoa::core {

// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::span<const std::uint8_t> bytes);

// Lowercase hex SHA-256 of the file at `path`, streamed. On failure returns a message naming the
// reason (not found, permission denied, read error).
tl::expected<std::string, std::string> sha256_file(const std::filesystem::path& path);

}  // namespace sohoa::core
