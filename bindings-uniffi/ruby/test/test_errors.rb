# frozen_string_literal: true

require_relative "helper"

# What goes wrong: each failure's class, stable code, message and diagnostics.
class TestErrors < Minitest::Test
  OBJECT_SCHEMA = { type: "object", properties: { id: { type: "string" } }, required: ["id"] }.freeze

  def setup
    @catalog = Flowspec::Catalog.new
  end

  def teardown
    @catalog.close
  end

  def test_an_empty_key_fails_validation_where_it_is
    @catalog.collection("acmeCo/x", key: [], schema: OBJECT_SCHEMA)
    error = assert_raises(Flowspec::ValidationError) { @catalog.validate }
    assert_equal "validation", error.code
    assert_equal 1, error.diagnostics.size
    diagnostic = error.diagnostics.first
    assert_equal "key_empty", diagnostic.code
    assert_equal "flow://catalog#/collections/acmeCo~1x/key", diagnostic.scope
    assert_equal "error", diagnostic.severity
    assert_equal "collection acmeCo/x key cannot be empty (https://go.estuary.dev/Zq6zVB)", diagnostic.message
    assert_equal "flow://catalog#/collections/acmeCo~1x/key: collection acmeCo/x key cannot be empty " \
                 "(https://go.estuary.dev/Zq6zVB) [key_empty]", diagnostic.to_s
    assert_equal "the catalog is invalid: 1 problem\n  flow://catalog#/collections/acmeCo~1x/key: " \
                 "collection acmeCo/x key cannot be empty (https://go.estuary.dev/Zq6zVB)", error.message
  end

  def test_warnings_are_returned
    @catalog.collection("acmeCo/y", key: ["/id"], schema: { type: "object", properties: { id: { type: "string" } } })
    warnings = @catalog.validate
    assert_equal 1, warnings.size
    assert_equal "key_not_required", warnings.first.code
    assert_equal "warning", warnings.first.severity
    assert_equal "flow://catalog#/collections/acmeCo~1y/key/0", warnings.first.scope
    assert_match(/\Aflow:\/\/catalog#\/collections\/acmeCo~1y\/key\/0: warning: collection acmeCo\/y: keyed location/,
                 warnings.first.to_s)
  end

  def test_an_invalid_name
    error = assert_raises(Flowspec::InvalidNameError) { @catalog.collection("nope", key: ["/id"], schema: {}) }
    assert_equal "invalid_name", error.code
    assert_equal "nope cannot be used as name for collection (it needs at least two `/`-separated parts, " \
                 "a tenant prefix and a name, like acmeCo/nope)", error.message
    assert_equal [], error.diagnostics

    error = assert_raises(Flowspec::InvalidNameError) do
      @catalog.collection("acmeCo/k", key: ["id"], schema: {})
    end
    assert_equal "invalid_name", error.code
    assert_equal "collection acmeCo/k: key[0]: \"id\" is not a valid JSON pointer (missing leading '/' slash)",
                 error.message
    assert_equal [], @catalog.names("collection")
  end

  def test_options_of_the_wrong_type
    error = assert_raises(Flowspec::InvalidSpecError) { @catalog.capture("acmeCo/c", image: 5) }
    assert_equal "invalid_spec", error.code
    assert_equal "capture acmeCo/c: image: invalid type: integer `5`, expected a string", error.message

    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.collection("acmeCo/k", key: "/id", schema: {})
    end
    assert_equal "collection acmeCo/k: key: invalid type: string \"/id\", expected a sequence", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { @catalog.write("/nonexistent/flow.yaml", layout: 5) }
    assert_equal "write /nonexistent/flow.yaml: layout: invalid type: integer `5`, expected one of `flat`, " \
                 "`canonical`", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { Flowspec::Catalog.new(base_dir: 5) }
    assert_equal "catalog: baseDir: invalid type: integer `5`, expected a string", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { @catalog.names("widget") }
    assert_equal "kind: \"widget\" is not a kind of spec (capture, collection, materialization or test)",
                 error.message
  end

  def test_a_config_that_is_not_an_object_fails_validation
    # A config may also be the URL of a file, so a number is only found wrong
    # by validation.
    @catalog.capture("acmeCo/c", image: "ghcr.io/estuary/source-hello-world:dev", config: 5)
    error = assert_raises(Flowspec::ValidationError) { @catalog.validate }
    assert_equal ["config_not_object"], error.diagnostics.map(&:code)
    assert_equal "flow://catalog#/captures/acmeCo~1c/endpoint/connector/config", error.diagnostics.first.scope
    assert_equal "capture acmeCo/c: the config must be an object, but it is a number", error.diagnostics.first.message
  end

  def test_unknown_and_missing_keywords
    error = assert_raises(ArgumentError) { @catalog.capture("acmeCo/c", imgae: "i") }
    assert_equal "unknown keyword: :imgae", error.message
    error = assert_raises(ArgumentError) { @catalog.collection("acmeCo/x", schema: {}) }
    assert_equal "missing keyword: :key", error.message
    assert_raises(ArgumentError) { @catalog.write("out/flow.yaml", layot: "flat") }
    assert_raises(ArgumentError) { Flowspec::Catalog.new(bogus: 1) }
    assert_equal [], @catalog.names("capture")
  end

  def test_nulls_where_a_value_is_needed
    error = assert_raises(Flowspec::InvalidSpecError) { @catalog.collection("acmeCo/k", key: nil, schema: {}) }
    assert_equal "invalid_spec", error.code
    assert_equal "collection acmeCo/k: key: invalid type: null, expected a sequence", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { @catalog.capture(nil, image: "i") }
    assert_equal "capture: name: must be a string, not nil", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { @catalog.capture(:"acmeCo/c", image: "i") }
    assert_equal "capture: name: must be a string, not :\"acmeCo/c\"", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { @catalog.write(nil) }
    assert_equal "write: path: must be a string, not nil", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { @catalog.capture("acmeCo/c", image: nil) }
    assert_equal "capture acmeCo/c: no endpoint is given: give `image` (and `config`), or another endpoint",
                 error.message
  end

  def test_values_that_are_not_json
    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.capture("acmeCo/c", image: "i", config: { credentials: { when: Object.new } })
    end
    assert_equal "invalid_spec", error.code
    assert_equal "capture acmeCo/c: at /config/credentials/when: an Object is not a JSON value", error.message

    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.capture("acmeCo/c", image: "i", config: { ratio: Float::NAN })
    end
    assert_equal "capture acmeCo/c: at /config/ratio: NaN is not a JSON number", error.message

    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.capture("acmeCo/c", image: "i", config: { 1 => "one" })
    end
    assert_equal "capture acmeCo/c: at /config: a hash key must be a string or symbol, not 1", error.message

    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.capture("acmeCo/c", image: "i").binding(resource: { "a/b" => 1..2 }, target: "acmeCo/x")
    end
    assert_equal "capture acmeCo/c binding: at /resource/a~1b: a Range is not a JSON value", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { Flowspec.secret(Time.at(0)) }
    assert_equal "secret: a Time is not a JSON value", error.message
  end

  def test_values_that_nest_too_deep
    nest = ->(levels) { Array.new(levels).reduce(1) { |value, _| [value] } }
    @catalog.capture("acmeCo/deep", image: "i", config: { a: nest.call(99) })
    assert_equal [1], @catalog.captures.fetch("acmeCo/deep").spec.dig("endpoint", "connector", "config", "a").flatten

    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.capture("acmeCo/deeper", image: "i", config: { a: nest.call(100) })
    end
    assert_equal "nesting_too_deep", error.code
    assert_equal "capture acmeCo/deeper: at /config/a/0/0/0/0/0/0/0/0/0/0/...: the value nests arrays and " \
                 "objects more than 100 levels deep, which a catalog cannot hold (does it contain itself?)",
                 error.message

    itself = {}
    itself[:again] = itself
    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.capture("acmeCo/loop", image: "i", config: itself)
    end
    assert_equal "nesting_too_deep", error.code
    assert_match %r{\Acapture acmeCo/loop: at /config/again/again/}, error.message
    assert_equal ["acmeCo/deep"], @catalog.names("capture")
  end

  def test_a_name_defined_twice
    @catalog.collection("acmeCo/x", key: ["/id"], schema: OBJECT_SCHEMA)
    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.collection("acmeCo/x", key: ["/id"], schema: OBJECT_SCHEMA)
    end
    assert_equal "name_collision", error.code
    assert_equal "collection acmeCo/x is already defined", error.message

    # Names that differ only in case collide when the catalog is validated.
    @catalog.collection("acmeCo/X", key: ["/id"], schema: OBJECT_SCHEMA)
    error = assert_raises(Flowspec::ValidationError) { @catalog.validate }
    assert_equal ["name_collision"], error.diagnostics.map(&:code)
    assert_equal "flow://catalog#/collections/acmeCo~1X", error.diagnostics.first.scope
    assert_equal "collection acmeCo/X collides with collection acmeCo/x, defined at flow://catalog#/collections/acmeCo~1x",
                 error.diagnostics.first.message
  end

  def test_parts_of_a_spec_that_is_not_defined
    ghost = Flowspec::Capture.new(@catalog, "acmeCo/ghost")
    error = assert_raises(Flowspec::InvalidSpecError) { ghost.binding(resource: {}, target: "acmeCo/x") }
    assert_equal "reference_undefined", error.code
    assert_equal "capture acmeCo/ghost is not defined", error.message
  end

  def test_a_derivation_needs_a_runtime
    error = assert_raises(Flowspec::InvalidSpecError) do
      @catalog.derivation("acmeCo/d", key: ["/id"], schema: OBJECT_SCHEMA)
    end
    assert_equal "invalid_spec", error.code
    assert_equal "derivation acmeCo/d: no runtime is given: give one of `typescript`, `sqlite`, `python`, " \
                 "`connector` or `local`", error.message
  end

  def test_use_after_close
    @catalog.collection("acmeCo/x", key: ["/id"], schema: OBJECT_SCHEMA)
    @catalog.close
    assert_predicate @catalog, :closed?
    assert_equal "Catalog(closed)", @catalog.inspect
    calls = {
      validate: -> { @catalog.validate },
      to_yaml: -> { @catalog.to_yaml(plaintext_secrets: true) },
      to_json: -> { @catalog.to_json },
      write: -> { @catalog.write(File.join(Dir.tmpdir, "never", "flow.yaml")) },
      bundle: -> { @catalog.bundle },
      names: -> { @catalog.names("collection") },
      collections: -> { @catalog.collections },
      get_spec: -> { @catalog.get_spec("collection", "acmeCo/x") },
      capture: -> { @catalog.capture("acmeCo/c", image: "i") },
      run_tests: -> { @catalog.run_tests },
      spec: -> { Flowspec::Collection.new(@catalog, "acmeCo/x").spec }
    }
    calls.each do |name, call|
      error = assert_raises(Flowspec::ClosedError, name.to_s) { call.call }
      assert_equal "closed", error.code, name.to_s
      assert_equal "the catalog is closed", error.message, name.to_s
    end
    assert_nil @catalog.close
  end

  def test_files_that_cannot_be_read_or_written
    Dir.mktmpdir do |dir|
      missing = File.join(dir, "missing.yaml")
      error = assert_raises(Flowspec::FileError) { Flowspec::Catalog.load(missing) }
      assert_equal "io", error.code
      assert_equal missing, error.path
      assert_equal "cannot read #{missing}: No such file or directory (os error 2)", error.message

      broken = File.join(dir, "broken.yaml")
      File.write(broken, "collections: [\n")
      error = assert_raises(Flowspec::LoadError) { Flowspec::Catalog.load(broken) }
      assert_equal "load", error.code
      assert_equal ["yaml_syntax"], error.diagnostics.map(&:code)
      assert_equal "file://#{broken}", error.diagnostics.first.scope

      @catalog.collection("acmeCo/x", key: ["/id"], schema: OBJECT_SCHEMA)
      blocker = File.join(dir, "file")
      File.write(blocker, "")
      error = assert_raises(Flowspec::WriteError) { @catalog.write(File.join(blocker, "flow.yaml")) }
      assert_equal "write", error.code
      assert_equal blocker, error.path
      assert_equal "cannot write #{blocker}: a directory is needed here, but it is a file", error.message
      assert_kind_of Flowspec::FileError, error

      error = assert_raises(Flowspec::WriteError) { @catalog.write(File.join(dir, "flow.txt")) }
      assert_equal "cannot write #{dir}/flow.txt: unknown format: the file name must end in .yaml, .yml or .json",
                   error.message
    end
  end

  def test_a_local_control_plane_that_is_not_running
    plane = Flowspec::LocalControlPlane.new
    assert_equal "LocalControlPlane(stopped)", plane.inspect
    refute_predicate plane, :running?
    error = assert_raises(Flowspec::ControlPlaneError) { plane.pg_url }
    assert_equal "local_control_plane_failed", error.code
    assert_equal "the local control plane: it is not running: call start() first", error.message

    error = assert_raises(Flowspec::InvalidSpecError) { Flowspec::LocalControlPlane.new(pg_port: 70_000) }
    assert_equal "LocalControlPlane: pg_port must be a port number (0 to 65535), not 70000", error.message
  end

  def test_flowspec_error_catches_every_failure
    failures = [
      -> { @catalog.collection("nope", key: ["/id"], schema: {}) },
      -> { @catalog.capture("acmeCo/c", image: 5) },
      -> { Flowspec::Catalog.load(File.join(Dir.tmpdir, "flowspec-missing", "flow.yaml")) },
      -> { Flowspec.decrypt({ a: 1 }, identity: "AGE-SECRET-KEY-1NOPE") },
      -> { Flowspec::LocalControlPlane.new.agent_url },
      -> { Flowspec::Catalog.new.tap(&:close).validate },
      lambda do
        Flowspec::Catalog.open do |catalog|
          catalog.collection("acmeCo/x", key: [], schema: OBJECT_SCHEMA)
          catalog.validate
        end
      end
    ]
    classes = failures.map do |failure|
      failure.call
      flunk "no error"
    rescue Flowspec::Error => e
      assert_kind_of StandardError, e
      refute_nil e.code
      e.class
    end
    assert_equal [Flowspec::InvalidNameError, Flowspec::InvalidSpecError, Flowspec::FileError,
                  Flowspec::SecretsError, Flowspec::ControlPlaneError, Flowspec::ClosedError,
                  Flowspec::ValidationError], classes
  end
end
