// The web UI's static files, embedded into the binary at build time (see CMakeLists.txt and
// embed_assets.cmake). Pure data: no HTTP, no I/O.
#pragma once

#include <span>
#include <string_view>

namespace keygate::web {

struct Asset {
  std::string_view path;          // relative to src/web: "pages/keys.html", "assets/app.css"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view etag;          // strong ETag, quotes included
  std::string_view body;
};

// Every embedded file, sorted by path.
std::span<const Asset> embeddedAssets();

// The asset at `path` (as above), or nullptr.
const Asset* findAsset(std::string_view path);

}  // namespace keygate::web
