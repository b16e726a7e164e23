// The SQL migrations of migrations/sqlite, compiled into the binary (CMake generates their
// definition at configure time), so a deployed keygate never reads schema files at run time.
#pragma once

#include <span>
#include <string_view>

namespace keygate::storage::sqlite {

struct Migration {
  int version;            // the file's number: 0001_initial.sql is version 1
  std::string_view name;  // the file name without ".sql"
  std::string_view sql;   // the file's text, run as one script inside one transaction
};

// Every embedded migration, in strictly increasing version order (checked by CMake).
std::span<const Migration> embeddedMigrations();

}  // namespace keygate::storage::sqlite
