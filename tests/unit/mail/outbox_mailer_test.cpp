// OutboxMailer: one complete, parseable .eml per message, atomically placed, listed in order.
#include "mail/outbox_mailer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace keygate::mail {
namespace {

namespace fs = std::filesystem;

class SequenceRandom final : public core::Random {
 public:
  void fill(std::span<std::byte> out) override {
    for (auto& b : out) b = static_cast<std::byte>(next_++);
  }
  std::uint32_t uniform(std::uint32_t upper_bound) override { return next_++ % upper_bound; }

 private:
  unsigned char next_ = 0;
};

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// "<stamp>-<16 lowercase hex>.eml"
bool isOutboxName(std::string_view name, std::string_view stamp) {
  if (name.size() != stamp.size() + 1 + 16 + 4 || !name.starts_with(stamp) ||
      name[stamp.size()] != '-' || !name.ends_with(".eml"))
    return false;
  auto hex = name.substr(stamp.size() + 1, 16);
  return hex.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

class OutboxMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::path(::testing::TempDir()) / "outbox-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    fs::permissions(root_, fs::perms::owner_all);
    fs::remove_all(root_);
  }

  Message message(std::string subject) {
    return Message{"Keygate <no-reply@keygate.example>", "ann@example.com", std::move(subject),
                   "Your code is 12345678.\n"};
  }

  fs::path root_;
  core::FakeClock clock_{1764183845};  // 2025-11-26T19:04:05Z
  SequenceRandom random_;
};

TEST_F(OutboxMailerTest, WritesOneCompleteFilePerMessage) {
  auto dir = root_ / "new" / "outbox";  // created on demand, parents included
  OutboxMailer mailer(dir, clock_, random_);
  ASSERT_TRUE(mailer.send(message("First")));
  clock_.advance(61);
  ASSERT_TRUE(mailer.send(message("Second")));

  auto files = OutboxMailer::listOutbox(dir);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(isOutboxName(files[0].filename().string(), "20251126T190405Z")) << files[0];
  EXPECT_TRUE(isOutboxName(files[1].filename().string(), "20251126T190506Z")) << files[1];

  auto first = readFile(files[0]);
  EXPECT_TRUE(first.starts_with("Date: Wed, 26 Nov 2025 19:04:05 +0000\r\n")) << first;
  EXPECT_NE(first.find("\r\nSubject: First\r\n"), std::string::npos);
  EXPECT_NE(first.find("\r\nTo: ann@example.com\r\n"), std::string::npos);
  EXPECT_NE(first.find("\r\nMessage-ID: <20251126T190405Z."), std::string::npos);
  EXPECT_TRUE(first.ends_with("\r\n\r\nYour code is 12345678.\r\n"));
  EXPECT_NE(readFile(files[1]).find("\r\nSubject: Second\r\n"), std::string::npos);

  // Nothing but the two messages: the temp files were renamed away.
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++entries;
    EXPECT_EQ(entry.path().extension(), ".eml") << entry.path();
  }
  EXPECT_EQ(entries, 2u);

  struct stat st {};
  ASSERT_EQ(::stat(files[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);  // view codes are not for other users
}

TEST_F(OutboxMailerTest, ListingIgnoresTempFilesAndOtherEntries) {
  std::ofstream(root_ / "20250101T000000Z-0000000000000002.eml") << "b";
  std::ofstream(root_ / "20250101T000000Z-0000000000000001.eml") << "a";
  std::ofstream(root_ / ".20250101T000000Z-0000000000000003.eml.tmp") << "partial";
  std::ofstream(root_ / "notes.txt") << "x";
  fs::create_directory(root_ / "sub.eml");
  auto files = OutboxMailer::listOutbox(root_);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "20250101T000000Z-0000000000000001.eml");
  EXPECT_EQ(files[1].filename(), "20250101T000000Z-0000000000000002.eml");
  EXPECT_TRUE(OutboxMailer::listOutbox(root_ / "absent").empty());
}

TEST_F(OutboxMailerTest, UnwritableDirectoryIsMailUnavailable) {
  if (::geteuid() == 0) {
    // Root ignores directory permissions; a regular file in the way fails for everyone.
    std::ofstream(root_ / "blocked") << "not a directory";
    OutboxMailer mailer(root_ / "blocked" / "outbox", clock_, random_);
    auto s = mailer.send(message("x"));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, core::Errc::kMailUnavailable);
    EXPECT_EQ(s.error().retry_after_seconds, 30);
    EXPECT_EQ(s.error().detail.find("12345678"), std::string::npos);  // never the body
    return;
  }
  fs::permissions(root_, fs::perms::owner_read | fs::perms::owner_exec);
  OutboxMailer mailer(root_, clock_, random_);
  auto s = mailer.send(message("x"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::Errc::kMailUnavailable);
  EXPECT_EQ(s.error().retry_after_seconds, 30);
}

TEST_F(OutboxMailerTest, InvalidMessagesAreRejectedNotWritten) {
  OutboxMailer mailer(root_, clock_, random_);
  auto m = message("x\r\nBcc: eve@evil.example");
  auto s = mailer.send(m);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::Errc::kValidationFailed);
  EXPECT_TRUE(OutboxMailer::listOutbox(root_).empty());
}

}  // namespace
}  // namespace keygate::mail
