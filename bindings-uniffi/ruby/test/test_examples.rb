# frozen_string_literal: true

require_relative "helper"
require_relative "../../../examples/ruby/cicd"
require_relative "../../../examples/ruby/many_tables"

# The Ruby examples write what the examples of every other language write.
class TestExamples < Minitest::Test
  LIB = File.expand_path("../lib", __dir__)
  EXAMPLES = File.join(FlowspecTest::ROOT, "examples", "ruby")

  def setup
    @dir = Dir.mktmpdir("flowspec-examples-")
  end

  def teardown
    FileUtils.remove_entry(@dir)
  end

  def golden(*path) = File.binread(File.join(FlowspecTest::GOLDEN, *path))

  # Runs an example: its stdout, stderr and exit status.
  def example(script, *args)
    Open3.capture3(RbConfig.ruby, "-I", LIB, File.join(EXAMPLES, script), *args, chdir: @dir)
  end

  def test_the_cicd_catalog_is_the_golden_one
    assert_equal golden("cicd", "full-outer-join.flow.ts"), Cicd::FULL_OUTER_JOIN_TS
    assert_equal golden("cicd", "line-item-totals.flow.ts"), Cicd::LINE_ITEM_TOTALS_TS
    catalog = Cicd.catalog(base_dir: @dir)
    assert_equal golden("cicd", "flow.yaml"), catalog.to_yaml(plaintext_secrets: true)
    File.write(File.join(@dir, "full-outer-join.flow.ts"), Cicd::FULL_OUTER_JOIN_TS)
    File.write(File.join(@dir, "line-item-totals.flow.ts"), Cicd::LINE_ITEM_TOTALS_TS)
    assert_equal [], catalog.validate
  ensure
    catalog&.close
  end

  def test_the_many_tables_catalog_is_the_golden_one
    catalog = ManyTables.catalog(25)
    assert_equal golden("many-tables", "flow.yaml"), catalog.to_yaml
    assert_equal({ "type" => %w[string null], "format" => "date-time" }, ManyTables.column_schema("timestamptz", true))
    assert_equal({}, ManyTables.column_schema("jsonb", true))
    assert_equal %w[table_0000 table_0001], ManyTables.describe_tables(2).map(&:name)
  ensure
    catalog&.close
  end

  def test_cicd_with_plaintext_secrets_writes_the_golden_files
    out, err, status = example("cicd.rb", "--plaintext-secrets", "--no-publish", "out")
    assert_equal ["", 0], [err, status.exitstatus]
    assert_equal <<~TEXT, out
      1 captures, 9 collections, 1 materializations, 1 tests: valid
      Running  1  tests...
      ✔️ flow://catalog :: acmeCo/tests/example

      Ran 1 tests, 1 passed, 0 failed
      wrote out/flow.yaml
      wrote out/full-outer-join.flow.ts
      wrote out/line-item-totals.flow.ts
    TEXT
    %w[flow.yaml full-outer-join.flow.ts line-item-totals.flow.ts].each do |file|
      assert_equal golden("cicd", file), File.binread(File.join(@dir, "out", file)), file
    end
  end

  def test_cicd_encrypts_publishes_and_pulls
    out, err, status = example("cicd.rb", "out")
    assert_equal ["", 0], [err, status.exitstatus]
    lines = out.lines(chomp: true)
    assert_match(/\Asecrets: encrypted to age1\w+ \(a temporary age identity\)\z/, lines[8])
    assert_match(%r{\Apublished 12 specs to a local control plane \(http://127\.0\.0\.1:\d+/rest/v1\) as publication \h{16}\z},
                 lines[9])
    assert_equal ["pulled 12 specs back into out-pulled",
                  "pulled catalog matches the published one (2 secrets encrypted by the control plane)",
                  "secrets: 2 configs decrypt back to the catalog as built"], lines[10..]
    written = File.read(File.join(@dir, "out", "flow.yaml"))
    refute_includes written, Cicd::STRIPE_ACCESS_TOKEN
    refute_includes written, "placeholder"
    assert_equal 2, written.scan(/_sops: ENC\[AES256_GCM,/).size
    assert File.file?(File.join(@dir, "out-pulled", "flow.yaml"))
  end

  def test_cicd_failures
    FileUtils.mkdir_p(File.join(@dir, "out", "flow.yaml"))
    _, err, status = example("cicd.rb", "--no-publish", "out")
    assert_equal 1, status.exitstatus
    assert_equal "error[write]: cannot write out/flow.yaml: a file is to be written here, but it is a directory\n", err

    _, err, status = example("cicd.rb", "--publish")
    assert_equal 2, status.exitstatus
    assert_equal "usage: cicd.rb [--plaintext-secrets] [--no-publish] [OUT_DIR]\n", err
  end

  def test_many_tables_writes_the_golden_file
    out, err, status = example("many_tables.rb", "25", "mt")
    assert_equal ["", 0], [err, status.exitstatus]
    assert_equal "25 tables: valid\nwrote mt/flow.yaml\n", out
    assert_equal golden("many-tables", "flow.yaml"), File.binread(File.join(@dir, "mt", "flow.yaml"))

    _, err, status = example("many_tables.rb", "many")
    assert_equal 2, status.exitstatus
    assert_equal "error: N must be a number of tables: invalid value for Integer(): \"many\"\n", err
  end
end
