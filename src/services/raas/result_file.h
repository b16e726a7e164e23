// The stored result of one report run: a file of rendered rows under the results directory,
// written sequentially while the run streams and read back one page at a time, so neither
// side ever holds more than a page (DESIGN §4.1, §7). A sparse index of row offsets at the
// end of the file lets a reader seek to any page without scanning the rows before it.
//
// Layout (integers little-endian):
//   "KGRAAS1\n", u32 column count
//   per row: u32 payload size, then per field: u8 kind ('n' null, 's' text, 'r' raw JSON
//            number), and for 's'/'r' a u32 size and the bytes
//   index:  u64 offset of every kIndexStride-th row (0, stride, 2·stride, …)
//   footer: u64 row count, u64 index offset, "KGRAEND\n"
// The writer fills "<path>.partial" and renames it into place only once complete, so a
// reader never sees a half-written result.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace keygate::services::raas {

enum class FieldKind : char { kNull = 'n', kText = 's', kRaw = 'r' };

// One rendered value: text to quote/escape, or a raw JSON number written as it is.
struct Field {
  FieldKind kind = FieldKind::kNull;
  std::string_view bytes;
};

inline constexpr std::int64_t kIndexStride = 1024;

struct FileCloser {
  void operator()(std::FILE* file) const noexcept;
};
using FileHandle = std::unique_ptr<std::FILE, FileCloser>;

class ResultWriter {
 public:
  // Creates "<path>.partial" (replacing any leftover of an interrupted attempt).
  static core::Result<ResultWriter> create(const std::filesystem::path& path, std::size_t columns);
  ResultWriter(ResultWriter&& other) noexcept;
  ResultWriter& operator=(ResultWriter&&) = delete;
  ResultWriter(const ResultWriter&) = delete;
  ResultWriter& operator=(const ResultWriter&) = delete;
  // Removes the partial file unless commit() succeeded.
  ~ResultWriter();

  core::Status append(std::span<const Field> fields);
  // Writes the index and footer, syncs the file to disk and renames it into place.
  core::Status commit();
  std::int64_t rows() const { return rows_; }

 private:
  ResultWriter(std::filesystem::path path, FileHandle file, std::size_t columns);
  core::Status write(std::string_view bytes);

  std::filesystem::path path_;
  std::filesystem::path partial_;
  FileHandle file_;
  std::size_t columns_ = 0;
  std::int64_t rows_ = 0;
  std::uint64_t offset_ = 0;
  std::vector<std::uint64_t> index_;  // 8 bytes per kIndexStride rows
  std::string row_;                   // the row being encoded, reused
  bool committed_ = false;
};

class ResultReader {
 public:
  // kNotFound when there is no complete result at `path`; kInternal when it is damaged.
  static core::Result<ResultReader> open(const std::filesystem::path& path);

  std::int64_t rows() const { return rows_; }
  std::size_t columns() const { return columns_; }
  // Calls fn for rows [first, first + count) that exist, in order.
  core::Status read(std::int64_t first, std::int64_t count,
                    const std::function<void(std::span<const Field>)>& fn);

 private:
  ResultReader(std::filesystem::path path, FileHandle file)
      : path_(std::move(path)), file_(std::move(file)) {}
  core::Status readExact(void* out, std::size_t size);
  core::Status seek(std::uint64_t offset);

  std::filesystem::path path_;
  FileHandle file_;
  std::size_t columns_ = 0;
  std::int64_t rows_ = 0;
  std::uint64_t index_offset_ = 0;
  std::string row_;
  std::vector<Field> fields_;
};

// The result file of a run inside the results directory.
std::filesystem::path resultPath(const std::filesystem::path& directory, std::int64_t run_id);
// Removes a run's result (complete or partial); a missing file is not an error.
void removeResult(const std::filesystem::path& directory, std::int64_t run_id);

}  // namespace keygate::services::raas
