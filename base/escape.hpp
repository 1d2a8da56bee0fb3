// Bytes from a file, made safe to print in a one-line error message: printable ASCII as is,
// every other byte (control characters, newlines, bytes of a corrupt header) as \xNN, and a
// backslash as \\. A message never echoes raw garbage into the user's terminal.
#pragma once

#include <string>
#include <string_view>

namespace minflow {

std::string escape_bytes(std::string_view bytes);

}  // namespace minflow
