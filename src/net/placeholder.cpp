// SPDX-License-Identifier: MIT
// Placeholder so the module library exists before its first source; delete when adding real sources.
namespace judge::net {}
