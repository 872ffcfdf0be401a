// Design notes
// - argon2id at libsodium's "interactive" limits (2 passes, 64 MiB): about 0.1 s per login on one
//   core. The server bounds how many run at once (sessions.cpp), so a burst of logins cannot ask
//   for gigabytes.
// - sodium_init() is called once, before first use, from whichever thread gets there first.

#include "sohoa/web/passwords.hpp"

#include <array>

#include <sodium.h>

#include "sohoa/core/errors.hpp"

namespace sohoa::web {
namespace {

void init_sodium() {
  static const int k_init = sodium_init();
  if (k_init < 0) {
    throw core::Fatal("libsodium cannot be initialised");
  }
}

}  // namespace

std::string hash_password(std::string_view password) {
  init_sodium();
  std::array<char, crypto_pwhash_STRBYTES> hash{};
  if (crypto_pwhash_str(hash.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw core::Fatal("not enough memory to hash a password");
  }
  return hash.data();
}

bool verify_password(const std::string& hash, std::string_view password) {
  init_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token() {
  init_sodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
  return hex.data();
}

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  init_sodium();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sohoa::web
