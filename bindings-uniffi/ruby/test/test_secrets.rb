# frozen_string_literal: true

require_relative "helper"

# Secrets: redacted wherever Ruby shows them, encrypted with sops and age
# when written, decrypted back with the identity.
class TestSecrets < Minitest::Test
  def setup
    @dir = Dir.mktmpdir("flowspec-secrets-")
    @key_file = File.join(@dir, "keys.txt")
    @recipient = Flowspec.age_keygen(@key_file)
    @catalog = Flowspec::Catalog.new
    @catalog.capture("acmeCo/source-postgres", image: "ghcr.io/estuary/source-postgres:dev",
                                               config: { user: "flow", password: Flowspec.secret("hunter2") })
  end

  def teardown
    @catalog.close
    FileUtils.remove_entry(@dir)
  end

  def spec_config(catalog)
    catalog.captures.fetch("acmeCo/source-postgres").spec.dig("endpoint", "connector", "config")
  end

  def test_a_secret_is_redacted
    secret = Flowspec.secret("hunter2")
    assert_equal "Secret(<redacted>)", secret.inspect
    assert_equal "Secret(<redacted>)", secret.to_s
    assert_equal "Secret(<redacted>)", "#{secret}"
    assert_equal "[Secret(<redacted>)]", [secret].inspect
    assert_equal "{:password=>Secret(<redacted>)}", { password: secret }.inspect
    refute_includes secret.sealed, "hunter2"
    assert_equal "hunter2", secret.reveal
    assert_equal Flowspec.secret("hunter2"), secret
    refute_equal Flowspec.secret("hunter3"), secret
    assert_equal({ "user" => "u", "port" => 5432 }, Flowspec.secret({ user: "u", port: 5432 }).reveal)
  end

  def test_a_catalog_never_shows_a_secret
    refute_includes @catalog.inspect, "hunter2"
    capture = @catalog.captures.fetch("acmeCo/source-postgres")
    refute_includes capture.inspect, "hunter2"
    refute_includes capture.spec.inspect, "hunter2"
    password = spec_config(@catalog)["password"]
    assert_instance_of Flowspec::Secret, password
    assert_equal "hunter2", password.reveal
  end

  def test_secrets_need_a_recipient
    error = assert_raises(Flowspec::SecretsError) { @catalog.to_yaml }
    assert_equal "catalog_secrets", error.code
    assert_equal ["plaintext_secret"], error.diagnostics.map(&:code)
    assert_equal "flow://catalog#/captures/acmeCo~1source-postgres/endpoint/connector/config",
                 error.diagnostics.first.scope
    refute_includes error.message, "hunter2"

    target = File.join(@dir, "refused", "flow.yaml")
    assert_raises(Flowspec::SecretsError) { @catalog.write(target) }
    refute File.exist?(target)

    assert_includes @catalog.to_yaml(plaintext_secrets: true), "\n          password_sops: hunter2\n"
  end

  def test_written_secrets_are_encrypted_and_decrypt_back
    target = File.join(@dir, "flow.yaml")
    assert_equal [target], @catalog.write(target, recipients: [@recipient])
    text = File.read(target)
    refute_includes text, "hunter2"
    assert_match(/^          password_sops: ENC\[AES256_GCM,data:/, text)
    assert_includes text, "          user: flow\n"
    assert_includes text, "recipient: #{@recipient}"

    loaded = Flowspec::Catalog.load(target)
    assert_match(/\AENC\[AES256_GCM,/, spec_config(loaded)["password_sops"])
    loaded.validate

    # Decrypted, a catalog holds the plaintext under the _sops key, as in flow.yaml.
    decrypted = Flowspec::Catalog.load(target, decrypt: true, key_file: @key_file)
    assert_equal({ "user" => "flow", "password_sops" => "hunter2" }, spec_config(decrypted))
    refute_includes decrypted.inspect, "hunter2"

    by_identity = Flowspec::Catalog.load(target, decrypt: true, identity: File.read(@key_file))
    assert_equal "hunter2", spec_config(by_identity)["password_sops"]

    assert_equal 1, loaded.decrypt_secrets(key_file: @key_file)
    assert_equal "hunter2", spec_config(loaded)["password_sops"]
  ensure
    [loaded, decrypted, by_identity].compact.each(&:close)
  end

  def test_the_wrong_identity_opens_nothing
    target = File.join(@dir, "flow.yaml")
    @catalog.write(target, recipients: [@recipient])
    other = File.join(@dir, "other.txt")
    Flowspec.age_keygen(other)
    error = assert_raises(Flowspec::SecretsError) { Flowspec::Catalog.load(target, decrypt: true, key_file: other) }
    assert_equal "catalog_secrets", error.code
    assert_equal ["sops_no_matching_identity"], error.diagnostics.map(&:code)
    assert_equal "file://#{target}#/captures/acmeCo~1source-postgres/endpoint/connector/config",
                 error.diagnostics.first.scope
    assert_match(/it is encrypted to: #{@recipient}\z/, error.diagnostics.first.message)
  end

  def test_encrypt_and_decrypt_a_document
    document = { "user" => "flow", "password_sops" => "hunter2", "port" => 5432 }
    encrypted = Flowspec.encrypt(document, recipients: [@recipient], encrypted_suffix: "_sops")
    assert_equal %w[user password_sops port sops], encrypted.keys
    assert_equal "flow", encrypted["user"]
    assert_equal 5432, encrypted["port"]
    assert_match(/\AENC\[AES256_GCM,data:.*,type:str\]\z/, encrypted["password_sops"])
    assert_equal "_sops", encrypted.dig("sops", "encrypted_suffix")
    assert_equal [@recipient], encrypted.dig("sops", "age").map { |entry| entry["recipient"] }
    refute_includes JSON.generate(encrypted), "hunter2"

    assert_equal document, Flowspec.decrypt(encrypted, key_file: @key_file)
    assert_equal({ "user" => "flow", "password" => "hunter2", "port" => 5432 },
                 Flowspec.decrypt(encrypted, identity: File.read(@key_file), strip_suffix: true))

    everything = Flowspec.encrypt(document, recipients: [@recipient])
    assert_match(/\AENC\[AES256_GCM,.*,type:int\]\z/, everything["port"])
    assert_equal document, Flowspec.decrypt(everything, key_file: @key_file)

    error = assert_raises(Flowspec::SecretsError) { Flowspec.decrypt(document, key_file: @key_file) }
    assert_equal "sops_missing_metadata", error.code
    error = assert_raises(Flowspec::SecretsError) { Flowspec.encrypt(document, recipients: ["age1nope"]) }
    assert_equal "sops_invalid_recipient", error.code
  end

  def test_age_keygen
    assert_match(/\Aage1[0-9a-z]{58}\z/, @recipient)
    lines = File.readlines(@key_file, chomp: true)
    assert_equal "# public key: #{@recipient}", lines[1]
    assert_match(/\AAGE-SECRET-KEY-1[0-9A-Z]{58}\z/, lines[2])
    assert_equal 0o600, File.stat(@key_file).mode & 0o777

    error = assert_raises(Flowspec::SecretsError) { Flowspec.age_keygen(@key_file) }
    assert_equal "sops_identity_file_exists", error.code
    refute_equal @recipient, Flowspec.age_keygen(@key_file, overwrite: true)
  end

  def test_age_keygen_writes_where_sops_looks_by_default
    # In another process, so that the user's own identities stay untouched.
    config = File.join(@dir, "config")
    lib = File.expand_path("../lib", __dir__)
    script = 'require "flowspec"; print Flowspec.age_keygen'
    recipient = IO.popen({ "XDG_CONFIG_HOME" => config }, [RbConfig.ruby, "-I", lib, "-e", script], &:read)
    assert_predicate $CHILD_STATUS, :success?
    assert_match(/\Aage1/, recipient)
    assert_includes File.read(File.join(config, "sops", "age", "keys.txt")), "# public key: #{recipient}\n"
  end
end
