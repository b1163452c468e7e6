# frozen_string_literal: true

require_relative "helper"

# Catalogs loaded from files, edited and written back.
class TestIo < Minitest::Test
  def setup
    @dir = Dir.mktmpdir("flowspec-io-")
  end

  def teardown
    FileUtils.remove_entry(@dir)
  end

  def golden(*path) = File.join(FlowspecTest::GOLDEN, *path)

  def test_a_loaded_catalog_is_written_back_as_it_was
    catalog = Flowspec::Catalog.load(golden("many-tables", "flow.yaml"))
    assert_equal "Catalog(1 capture, 25 collections, 1 materialization, 0 tests)", catalog.inspect
    target = File.join(@dir, "flow.yaml")
    assert_equal [target], catalog.write(target)
    assert_equal File.binread(golden("many-tables", "flow.yaml")), File.binread(target)
  ensure
    catalog&.close
  end

  def test_load_edit_write
    %w[flow.yaml full-outer-join.flow.ts line-item-totals.flow.ts].each do |file|
      FileUtils.cp(golden("cicd", file), @dir)
    end
    target = File.join(@dir, "flow.yaml")
    catalog = Flowspec::Catalog.load(target)
    assert_equal "Catalog(1 capture, 9 collections, 1 materialization, 1 test)", catalog.inspect

    assert_equal true, catalog.tests.fetch("acmeCo/tests/example").remove
    catalog.collection("acmeCo/ci-cd/refunds", key: ["/id"],
                                               schema: { type: "object", required: ["id"], properties: { id: { type: "string" } } })
    catalog.captures.fetch("acmeCo/ci-cd/source-stripe-native")
           .binding(resource: { stream: "refunds", syncMode: "incremental" }, target: "acmeCo/ci-cd/refunds")
    catalog.validate
    catalog.write(target, plaintext_secrets: true)

    expected = File.read(golden("cicd", "flow.yaml"))
    expected = expected.sub(/^tests:\n.*\z/m, "")
    expected = expected.sub("        target: acmeCo/ci-cd/stripe_plans\n", <<-YAML)
        target: acmeCo/ci-cd/stripe_plans
      - resource:
          stream: refunds
          syncMode: incremental
        target: acmeCo/ci-cd/refunds
    YAML
    # Collections are written in the order of their names.
    expected = expected.sub("  acmeCo/ci-cd/stripe_charges:\n", <<-YAML)
  acmeCo/ci-cd/refunds:
    schema:
      type: object
      required:
        - id
      properties:
        id:
          type: string
    key:
      - /id
  acmeCo/ci-cd/stripe_charges:
    YAML
    assert_equal expected, File.read(target)

    again = Flowspec::Catalog.load(target)
    assert_equal catalog.names("collection"), again.names("collection")
    assert_equal [], again.names("test")
    assert_equal "Derivation(acmeCo/customers-with-orders)", again.collections.fetch("acmeCo/customers-with-orders").inspect
  ensure
    catalog&.close
    again&.close
  end

  def test_file_references_of_a_loaded_catalog
    File.write(File.join(@dir, "greeting.schema.yaml"), "type: object\nproperties:\n  id: {type: integer}\nrequired: [id]\n")
    File.write(File.join(@dir, "flow.yaml"), <<~YAML)
      collections:
        acmeCo/greetings:
          schema: greeting.schema.yaml
          key: [/id]
    YAML
    catalog = Flowspec::Catalog.load(File.join(@dir, "flow.yaml"))
    assert_equal [], catalog.validate
    # The spec holds the schema the file holds...
    assert_equal({ "schema" => { "type" => "object", "properties" => { "id" => { "type" => "integer" } },
                                 "required" => ["id"] },
                   "key" => ["/id"] }, catalog.get_spec("collection", "acmeCo/greetings"))
    # ...and is written with the reference, relative to where it is written.
    target = File.join(@dir, "elsewhere", "flow.yaml")
    assert_equal [target], catalog.write(target)
    assert_equal "# yaml-language-server: $schema=https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json\n" \
                 "collections:\n  acmeCo/greetings:\n    schema: ../greeting.schema.yaml\n    key:\n      - /id\n",
                 File.read(target)
  ensure
    catalog&.close
  end

  def test_base_dir_is_where_relative_references_resolve
    schema_file = File.join(@dir, "greeting.schema.json")
    File.write(schema_file, '{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}')
    catalog = Flowspec::Catalog.new(base_dir: @dir)
    catalog.collection("acmeCo/greetings", key: ["/id"], schema: "greeting.schema.json")
    assert_equal [], catalog.validate
    assert_equal "greeting.schema.json", catalog.get_spec("collection", "acmeCo/greetings")["schema"]
    bundle = catalog.bundle
    url = "file://#{schema_file}"
    assert_equal({ "$ref" => url,
                   "$defs" => { url => { "$id" => url, "type" => "object", "required" => ["id"],
                                         "properties" => { "id" => { "type" => "string" } } } } },
                 bundle.get_spec("collection", "acmeCo/greetings")["schema"])

    elsewhere = Flowspec::Catalog.new(base_dir: File.join(@dir, "nothing-here"))
    elsewhere.collection("acmeCo/greetings", key: ["/id"], schema: "greeting.schema.json")
    error = assert_raises(Flowspec::ValidationError) { elsewhere.validate }
    assert_equal ["read_failed"], error.diagnostics.map(&:code)
    assert_equal "flow://catalog#/collections/acmeCo~1greetings/schema", error.diagnostics.first.scope
    assert_equal "failed to read file://#{@dir}/nothing-here/greeting.schema.json: No such file or directory (os error 2)",
                 error.diagnostics.first.message
  ensure
    [catalog, bundle, elsewhere].compact.each(&:close)
  end

  def test_canonical_layout_and_prune
    catalog = FlowspecTest.greetings_catalog
    root = File.join(@dir, "canonical")
    target = File.join(root, "flow.yaml")
    written = catalog.write(target, layout: "canonical", plaintext_secrets: true)
    assert_equal %w[acmeCo/flow.yaml acmeCo/tests/flow.yaml flow.yaml], written.map { |f| f.delete_prefix("#{root}/") }
    assert_equal "# yaml-language-server: $schema=https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json\n" \
                 "import:\n  - acmeCo/flow.yaml\n", File.read(target)
    assert_match(/\A# yaml-language-server: .*\nimport:\n  - tests\/flow.yaml\ncaptures:\n/,
                 File.read(File.join(root, "acmeCo", "flow.yaml")))

    loaded = Flowspec::Catalog.load(target)
    assert_equal FlowspecTest.greetings_catalog.names("collection"), loaded.names("collection")
    loaded.remove_spec("test", "acmeCo/tests/shouts")
    stale = File.join(root, "acmeCo", "tests", "flow.yaml")
    assert_output(nil, "warning: 1 file of the catalog previously written here is no longer used: #{stale}; " \
                       "remove it by writing with prune\n") do
      loaded.write(target, layout: "canonical", plaintext_secrets: true)
    end
    assert File.exist?(stale)
    assert_output(nil, "") { loaded.write(target, layout: "canonical", plaintext_secrets: true, prune: true) }
    refute File.exist?(stale)
  ensure
    catalog&.close
    loaded&.close
  end

  def test_json_files
    catalog = FlowspecTest.greetings_catalog
    target = File.join(@dir, "flow.json")
    catalog.write(target, plaintext_secrets: true)
    assert_equal catalog.to_json(plaintext_secrets: true), File.read(target)
    assert_equal catalog.names("collection"), Flowspec::Catalog.load(target).names("collection")
  ensure
    catalog&.close
  end
end
