// Lookup over the generated table of embedded assets.
#include "web/web_assets.h"

#include <algorithm>

namespace keygate::web {

const Asset* findAsset(std::string_view path) {
  auto assets = embeddedAssets();
  auto it = std::lower_bound(assets.begin(), assets.end(), path,
                             [](const Asset& a, std::string_view p) { return a.path < p; });
  if (it == assets.end() || it->path != path) return nullptr;
  return &*it;
}

}  // namespace keygate::web
