// Result files of report runs (see result_file.h).
#include "services/raas/result_file.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <system_error>
#include <utility>

namespace keygate::services::raas {
namespace {

constexpr std::string_view kHeaderMagic = "KGRAAS1\n";
constexpr std::string_view kFooterMagic = "KGRAEND\n";
constexpr std::size_t kHeaderSize = 8 + 4;
constexpr std::size_t kFooterSize = 8 + 8 + 8;
// Large sequential writes and reads: one system call per this many bytes.
constexpr std::size_t kBufferSize = 1 << 20;
// A row of at most 100 columns of at most a few kilobytes each; anything far larger means
// the file is damaged.
constexpr std::uint32_t kMaxRowBytes = 64u << 20;

core::Error ioError(std::string_view what, const std::filesystem::path& path, int error_number) {
  return core::makeError(core::Errc::kInternal, "The report result could not be stored or read.",
                         std::string(what) + " " + path.string() + ": " +
                             std::generic_category().message(error_number));
}

core::Error damaged(const std::filesystem::path& path, std::string_view what) {
  return core::makeError(core::Errc::kInternal, "The report result is damaged.",
                         "raas result " + path.string() + ": " + std::string(what));
}

void putU32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void putU64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::uint32_t getU32(const unsigned char* p) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

std::uint64_t getU64(const unsigned char* p) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

std::filesystem::path partialPath(const std::filesystem::path& path) {
  auto partial = path;
  partial += ".partial";
  return partial;
}

}  // namespace

void FileCloser::operator()(std::FILE* file) const noexcept {
  // Write errors were checked at fflush in commit(); a reader's close cannot lose data.
  std::fclose(file);
}

// ---- ResultWriter ----

ResultWriter::ResultWriter(std::filesystem::path path, FileHandle file, std::size_t columns)
    : path_(std::move(path)),
      partial_(partialPath(path_)),
      file_(std::move(file)),
      columns_(columns) {}

ResultWriter::ResultWriter(ResultWriter&& other) noexcept
    : path_(std::move(other.path_)),
      partial_(std::move(other.partial_)),
      file_(std::move(other.file_)),
      columns_(other.columns_),
      rows_(other.rows_),
      offset_(other.offset_),
      index_(std::move(other.index_)),
      row_(std::move(other.row_)),
      committed_(std::exchange(other.committed_, true)) {}

ResultWriter::~ResultWriter() {
  if (committed_) return;
  file_.reset();
  std::error_code ec;
  std::filesystem::remove(partial_, ec);  // best effort: a leftover is replaced next time
}

core::Result<ResultWriter> ResultWriter::create(const std::filesystem::path& path,
                                                std::size_t columns) {
  const auto partial = partialPath(path);
  errno = 0;
  FileHandle file(std::fopen(partial.c_str(), "wb"));
  if (!file) return ioError("create", partial, errno);
  if (std::setvbuf(file.get(), nullptr, _IOFBF, kBufferSize) != 0)
    return ioError("buffer", partial, errno);
  ResultWriter writer(path, std::move(file), columns);
  std::string header(kHeaderMagic);
  putU32(header, static_cast<std::uint32_t>(columns));
  KG_TRY(writer.write(header));
  return writer;
}

core::Status ResultWriter::write(std::string_view bytes) {
  if (bytes.empty()) return core::ok();
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size())
    return ioError("write", partial_, errno);
  offset_ += bytes.size();
  return core::ok();
}

core::Status ResultWriter::append(std::span<const Field> fields) {
  if (fields.size() != columns_)
    return core::makeError(core::Errc::kInternal, "The report result could not be stored.",
                           "raas result: row of " + std::to_string(fields.size()) +
                               " fields, expected " + std::to_string(columns_));
  if (rows_ % kIndexStride == 0) index_.push_back(offset_);
  row_.clear();
  putU32(row_, 0);  // payload size, patched below
  for (const auto& field : fields) {
    row_.push_back(static_cast<char>(field.kind));
    if (field.kind == FieldKind::kNull) continue;
    if (field.bytes.size() > kMaxRowBytes)
      return core::makeError(
          core::Errc::kInternal, "A report value is too large.",
          "raas result: field of " + std::to_string(field.bytes.size()) + " bytes");
    putU32(row_, static_cast<std::uint32_t>(field.bytes.size()));
    row_.append(field.bytes);
  }
  const std::size_t payload = row_.size() - 4;
  if (payload > kMaxRowBytes)
    return core::makeError(core::Errc::kInternal, "A report row is too large.",
                           "raas result: row of " + std::to_string(payload) + " bytes");
  for (int i = 0; i < 4; ++i)
    row_[static_cast<std::size_t>(i)] = static_cast<char>((payload >> (8 * i)) & 0xff);
  KG_TRY(write(row_));
  ++rows_;
  return core::ok();
}

core::Status ResultWriter::commit() {
  const std::uint64_t index_offset = offset_;
  std::string tail;
  tail.reserve(index_.size() * 8 + kFooterSize);
  for (const auto offset : index_) putU64(tail, offset);
  putU64(tail, static_cast<std::uint64_t>(rows_));
  putU64(tail, index_offset);
  tail += kFooterMagic;
  KG_TRY(write(tail));
  if (std::fflush(file_.get()) != 0) return ioError("flush", partial_, errno);
  // Durable before the run is marked completed: a crash must never leave a "completed" run
  // whose rows are still in the page cache.
  if (::fsync(::fileno(file_.get())) != 0) return ioError("sync", partial_, errno);
  std::FILE* raw = file_.release();
  if (std::fclose(raw) != 0) return ioError("close", partial_, errno);
  std::error_code ec;
  std::filesystem::rename(partial_, path_, ec);
  if (ec) return ioError("rename", partial_, ec.value());
  committed_ = true;
  return core::ok();
}

// ---- ResultReader ----

core::Result<ResultReader> ResultReader::open(const std::filesystem::path& path) {
  errno = 0;
  FileHandle file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    if (errno == ENOENT)
      return core::makeError(core::Errc::kNotFound,
                             "The result of this run is no longer available.");
    return ioError("open", path, errno);
  }
  ResultReader reader(path, std::move(file));
  std::array<unsigned char, kHeaderSize> header{};
  KG_TRY(reader.readExact(header.data(), header.size()));
  if (std::memcmp(header.data(), kHeaderMagic.data(), kHeaderMagic.size()) != 0)
    return damaged(path, "bad header");
  reader.columns_ = getU32(header.data() + 8);

  if (std::fseek(reader.file_.get(), -static_cast<long>(kFooterSize), SEEK_END) != 0)
    return damaged(path, "too short");
  const long end = std::ftell(reader.file_.get());
  std::array<unsigned char, kFooterSize> footer{};
  KG_TRY(reader.readExact(footer.data(), footer.size()));
  if (std::memcmp(footer.data() + 16, kFooterMagic.data(), kFooterMagic.size()) != 0)
    return damaged(path, "bad footer");
  const std::uint64_t rows = getU64(footer.data());
  reader.index_offset_ = getU64(footer.data() + 8);
  const std::uint64_t index_entries = (rows + kIndexStride - 1) / kIndexStride;
  if (rows > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ||
      reader.index_offset_ < kHeaderSize || end < 0 ||
      reader.index_offset_ + index_entries * 8 != static_cast<std::uint64_t>(end))
    return damaged(path, "inconsistent footer");
  reader.rows_ = static_cast<std::int64_t>(rows);
  return reader;
}

core::Status ResultReader::readExact(void* out, std::size_t size) {
  if (std::fread(out, 1, size, file_.get()) != size) {
    if (std::feof(file_.get())) return damaged(path_, "truncated");
    return ioError("read", path_, errno);
  }
  return core::ok();
}

core::Status ResultReader::seek(std::uint64_t offset) {
  if (offset > static_cast<std::uint64_t>(std::numeric_limits<long>::max()))
    return damaged(path_, "offset out of range");
  if (std::fseek(file_.get(), static_cast<long>(offset), SEEK_SET) != 0)
    return ioError("seek", path_, errno);
  return core::ok();
}

core::Status ResultReader::read(std::int64_t first, std::int64_t count,
                                const std::function<void(std::span<const Field>)>& fn) {
  if (first < 0 || count <= 0 || first >= rows_) return core::ok();
  const std::int64_t last = count > rows_ - first ? rows_ : first + count;
  const std::int64_t block = first / kIndexStride;
  std::array<unsigned char, 8> entry{};
  KG_TRY(seek(index_offset_ + static_cast<std::uint64_t>(block) * 8));
  KG_TRY(readExact(entry.data(), entry.size()));
  const std::uint64_t block_offset = getU64(entry.data());
  if (block_offset < kHeaderSize || block_offset >= index_offset_)
    return damaged(path_, "bad index entry");
  KG_TRY(seek(block_offset));

  std::array<unsigned char, 4> size_bytes{};
  // Skip the rows of the block before `first` by their sizes alone.
  for (std::int64_t row = block * kIndexStride; row < first; ++row) {
    KG_TRY(readExact(size_bytes.data(), size_bytes.size()));
    const std::uint32_t size = getU32(size_bytes.data());
    if (size > kMaxRowBytes) return damaged(path_, "row too large");
    if (std::fseek(file_.get(), static_cast<long>(size), SEEK_CUR) != 0)
      return ioError("seek", path_, errno);
  }
  fields_.resize(columns_);
  for (std::int64_t row = first; row < last; ++row) {
    KG_TRY(readExact(size_bytes.data(), size_bytes.size()));
    const std::uint32_t size = getU32(size_bytes.data());
    if (size > kMaxRowBytes) return damaged(path_, "row too large");
    row_.resize(size);
    if (size > 0) KG_TRY(readExact(row_.data(), size));
    const auto* p = reinterpret_cast<const unsigned char*>(row_.data());
    const auto* end = p + size;
    for (std::size_t i = 0; i < columns_; ++i) {
      if (p >= end) return damaged(path_, "short row");
      const auto kind = static_cast<FieldKind>(*p++);
      if (kind == FieldKind::kNull) {
        fields_[i] = Field{};
        continue;
      }
      if ((kind != FieldKind::kText && kind != FieldKind::kRaw) || end - p < 4)
        return damaged(path_, "bad field");
      const std::uint32_t length = getU32(p);
      p += 4;
      if (static_cast<std::uint64_t>(end - p) < length) return damaged(path_, "field overruns row");
      fields_[i] = Field{kind, std::string_view(reinterpret_cast<const char*>(p), length)};
      p += length;
    }
    if (p != end) return damaged(path_, "trailing bytes in row");
    fn(fields_);
  }
  return core::ok();
}

std::filesystem::path resultPath(const std::filesystem::path& directory, std::int64_t run_id) {
  return directory / ("run-" + std::to_string(run_id) + ".kgr");
}

void removeResult(const std::filesystem::path& directory, std::int64_t run_id) {
  const auto path = resultPath(directory, run_id);
  std::error_code ec;
  std::filesystem::remove(path, ec);
  std::filesystem::remove(partialPath(path), ec);
}

}  // namespace keygate::services::raas
