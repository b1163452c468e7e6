# frozen_string_literal: true

# What the tests share: minitest, the binding, and a small catalog.

require "English"
require "minitest/autorun"
require "fileutils"
require "json"
require "open3"
require "rbconfig"
require "tmpdir"
require "flowspec"

module FlowspecTest
  # The repository's root.
  ROOT = File.expand_path("../../..", __dir__)

  # The golden files the examples of every language write.
  GOLDEN = File.join(ROOT, "tests", "golden")

  # The schema of the greetings.
  GREETING_SCHEMA = {
    type: "object",
    properties: { id: { type: "integer" }, message: { type: "string" } },
    required: %w[id message]
  }.freeze

  module_function

  # A small catalog: a capture of greetings, a collection, a SQLite
  # derivation of it, a materialization and a test.
  def greetings_catalog(**options)
    catalog = Flowspec::Catalog.new(**options)
    catalog.capture("acmeCo/source-hello", image: "ghcr.io/estuary/source-hello-world:dev", config: { rate: 1 })
           .binding(resource: { name: "greetings" }, target: "acmeCo/greetings")
    catalog.collection("acmeCo/greetings", key: ["/id"], schema: GREETING_SCHEMA)
    catalog.derivation("acmeCo/shouts", key: ["/id"], schema: GREETING_SCHEMA, sqlite: [])
           .transform(name: "fromGreetings", source: "acmeCo/greetings", shuffle: ["/id"],
                      lambda: "SELECT $id AS id, upper($message) AS message;")
    catalog.materialization("acmeCo/postgres", image: "ghcr.io/estuary/materialize-postgres:dev",
                                               config: { address: "localhost:5432", database: "postgres", user: "flow",
                                                        password: Flowspec.secret("hunter2") })
           .binding(resource: { table: "shouts" }, source: "acmeCo/shouts")
    catalog.test("acmeCo/tests/shouts", description: "Greetings are shouted.")
           .ingest(collection: "acmeCo/greetings", documents: [{ id: 1, message: "hello" }])
           .verify(collection: "acmeCo/shouts", documents: [{ id: 1, message: "HELLO" }])
    catalog
  end
end
