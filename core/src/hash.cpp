#include "sohoa/core/hash.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include <openssl/evp.h>

namespace sohoa::core {
namespace {

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using DigestPtr = std::unique_ptr<EVP_MD_CTX, DigestDeleter>;

DigestPtr new_sha256() {
  DigestPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw std::bad_alloc();
  }
  return ctx;
}

std::string finish_hex(EVP_MD_CTX* ctx) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx, digest.data(), &size);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int index = 0; index < size; ++index) {
    out += k_hex[digest[index] >> 4U];
    out += k_hex[digest[index] & 0x0FU];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::span<const std::uint8_t> bytes) {
  auto ctx = new_sha256();
  EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  return finish_hex(ctx.get());
}

tl::expected<std::string, std::string> sha256_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return tl::unexpected(std::string("cannot open: ") + std::strerror(errno));
  }
  auto ctx = new_sha256();
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    const auto got = in.gcount();
    if (got > 0) {
      EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(got));
    }
  }
  if (in.bad()) {
    return tl::unexpected(std::string("read error"));
  }
  return finish_hex(ctx.get());
}

}  // namespace sohoa::core
