// SPDX-License-Identifier: MIT
// The page's files, compiled in from src/label/assets/ (src/CMakeLists.txt generates label_assets.cpp).
#pragma once
#include <string_view>

namespace judge::label {
extern const std::string_view k_index_html;
extern const std::string_view k_app_js;
extern const std::string_view k_style_css;
}  // namespace judge::label
