// Entry point of keygate_microbench: Google Benchmark's usual main, so every standard flag
// (--benchmark_filter, --benchmark_min_time, --benchmark_format=json, ...) works, after one
// change: the set-up's log lines (SQLite migrations, "opened database") go to stderr, so
// stdout carries only the report and --benchmark_format=json stays parseable.
#include <benchmark/benchmark.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("keygate_microbench"));
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
