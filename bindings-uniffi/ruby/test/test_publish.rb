# frozen_string_literal: true

require_relative "helper"

# Publishing to a local control plane, and pulling what it holds back.
class TestPublish < Minitest::Test
  NAMES = %w[acmeCo/greetings acmeCo/postgres acmeCo/shouts acmeCo/source-hello acmeCo/tests/shouts].freeze

  def setup
    @dir = Dir.mktmpdir("flowspec-publish-")
    @catalog = FlowspecTest.greetings_catalog
  end

  def teardown
    @catalog.close
    FileUtils.remove_entry(@dir)
  end

  def test_publish_list_and_pull
    stopped = nil
    Flowspec::LocalControlPlane.start do |plane|
      stopped = plane
      assert_predicate plane, :running?
      assert_match(%r{\ALocalControlPlane\(http://127\.0\.0\.1:\d+/rest/v1\)\z}, plane.inspect)
      assert_equal plane.pg_url, plane.options["pgUrl"]
      refute_includes plane.inspect, plane.flow_auth_token

      published = @catalog.publish(control_plane: plane)
      assert_equal "success", published["status"]
      assert_equal false, published["dryRun"]
      assert_match(/\A\h{16}\z/, published["pubId"])
      assert_equal [%w[acmeCo/source-hello capture], %w[acmeCo/greetings collection],
                    %w[acmeCo/shouts collection], %w[acmeCo/postgres materialization],
                    %w[acmeCo/tests/shouts test]],
                   published["specs"].map { |s| [s["catalogName"], s["specType"]] }

      listed = Flowspec.list_specs(control_plane: plane, prefixes: ["acmeCo/"])
      assert_equal NAMES, listed.map { |s| s["catalogName"] }
      assert_equal [published["pubId"]], listed.map { |s| s["lastPubId"] }.uniq
      assert_equal ["acmeCo/postgres"],
                   Flowspec.list_specs(control_plane: plane, kinds: ["materialization"]).map { |s| s["catalogName"] }

      target = File.join(@dir, "pulled", "flow.yaml")
      pulled = Flowspec.pull_specs(control_plane: plane, prefixes: ["acmeCo/"], target: target)
      assert_equal 5, pulled["written"]
      assert_equal %w[acmeCo/flow.yaml acmeCo/postgres.config.yaml acmeCo/source-hello.config.yaml
                      acmeCo/tests/flow.yaml flow.yaml],
                   pulled["files"].map { |f| f.delete_prefix("#{@dir}/pulled/") }

      # The control plane encrypted the configs: the secret is not in them.
      config = File.read(File.join(@dir, "pulled", "acmeCo", "postgres.config.yaml"))
      refute_includes config, "hunter2"
      assert_match(/^password_sops: ENC\[AES256_GCM,/, config)

      back = Flowspec::Catalog.load(target)
      %w[capture collection materialization test].each do |kind|
        assert_equal @catalog.names(kind), back.names(kind), kind
      end
      assert_equal published["pubId"], back.get_spec("collection", "acmeCo/greetings")["expectPubId"]
      back.close
    end
    refute_predicate stopped, :running?
    assert_equal "LocalControlPlane(stopped)", stopped.inspect
  end

  def test_a_catalog_that_fails_to_publish
    Flowspec::LocalControlPlane.start do |plane|
      @catalog.collection("acmeCo/broken", key: [], schema: { type: "object" })
      error = assert_raises(Flowspec::ValidationError) { @catalog.publish(control_plane: plane) }
      assert_equal "validation", error.code
      assert_equal ["key_empty"], error.diagnostics.map(&:code)
      assert_equal [], Flowspec.list_specs(control_plane: plane)
    end
  end

  def test_nothing_to_publish
    empty = Flowspec::Catalog.new
    Flowspec::LocalControlPlane.start do |plane|
      error = assert_raises(Flowspec::InvalidSpecError) { empty.publish(control_plane: plane) }
      assert_equal "invalid_spec", error.code
      assert_equal "flow.yaml: the catalog has no specs to publish", error.message
    end
  ensure
    empty&.close
  end
end
