// SPDX-License-Identifier: MIT
#pragma once
#include <string>
#include <string_view>

namespace judge::util {

/// SHA-256 of `data` as 64 lowercase hex digits (FIPS 180-4, through OpenSSL's EVP interface).
std::string sha256_hex(std::string_view data);

}  // namespace judge::util
