#!/usr/bin/env ruby
# frozen_string_literal: true

# "Many tables": a Postgres capture of N tables into N collections whose
# schemas are generated from a table description, and a Snowflake
# materialization of all of them.
#
# The table description stands in for what a script would read from the
# database's information_schema; the Rust, TypeScript and Python versions of
# this example generate exactly the same one, so all of them write the same
# flow.yaml.
#
# Usage: ruby examples/ruby/many_tables.rb [N] [OUT_DIR] (default 25 tables
# into out/ruby/many-tables).

require "flowspec"

module ManyTables
  # A column of a table: its name, Postgres type, and whether it is nullable.
  Column = Struct.new(:name, :type, :nullable)

  # A table of the source database.
  Table = Struct.new(:name, :columns)

  # The columns of which each table has one, in turn.
  EXTRAS = [
    Column.new("active", "boolean", true),
    Column.new("quantity", "integer", true),
    Column.new("note", "text", true),
    Column.new("attributes", "jsonb", true)
  ].freeze

  # Postgres types as JSON schema types, and their formats.
  TYPES = {
    "bigint" => ["integer", nil],
    "integer" => ["integer", nil],
    "numeric" => ["number", nil],
    "text" => ["string", nil],
    "boolean" => ["boolean", nil],
    "timestamptz" => ["string", "date-time"]
  }.freeze

  module_function

  # The description of the source database: +n+ tables table_0000,
  # table_0001, ... with five common columns and one that varies.
  #
  #   ManyTables.describe_tables(2).map(&:name) # => ["table_0000", "table_0001"]
  def describe_tables(n)
    Array.new(n) do |i|
      Table.new(
        format("table_%04d", i),
        [
          Column.new("id", "bigint", false),
          Column.new("name", "text", false),
          Column.new("amount", "numeric", true),
          Column.new("created_at", "timestamptz", false),
          Column.new("updated_at", "timestamptz", true),
          EXTRAS[i % 4]
        ]
      )
    end
  end

  # The JSON schema of a Postgres column type (jsonb: any JSON value).
  #
  #   ManyTables.column_schema("timestamptz", true)
  #   # => {"type"=>["string", "null"], "format"=>"date-time"}
  def column_schema(pg_type, nullable)
    type, format = TYPES[pg_type]
    return {} unless type

    schema = { "type" => nullable ? [type, "null"] : type }
    schema["format"] = format if format
    schema
  end

  # The collection schema of a table.
  def table_schema(table)
    {
      "type" => "object",
      "properties" => table.columns.to_h { |c| [c.name, column_schema(c.type, c.nullable)] },
      "required" => table.columns.reject(&:nullable).map(&:name)
    }
  end

  # Builds the catalog for +n+ tables.
  #
  #   cat = ManyTables.catalog(3)
  #   cat.collections.size # => 3
  def catalog(n)
    cat = Flowspec::Catalog.new
    capture = cat.capture(
      "acmeCo/many-tables/source-postgres",
      image: "ghcr.io/estuary/source-postgres:v1",
      config: {
        address: "postgres.example.com:5432",
        database: "app",
        user: "flow_capture",
        password: "change-me"
      }
    )
    materialization = cat.materialization(
      "acmeCo/many-tables/materialize-snowflake",
      image: "ghcr.io/estuary/materialize-snowflake:v1",
      config: {
        host: "orgname-accountname.snowflakecomputing.com",
        database: "analytics",
        schema: "many_tables",
        warehouse: "loading"
      }
    )
    describe_tables(n).each do |table|
      collection = "acmeCo/many-tables/#{table.name}"
      capture.binding(resource: { namespace: "public", stream: table.name }, target: collection)
      materialization.binding(resource: { table: table.name }, source: collection)
      cat.collection(collection, schema: table_schema(table), key: ["/id"])
    end
    cat
  end

  def main(argv)
    n = argv[0] ? Integer(argv[0], 10) : 25
    raise ArgumentError, "N must not be negative" if n.negative?
  rescue ArgumentError => e
    warn "error: N must be a number of tables: #{e.message}"
    2
  else
    out = argv[1] || "out/ruby/many-tables"
    begin
      cat = catalog(n)
      cat.validate
      written = cat.write(File.join(out, "flow.yaml"), layout: "flat")
    rescue Flowspec::Error => e
      warn "error[#{e.code}]: #{e.message}"
      return 1
    end
    puts "#{n} tables: valid"
    written.each { |path| puts "wrote #{path}" }
    0
  end
end

exit(ManyTables.main(ARGV)) if $PROGRAM_NAME == __FILE__
