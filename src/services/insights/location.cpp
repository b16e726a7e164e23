// Location parsing and comparison for the candidate-insight model (pure; no geocoding: two
// places match only by name, which is what free-text request and candidate fields allow).
#include "services/insights/location.h"

#include <cctype>
#include <span>
#include <unordered_map>
#include <vector>

namespace keygate::services::insights {
namespace {

struct NameCode {
  std::string_view name;
  std::string_view code;
};

constexpr NameCode kUsStates[] = {
    {"alabama", "al"},        {"alaska", "ak"},        {"arizona", "az"},
    {"arkansas", "ar"},       {"california", "ca"},    {"colorado", "co"},
    {"connecticut", "ct"},    {"delaware", "de"},      {"florida", "fl"},
    {"georgia", "ga"},        {"hawaii", "hi"},        {"idaho", "id"},
    {"illinois", "il"},       {"indiana", "in"},       {"iowa", "ia"},
    {"kansas", "ks"},         {"kentucky", "ky"},      {"louisiana", "la"},
    {"maine", "me"},          {"maryland", "md"},      {"massachusetts", "ma"},
    {"michigan", "mi"},       {"minnesota", "mn"},     {"mississippi", "ms"},
    {"missouri", "mo"},       {"montana", "mt"},       {"nebraska", "ne"},
    {"nevada", "nv"},         {"new hampshire", "nh"}, {"new jersey", "nj"},
    {"new mexico", "nm"},     {"new york", "ny"},      {"north carolina", "nc"},
    {"north dakota", "nd"},   {"ohio", "oh"},          {"oklahoma", "ok"},
    {"oregon", "or"},         {"pennsylvania", "pa"},  {"rhode island", "ri"},
    {"south carolina", "sc"}, {"south dakota", "sd"},  {"tennessee", "tn"},
    {"texas", "tx"},          {"utah", "ut"},          {"vermont", "vt"},
    {"virginia", "va"},       {"washington", "wa"},    {"west virginia", "wv"},
    {"wisconsin", "wi"},      {"wyoming", "wy"},       {"district of columbia", "dc"},
};

constexpr NameCode kCountries[] = {
    {"us", "us"},
    {"usa", "us"},
    {"u s", "us"},
    {"u s a", "us"},
    {"united states", "us"},
    {"united states of america", "us"},
    {"uk", "gb"},
    {"gb", "gb"},
    {"united kingdom", "gb"},
    {"great britain", "gb"},
    {"england", "gb"},
    {"canada", "ca"},
    {"mexico", "mx"},
    {"germany", "de"},
    {"deutschland", "de"},
    {"france", "fr"},
    {"india", "in"},
    {"ireland", "ie"},
    {"netherlands", "nl"},
    {"spain", "es"},
    {"poland", "pl"},
    {"australia", "au"},
    {"brazil", "br"},
    {"philippines", "ph"},
};

// Lowercase, '.' and other punctuation removed, whitespace collapsed: "St. Louis " -> "st louis".
std::string cleanPart(std::string_view part) {
  std::string out;
  bool space = false;
  for (char c : part) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || std::isalnum(byte)) {
      if (space && !out.empty()) out += ' ';
      space = false;
      out += byte >= 0x80 ? c : static_cast<char>(std::tolower(byte));
    } else if (c == '.' || c == '\'') {
      continue;  // "St." and "O'Fallon" keep their letters together
    } else {
      space = true;
    }
  }
  return out;
}

using CodeMap = std::unordered_map<std::string_view, std::string_view>;

CodeMap codeMap(std::span<const NameCode> entries, bool codes_map_to_themselves) {
  CodeMap map;
  for (const auto& entry : entries) {
    map.emplace(entry.name, entry.code);
    if (codes_map_to_themselves) map.emplace(entry.code, entry.code);
  }
  return map;
}

std::string_view lookup(const CodeMap& map, const std::string& part) {
  auto it = map.find(part);
  return it == map.end() ? std::string_view() : it->second;
}

std::string_view stateCode(const std::string& part) {
  static const CodeMap states = codeMap(kUsStates, true);
  return lookup(states, part);
}

std::string_view countryCode(const std::string& part) {
  static const CodeMap countries = codeMap(kCountries, false);
  return lookup(countries, part);
}

std::string regionOf(const std::string& part) {
  auto code = stateCode(part);
  return code.empty() ? part : std::string(code);
}

std::string countryOf(const std::string& part) {
  auto code = countryCode(part);
  return code.empty() ? part : std::string(code);
}

bool bothSet(const std::string& a, const std::string& b) {
  return !a.empty() && !b.empty();
}

}  // namespace

Place parsePlace(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    auto part = cleanPart(text.substr(start, comma - start));
    if (!part.empty()) parts.push_back(std::move(part));
    start = comma + 1;
  }
  Place place;
  if (parts.empty()) return place;
  if (parts.size() == 1 && (parts[0] == "remote" || parts[0] == "anywhere")) return place;
  if (parts.size() == 1) {
    if (!countryCode(parts[0]).empty()) {
      place.country = countryOf(parts[0]);
    } else if (!stateCode(parts[0]).empty() && parts[0].size() > 2) {
      place.region = regionOf(parts[0]);  // "Texas" alone; "in"/"or" stay city names
    } else {
      place.city = parts[0];
    }
  } else if (parts.size() == 2) {
    place.city = parts[0];
    if (!countryCode(parts[1]).empty() && stateCode(parts[1]).empty()) {
      place.country = countryOf(parts[1]);
    } else {
      place.region = regionOf(parts[1]);
    }
  } else {
    place.city = parts[0];
    place.region = regionOf(parts[1]);
    place.country = countryOf(parts.back());
  }
  // A US state implies the country, so "Austin, TX" and "Austin, TX, USA" compare equal.
  if (place.country.empty() && !place.region.empty() && !stateCode(place.region).empty())
    place.country = "us";
  if (place.country == "us" && !place.region.empty()) place.region = regionOf(place.region);
  return place;
}

Proximity proximity(const Place& a, const Place& b) {
  if (a.empty() || b.empty()) return Proximity::kUnknown;
  if (bothSet(a.country, b.country) && a.country != b.country) return Proximity::kDifferent;
  const bool region_differs = bothSet(a.region, b.region) && a.region != b.region;
  if (bothSet(a.city, b.city) && a.city == b.city && !region_differs) return Proximity::kSameCity;
  if (bothSet(a.region, b.region) && !region_differs) return Proximity::kSameRegion;
  if (bothSet(a.country, b.country)) return Proximity::kSameCountry;
  // Nothing in common was stated at a level both sides give: the places differ when their
  // cities (or regions) are named and differ; otherwise there is too little to tell.
  if (bothSet(a.city, b.city) || region_differs) return Proximity::kDifferent;
  return Proximity::kUnknown;
}

}  // namespace keygate::services::insights
