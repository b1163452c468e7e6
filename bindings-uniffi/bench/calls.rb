# frozen_string_literal: true

# The cost of one call of the Ruby binding, in microseconds: a bare round
# trip to the native library (+names+), and a DSL call with options
# (+collection+, whose options cross as JSON). Median of RUNS runs of CALLS
# calls each. scripts/bench-uniffi.sh runs it beside Calls.kt and calls.py.
#
# Usage: ruby calls.rb [CALLS] [RUNS]
require "flowspec"

def median(runs, calls)
  times = Array.new(runs) do
    start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    yield calls
    (Process.clock_gettime(Process::CLOCK_MONOTONIC) - start) * 1e6 / calls
  end
  times.sort[runs / 2]
end

calls = Integer(ARGV.fetch(0, "10000"))
runs = Integer(ARGV.fetch(1, "5"))
schema = { type: "object", properties: { id: { type: "integer" } } }
names = Flowspec::Catalog.open do |catalog|
  median(runs, calls) { |n| n.times { catalog.names("test") } }
end
adds = median(runs, calls) do |n|
  Flowspec::Catalog.open { |catalog| n.times { |i| catalog.collection("acmeCo/t#{i}", schema: schema, key: ["/id"]) } }
end
puts format("names %.2f", names)
puts format("collection %.2f", adds)
