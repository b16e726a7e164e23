// Free-text locations for the candidate-insight model: "Austin, TX, US", "Austin, Texas",
// "London, UK". Parsed into city / region / country with US state names and common country
// names folded to their codes, then compared at the finest level both sides state.
#pragma once

#include <string>
#include <string_view>

namespace keygate::services::insights {

struct Place {
  std::string city;     // lowercase, punctuation removed, single spaces
  std::string region;   // US states as two-letter codes ("tx")
  std::string country;  // common names as ISO codes ("us", "gb")
  bool empty() const { return city.empty() && region.empty() && country.empty(); }
};

// "City", "City, Region", "City, Region, Country" or "City, Country"; a lone state or country
// name is recognized as such. "Remote" and "Anywhere" give an empty place.
Place parsePlace(std::string_view text);

enum class Proximity { kUnknown, kSameCity, kSameRegion, kSameCountry, kDifferent };

Proximity proximity(const Place& a, const Place& b);

}  // namespace keygate::services::insights
