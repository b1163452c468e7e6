# frozen_string_literal: true

require_relative "helper"

# Building catalogs: the specs, their YAML and JSON, reading and removing them.
class TestFlowspec < Minitest::Test
  GREETINGS_YAML = <<~YAML
    # yaml-language-server: $schema=https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json
    captures:
      acmeCo/source-hello:
        endpoint:
          connector:
            image: ghcr.io/estuary/source-hello-world:dev
            config:
              rate: 1
        bindings:
          - resource:
              name: greetings
            target: acmeCo/greetings
    collections:
      acmeCo/greetings:
        schema:
          type: object
          properties:
            id:
              type: integer
            message:
              type: string
          required:
            - id
            - message
        key:
          - /id
      acmeCo/shouts:
        schema:
          type: object
          properties:
            id:
              type: integer
            message:
              type: string
          required:
            - id
            - message
        key:
          - /id
        derive:
          using:
            sqlite:
              migrations: []
          transforms:
            - name: fromGreetings
              source: acmeCo/greetings
              shuffle:
                key:
                  - /id
              lambda: SELECT $id AS id, upper($message) AS message;
    materializations:
      acmeCo/postgres:
        endpoint:
          connector:
            image: ghcr.io/estuary/materialize-postgres:dev
            config:
              address: localhost:5432
              database: postgres
              user: flow
              password_sops: hunter2
        bindings:
          - resource:
              table: shouts
            source: acmeCo/shouts
    tests:
      acmeCo/tests/shouts:
        description: Greetings are shouted.
        steps:
          - ingest:
              collection: acmeCo/greetings
              documents:
                - id: 1
                  message: hello
          - verify:
              collection: acmeCo/shouts
              documents:
                - id: 1
                  message: HELLO
  YAML

  def setup
    @catalog = FlowspecTest.greetings_catalog
  end

  def teardown
    @catalog.close
  end

  def test_yaml_of_a_small_catalog
    assert_equal GREETINGS_YAML, @catalog.to_yaml(plaintext_secrets: true)
  end

  def test_json_of_a_small_catalog
    document = JSON.parse(@catalog.to_json(plaintext_secrets: true))
    assert_equal "https://raw.githubusercontent.com/flowspec/flowspec/v0.1.0/flow.schema.json", document["$schema"]
    assert_equal %w[$schema captures collections materializations tests], document.keys
    assert_equal({ "table" => "shouts" }, document.dig("materializations", "acmeCo/postgres", "bindings", 0, "resource"))
    assert_equal "hunter2", document.dig("materializations", "acmeCo/postgres", "endpoint", "connector", "config",
                                         "password_sops")
  end

  def test_it_is_valid_and_its_test_passes
    assert_equal [], @catalog.validate
    results = @catalog.run_tests
    assert_equal true, results["ok"]
    assert_equal 1, results["passed"]
    assert_equal 0, results["failed"]
    assert_equal "Ran 1 tests, 1 passed, 0 failed", results["summary"]
    assert_equal [{ "test" => "acmeCo/tests/shouts", "scope" => "flow://catalog#/tests/acmeCo~1tests~1shouts",
                    "path" => "flow://catalog", "passed" => true }], results["tests"]
    assert_equal "Running  1  tests...\n✔️ flow://catalog :: acmeCo/tests/shouts\n\nRan 1 tests, 1 passed, 0 failed\n",
                 results["report"]
  end

  def test_a_failing_test_is_reported
    @catalog.test("acmeCo/tests/whispers")
            .ingest(collection: "acmeCo/greetings", documents: [{ id: 2, message: "psst" }])
            .verify(collection: "acmeCo/shouts", documents: [{ id: 2, message: "psst" }])
    results = @catalog.run_tests(tests: ["acmeCo/tests/whispers"])
    assert_equal false, results["ok"]
    assert_equal [0, 1], [results["passed"], results["failed"]]
    failure = results["tests"].fetch(0).fetch("failure")
    assert_equal 1, failure["step"]
    assert_equal "flow://catalog#/tests/acmeCo~1tests~1whispers/steps/1", failure["scope"]
  end

  def test_specs_by_kind_and_name
    assert_equal "Catalog(1 capture, 2 collections, 1 materialization, 1 test)", @catalog.inspect
    assert_equal ["acmeCo/source-hello"], @catalog.captures.keys
    assert_equal({ "acmeCo/greetings" => Flowspec::Collection, "acmeCo/shouts" => Flowspec::Derivation },
                 @catalog.collections.transform_values(&:class))
    assert_equal ["acmeCo/postgres"], @catalog.materializations.keys
    assert_equal ["acmeCo/tests/shouts"], @catalog.tests.keys
    assert_equal %w[acmeCo/greetings acmeCo/shouts], @catalog.names("collection")

    capture = @catalog.captures.fetch("acmeCo/source-hello")
    assert_equal "Capture(acmeCo/source-hello)", capture.inspect
    assert_equal "capture", capture.kind
    assert_equal capture, Flowspec::Capture.new(@catalog, "acmeCo/source-hello")
    assert_equal({ "endpoint" => { "connector" => { "image" => "ghcr.io/estuary/source-hello-world:dev",
                                                     "config" => { "rate" => 1 } } },
                   "bindings" => [{ "resource" => { "name" => "greetings" }, "target" => "acmeCo/greetings" }] },
                 capture.spec)
    assert_equal "Derivation(acmeCo/shouts)", @catalog.collections.fetch("acmeCo/shouts").to_s
    assert_equal "collection", @catalog.collections.fetch("acmeCo/shouts").kind
  end

  def test_a_method_returns_the_spec_to_chain_parts
    capture = @catalog.capture("acmeCo/source-more", image: "ghcr.io/estuary/source-hello-world:dev")
    assert_same capture, capture.binding(resource: { name: "a" }, target: "acmeCo/greetings")
    capture.binding(resource: { name: "b" }, target: "acmeCo/greetings", disable: true)
    assert_equal [{ "resource" => { "name" => "a" }, "target" => "acmeCo/greetings" },
                  { "resource" => { "name" => "b" }, "target" => "acmeCo/greetings", "disable" => true }],
                 capture.spec["bindings"]
  end

  def test_symbol_and_string_keys_are_the_same
    a = Flowspec::Catalog.new
    b = Flowspec::Catalog.new
    a.collection("acmeCo/x", key: ["/id"], schema: { type: "object", required: [:id] })
    b.collection("acmeCo/x", key: ["/id"], schema: { "type" => "object", "required" => ["id"] })
    assert_equal b.to_yaml, a.to_yaml
    assert_equal({ "type" => "object", "required" => ["id"] }, a.collections.fetch("acmeCo/x").spec["schema"])
  ensure
    a&.close
    b&.close
  end

  def test_omitted_options_are_not_sent
    @catalog.test("acmeCo/tests/bare")
    assert_equal({ "steps" => [] }, @catalog.tests.fetch("acmeCo/tests/bare").spec)
  end

  def test_get_set_and_remove_specs
    assert_nil @catalog.get_spec("capture", "acmeCo/nothing")
    spec = { "schema" => { "type" => "object" }, "key" => ["/id"] }
    assert_same @catalog, @catalog.set_spec("collection", "acmeCo/other", spec)
    assert_equal spec, @catalog.get_spec("collection", "acmeCo/other")

    test = @catalog.tests.fetch("acmeCo/tests/shouts")
    assert_equal true, test.remove
    assert_equal false, test.remove
    assert_equal [], @catalog.names("test")
    error = assert_raises(Flowspec::InvalidSpecError) { test.spec }
    assert_equal "reference_undefined", error.code
    assert_equal "test acmeCo/tests/shouts is not defined", error.message
  end

  def test_bundle_is_a_copy
    bundle = @catalog.bundle
    refute_same @catalog, bundle
    bundle.remove_spec("capture", "acmeCo/source-hello")
    assert_equal [], bundle.names("capture")
    assert_equal ["acmeCo/source-hello"], @catalog.names("capture")
  ensure
    bundle&.close
  end

  def test_open_closes_the_catalog_after_the_block
    seen = nil
    names = Flowspec::Catalog.open do |catalog|
      seen = catalog
      catalog.collection("acmeCo/x", key: ["/id"], schema: { type: "object" })
      catalog.names("collection")
    end
    assert_equal ["acmeCo/x"], names
    assert_predicate seen, :closed?
    assert_equal "Catalog(closed)", seen.inspect

    open = Flowspec::Catalog.open
    refute_predicate open, :closed?
    open.close
  end

  def test_codes
    codes = Flowspec.codes.to_h { |c| [c[:code], c] }
    assert_equal({ code: "key_empty", group: "collections", description: "A collection key is empty." },
                 codes.fetch("key_empty"))
    assert_equal "operations", codes.fetch("closed")[:group]
    assert_includes codes.keys, "invalid_name"
    assert_includes codes.keys, "nesting_too_deep"
  end
end
