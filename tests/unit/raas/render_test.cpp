// Rendering of report values (JSON escaping, RFC 4180 CSV, values by column type) and the
// result file (paged reads across index blocks, damage detection, partial files).
#include "services/raas/render.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <random>

#include "services/raas/catalogue.h"
#include "services/raas/result_file.h"

namespace keygate::services::raas {
namespace {

Field text(std::string_view s) {
  return Field{FieldKind::kText, s};
}

TEST(RenderTest, CsvQuotesCommasQuotesAndLineBreaks) {
  std::string out;
  const Field row[] = {text("plain"),
                       text("a,b"),
                       text("say \"hi\""),
                       text("two\nlines"),
                       text("cr\rhere"),
                       Field{FieldKind::kRaw, "12.50"},
                       Field{}};
  appendCsvRow(out, row);
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\",12.50,\r\n");

  std::string header;
  appendCsvHeader(header, {"Name", "Amount, USD", "\"Q\""});
  EXPECT_EQ(header, "Name,\"Amount, USD\",\"\"\"Q\"\"\"\r\n");
}

TEST(RenderTest, JsonEscapesControlCharactersAndRepairsInvalidUtf8) {
  std::string out;
  appendJsonString(out, std::string("q\"b\\n\nt\t\x01 \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") +
                            "\xC3" + "\xFF");
  // Parsing it back proves it is valid JSON, with every valid character kept.
  auto parsed = boost::json::parse(out);
  EXPECT_EQ(std::string(parsed.as_string()),
            "q\"b\\n\nt\t\x01 \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(RenderTest, JsonRowsAreKeyedByDisplayNames) {
  JsonRowsWriter writer({"Worker \"Name\"", "Hours"});
  std::string out = "[";
  const Field a[] = {text("Ann"), Field{FieldKind::kRaw, "8.00"}};
  const Field b[] = {Field{}, Field{FieldKind::kRaw, "7.25"}};
  writer.row(out, a);
  writer.row(out, b);
  out += "]";
  auto rows = boost::json::parse(out).as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].as_object().at("Worker \"Name\"").as_string(), "Ann");
  EXPECT_EQ(rows[0].as_object().at("Hours").as_double(), 8.0);
  EXPECT_TRUE(rows[1].as_object().at("Worker \"Name\"").is_null());
}

TEST(RenderTest, EncodesCellsByColumnType) {
  const auto* lines = findSource("timecard_lines");
  const auto column = [&](const char* name) { return findColumn(*lines, name); };
  std::vector<OutputColumn> columns = {{column("work_date"), "d", -1},
                                       {column("hours"), "h", -1},
                                       {column("rate"), "r", 4},
                                       {column("time_in"), "t", -1}};
  RowEncoder encoder(columns);
  using Kind = storage::Cell::Kind;
  const storage::Cell cells[] = {{Kind::kInteger, 1767571200, 0, {}},
                                 {Kind::kInteger, 725, 0, {}},
                                 {Kind::kInteger, 8000, 0, {}},
                                 {Kind::kInteger, 545, 0, {}},
                                 {Kind::kText, 0, 0, "JPY"}};
  auto fields = encoder.encode(cells);
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0].bytes, "2026-01-05");
  EXPECT_EQ(fields[0].kind, FieldKind::kText);
  EXPECT_EQ(fields[1].bytes, "7.25");
  EXPECT_EQ(fields[1].kind, FieldKind::kRaw);
  EXPECT_EQ(fields[2].bytes, "8000");  // JPY has no minor unit
  EXPECT_EQ(fields[3].bytes, "09:05");

  const storage::Cell usd[] = {
      {}, {}, {Kind::kInteger, 8000, 0, {}}, {}, {Kind::kText, 0, 0, "USD"}};
  fields = encoder.encode(usd);
  EXPECT_EQ(fields[0].kind, FieldKind::kNull);
  EXPECT_EQ(fields[2].bytes, "80.00");
  EXPECT_EQ(withThousands(1234567), "1,234,567");
  EXPECT_EQ(withThousands(-1000), "-1,000");
  EXPECT_EQ(withThousands(999), "999");
}

class ResultFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("keygate-result-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Writes rows 0..n-1 as ("row <i>", <i>, null every 7th).
  void write(std::int64_t n) {
    auto writer = ResultWriter::create(resultPath(dir_, 1), 3);
    ASSERT_TRUE(writer);
    for (std::int64_t i = 0; i < n; ++i) {
      const std::string label = "row " + std::to_string(i);
      const std::string number = std::to_string(i);
      const Field row[] = {text(label), Field{FieldKind::kRaw, number},
                           i % 7 == 0 ? Field{} : text("x")};
      ASSERT_TRUE(writer->append(row));
    }
    ASSERT_TRUE(writer->commit());
  }

  std::vector<std::int64_t> read(std::int64_t first, std::int64_t count) {
    auto reader = ResultReader::open(resultPath(dir_, 1));
    EXPECT_TRUE(reader);
    std::vector<std::int64_t> out;
    EXPECT_TRUE(reader->read(first, count, [&](std::span<const Field> fields) {
      EXPECT_EQ(fields.size(), 3u);
      out.push_back(std::stoll(std::string(fields[1].bytes)));
      EXPECT_EQ(fields[0].bytes, "row " + std::string(fields[1].bytes));
      EXPECT_EQ(fields[2].kind == FieldKind::kNull, out.back() % 7 == 0);
    }));
    return out;
  }

  std::filesystem::path dir_;
};

TEST_F(ResultFileTest, ReadsAnyRangeAcrossIndexBlocks) {
  const std::int64_t n = 3 * kIndexStride + 5;
  write(n);
  auto reader = ResultReader::open(resultPath(dir_, 1));
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->rows(), n);
  EXPECT_EQ(reader->columns(), 3u);
  for (const std::int64_t first :
       {std::int64_t{0}, kIndexStride - 1, kIndexStride, 2 * kIndexStride + 17, n - 1}) {
    const auto got = read(first, 10);
    const std::int64_t expected = std::min<std::int64_t>(10, n - first);
    ASSERT_EQ(static_cast<std::int64_t>(got.size()), expected) << first;
    for (std::int64_t i = 0; i < expected; ++i)
      EXPECT_EQ(got[static_cast<std::size_t>(i)], first + i);
  }
  EXPECT_TRUE(read(n, 10).empty());
  EXPECT_EQ(read(0, n + 100).size(), static_cast<std::size_t>(n));
}

TEST_F(ResultFileTest, EmptyResultHasNoRows) {
  write(0);
  auto reader = ResultReader::open(resultPath(dir_, 1));
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->rows(), 0);
  EXPECT_TRUE(read(0, 5).empty());
}

TEST_F(ResultFileTest, AnUncommittedWriterLeavesNothing) {
  {
    auto writer = ResultWriter::create(resultPath(dir_, 1), 1);
    ASSERT_TRUE(writer);
    const Field row[] = {text("a")};
    ASSERT_TRUE(writer->append(row));
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
  auto reader = ResultReader::open(resultPath(dir_, 1));
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, core::Errc::kNotFound);
}

TEST_F(ResultFileTest, DetectsATruncatedFile) {
  write(100);
  const auto path = resultPath(dir_, 1);
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
  auto reader = ResultReader::open(path);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, core::Errc::kInternal);
}

TEST_F(ResultFileTest, RemoveResultDeletesCompleteAndPartialFiles) {
  write(3);
  std::ofstream(resultPath(dir_, 1).string() + ".partial") << "x";
  removeResult(dir_, 1);
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
}

}  // namespace
}  // namespace keygate::services::raas
