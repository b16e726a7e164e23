#include "fixture.h"

namespace keygate::services::testing {
namespace {

class EventLogTest : public ServicesTest {};

TEST_F(EventLogTest, RowsAreChainedAndVerify) {
  auto org = makeOrg("Acme", core::OrgType::kSupplier);
  auto user = makeUser(org, "sam");
  generate(actorFor(user, org));
  auto rows = allEvents();
  ASSERT_GE(rows.size(), 3u);
  EXPECT_EQ(rows[0].prev_hash, "");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash);
    EXPECT_EQ(rows[i].hash, eventHash(rows[i]));
  }
  auto verified = events->verify(*store);
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->rows, static_cast<std::int64_t>(rows.size()));
  EXPECT_FALSE(verified->first_broken_seq);
}

TEST_F(EventLogTest, HashCoversEveryField) {
  core::Event e;
  e.at = 5;
  e.type = "key.revealed";
  e.org_id = 1;
  e.actor_user_id = 2;
  e.credential_id = 3;
  e.ip = "10.0.0.1";
  e.user_agent = "ua";
  e.details = "{}";
  e.prev_hash = "abc";
  const auto base = eventHash(e);
  auto changed = [&](auto mutate) {
    core::Event copy = e;
    mutate(copy);
    return eventHash(copy) != base;
  };
  EXPECT_TRUE(changed([](core::Event& x) { x.at = 6; }));
  EXPECT_TRUE(changed([](core::Event& x) { x.type = "key.generated"; }));
  EXPECT_TRUE(changed([](core::Event& x) { x.org_id.reset(); }));
  EXPECT_TRUE(changed([](core::Event& x) { x.actor_user_id = 9; }));
  EXPECT_TRUE(changed([](core::Event& x) { x.credential_id = 4; }));
  EXPECT_TRUE(changed([](core::Event& x) { x.ip = "10.0.0.2"; }));
  EXPECT_TRUE(changed([](core::Event& x) { x.user_agent = "u"; }));
  EXPECT_TRUE(changed([](core::Event& x) { x.details = "{\"a\":1}"; }));
  EXPECT_TRUE(changed([](core::Event& x) { x.prev_hash = "abd"; }));
  // Field boundaries are unambiguous.
  EXPECT_TRUE(changed([](core::Event& x) {
    x.ip = "10.0.0.1u";
    x.user_agent = "a";
  }));
}

TEST(EventDetailsTest, EscapesJson) {
  EXPECT_EQ(EventDetails().add("name", "a\"b\\c\n").add("n", 5).str(),
            "{\"name\":\"a\\\"b\\\\c\\n\",\"n\":5}");
}

}  // namespace
}  // namespace keygate::services::testing
