# frozen_string_literal: true

# flowspec for Ruby: Estuary Flow catalogs as code.
#
# The classes here wrap the native layer (FlowspecFfi, made by uniffi from the
# flowspec-uniffi crate); the methods that take options are generated into
# flowspec/dsl.rb from the core's schema. Values cross as JSON: hashes (string
# or symbol keys), arrays, strings, numbers, booleans, nil and secrets.
#
#   Flowspec::Catalog.open(base_dir: "out") do |catalog|
#     catalog.collection("acmeCo/greetings", schema: { type: "object" }, key: ["/id"])
#     catalog.write("out/flow.yaml")
#   end

require "json"
require "ffi"

module Flowspec
  # The native library: FLOWSPEC_NATIVE_LIBRARY, else the one built into the gem.
  NATIVE_LIBRARY = ENV.fetch("FLOWSPEC_NATIVE_LIBRARY") do
    File.expand_path("flowspec/native/libflowspec_uniffi.so", __dir__)
  end

  # What an option left out defaults to: it is not sent (an explicit +nil+ is).
  UNSET = Object.new.tap do |unset|
    def unset.inspect = "UNSET"
  end.freeze
end

require_relative "flowspec/flowspec_ffi"

module Flowspec
  # One problem found while loading or validating a catalog: its scope (file
  # URL and JSON pointer), message, stable code and severity.
  #
  #   rescue Flowspec::ValidationError => e
  #     e.diagnostics.each { |d| puts "#{d.scope}: #{d.message} [#{d.code}]" }
  Diagnostic = Struct.new(:scope, :message, :code, :severity, keyword_init: true) do
    def to_s
      warning = severity == "warning" ? "warning: " : ""
      "#{scope}: #{warning}#{message} [#{code}]"
    end
  end

  # A failure of flowspec: its stable +code+ (see Flowspec.codes) and, for
  # loading, validation, secrets and publishing, the +diagnostics+ that say
  # where and why.
  #
  #   begin
  #     catalog.validate
  #   rescue Flowspec::Error => e
  #     warn "error[#{e.code}]: #{e.message}"
  #   end
  class Error < StandardError
    # The stable code of the kind of failure, like "invalid_name".
    attr_reader :code
    # Where and why (an Array of Diagnostic).
    attr_reader :diagnostics

    def initialize(message = nil, code: nil, diagnostics: [])
      super(message)
      @code = code
      @diagnostics = diagnostics
    end
  end

  # A catalog name, field or JSON pointer does not follow its rule (code +invalid_name+).
  class InvalidNameError < Error; end
  # An option or spec is not valid (code +invalid_spec+), names a spec already
  # defined (+name_collision+) or not defined (+reference_undefined+), or nests
  # too deep (+nesting_too_deep+).
  class InvalidSpecError < Error; end

  # A file could not be read (code +io+, or +sops_io+); +path+ is the file.
  class FileError < Error
    # The file.
    attr_reader :path

    def initialize(message = nil, path: nil, **rest)
      super(message, **rest)
      @path = path
    end
  end

  # A catalog could not be written (code +write+); +path+ is the file or directory.
  class WriteError < FileError; end
  # A catalog source could not be loaded (code +load+); +diagnostics+ say where and why.
  class LoadError < Error; end
  # The catalog is not valid (code +validation+); +diagnostics+ list every problem.
  class ValidationError < Error; end
  # A sops / age operation failed (+sops_...+), or a catalog's secrets could not
  # be sealed or opened (+catalog_secrets+).
  class SecretsError < Error; end
  # A call to a control plane failed (+not_authenticated+, +publication_failed+, ...).
  class ControlPlaneError < Error; end
  # A catalog was used after it was closed (code +closed+).
  class ClosedError < Error; end
  # A bug in flowspec (code +internal+): please report it.
  class InternalError < Error; end

  CLASSES = {
    FlowspecFfi::ErrorClass::INVALID_NAME => InvalidNameError,
    FlowspecFfi::ErrorClass::INVALID_SPEC => InvalidSpecError,
    FlowspecFfi::ErrorClass::FILE => FileError,
    FlowspecFfi::ErrorClass::WRITE => WriteError,
    FlowspecFfi::ErrorClass::LOAD => LoadError,
    FlowspecFfi::ErrorClass::VALIDATION => ValidationError,
    FlowspecFfi::ErrorClass::SECRETS => SecretsError,
    FlowspecFfi::ErrorClass::CONTROL_PLANE => ControlPlaneError,
    FlowspecFfi::ErrorClass::CLOSED => ClosedError
  }.freeze
  private_constant :CLASSES

  # Runs a call of the native layer, its failure as a Flowspec::Error.
  def self.ffi
    yield
  rescue FlowspecFfi::FfiError::Failure => e
    diagnostics = e.diagnostics.map do |d|
      Diagnostic.new(scope: d.scope, message: d.message, code: d.code, severity: d.severity)
    end
    klass = CLASSES.fetch(e.kind)
    extra = klass <= FileError ? { path: e.path } : {}
    raise klass.new(e.detail, code: e.code, diagnostics: diagnostics, **extra), cause: nil
  rescue FlowspecFfi::InternalError => e
    raise InternalError.new(e.message, code: "internal"), cause: nil
  end

  # An InvalidSpecError of +subject+.
  def self.invalid(subject, message)
    InvalidSpecError.new("#{subject}: #{message}", code: "invalid_spec")
  end

  # +value+, which must be a String (a name, a path).
  def self.text(value, what)
    return value if value.is_a?(String)

    raise invalid(what, "must be a string, not #{value.inspect}")
  end

  # The deepest a value may nest arrays and hashes within each other (the
  # core's limit, which a value that contains itself also reaches).
  MAX_DEPTH = FlowspecFfi.max_depth

  # The options of a call, as keyword arguments give them: each option's
  # value nests up to MAX_DEPTH levels below them.
  class Options < Hash; end
  private_constant :Options

  # The options given as keyword arguments: those not left out.
  def self.options(pairs)
    Options.new.update(pairs.reject { |_, value| UNSET.equal?(value) })
  end

  # A value that is not JSON, raised while converting it: +steps+ lead to it
  # (innermost first).
  class NotJson < StandardError
    attr_reader :steps, :code

    def initialize(message, code: "invalid_spec")
      super(message)
      @steps = []
      @code = code
    end
  end
  private_constant :NotJson

  # A value as JSON text: secrets as their sealed marker, a local control
  # plane as its options; anything that is not JSON, or that nests deeper
  # than MAX_DEPTH (or contains itself), is an InvalidSpecError of +subject+.
  def self.json(value, subject = "options")
    JSON.generate(value.is_a?(Options) ? jsonable_options(value) : jsonable(value, 0), max_nesting: false)
  rescue NotJson => e
    steps = e.steps.reverse
    shown = steps.first(12).map { |step| step.to_s.gsub("~", "~0").gsub("/", "~1") }
    place = shown.empty? ? "" : "at /#{shown.join('/')}#{steps.size > 12 ? '/...' : ''}: "
    raise InvalidSpecError.new("#{subject}: #{place}#{e.message}", code: e.code), cause: nil
  end

  def self.jsonable_options(options)
    options.each_with_object({}) do |(k, v), out|
      out[k] = jsonable(v, 0)
    rescue NotJson => e
      e.steps << k
      raise
    end
  end

  def self.jsonable(value, depth)
    case value
    when nil, true, false, String, Integer then value
    when Float
      raise NotJson, "#{value} is not a JSON number" unless value.finite?

      value
    when Symbol then value.to_s
    when Secret then { "$secret" => value.sealed }
    when LocalControlPlane then value.options
    when Hash
      too_deep if depth >= MAX_DEPTH
      value.each_with_object({}) do |(k, v), out|
        unless k.is_a?(String) || k.is_a?(Symbol)
          raise NotJson, "a hash key must be a string or symbol, not #{k.inspect}"
        end

        begin
          out[k.to_s] = jsonable(v, depth + 1)
        rescue NotJson => e
          e.steps << k
          raise
        end
      end
    when Array
      too_deep if depth >= MAX_DEPTH
      value.each_with_index.map do |v, i|
        jsonable(v, depth + 1)
      rescue NotJson => e
        e.steps << i
        raise
      end
    else
      article = value.class.name.to_s.match?(/\A[AEIOU]/) ? "an" : "a"
      raise NotJson, "#{article} #{value.class} is not a JSON value"
    end
  end

  def self.too_deep
    raise NotJson.new("the value nests arrays and objects more than #{MAX_DEPTH} levels deep, " \
                      "which a catalog cannot hold (does it contain itself?)", code: "nesting_too_deep")
  end

  # JSON text as Ruby values, with secret markers as Secrets.
  def self.parse(text)
    revive(JSON.parse(text, max_nesting: false))
  end

  def self.revive(value)
    case value
    when Hash
      sealed = value["$secret"]
      return Secret.send(:new, sealed) if value.size == 1 && sealed.is_a?(String)

      value.transform_values { |v| revive(v) }
    when Array then value.map { |v| revive(v) }
    else value
    end
  end
  private_class_method :jsonable_options, :jsonable, :too_deep, :revive

  # A value to be encrypted when the catalog is written: put it anywhere in a
  # config. Its value is sealed in the native library under a key of this
  # process; +to_s+ and +inspect+ never show it, and +reveal+ gives it back.
  #
  #   token = Flowspec.secret("sk_live_123")
  #   token.inspect # => "Secret(<redacted>)"
  class Secret
    # The sealed value: opened only by the native library of this process.
    attr_reader :sealed
    private_class_method :new

    def initialize(sealed)
      @sealed = sealed
    end

    # The secret value.
    def reveal
      Flowspec.parse(Flowspec.ffi { FlowspecFfi.open_secret(@sealed) })
    end

    def to_s = "Secret(<redacted>)"
    alias inspect to_s

    def ==(other)
      other.is_a?(Secret) && reveal == other.reveal
    end
  end

  # Marks a value (a string, or any JSON value) as secret: it is encrypted with
  # sops when the catalog is written, under a key ending in +_sops+.
  #
  #   config: { password: Flowspec.secret("hunter2") }
  def self.secret(value)
    Secret.send(:new, ffi { FlowspecFfi.seal_secret(json(value, "secret")) })
  end

  # Every stable code of flowspec: hashes of +code+, +group+ and +description+.
  def self.codes
    FlowspecFfi.codes.map { |c| { code: c.code, group: c.group, description: c.description } }
  end

  # A catalog: captures, collections, derivations, materializations and tests,
  # validated, written as flow.yaml, published. Make one with +Catalog.new+ or
  # +Catalog.load+, or with +Catalog.open+ and a block that closes it.
  #
  #   catalog = Flowspec::Catalog.new
  #   catalog.capture("acmeCo/source", image: "ghcr.io/estuary/source-hello-world:dev")
  #          .binding(resource: { name: "greetings" }, target: "acmeCo/greetings")
  class Catalog
    # A new catalog given to the block, closed after it; without a block, the catalog.
    def self.open(**options)
      catalog = new(**options)
      return catalog unless block_given?

      begin
        yield catalog
      ensure
        catalog.close
      end
    end

    # The captures, by name.
    def captures = names("capture").to_h { |n| [n, Capture.new(self, n)] }

    # The collections and derivations, by name: a derivation is a Derivation.
    def collections
      names("collection").to_h do |n|
        [n, get_spec("collection", n)&.key?("derive") ? Derivation.new(self, n) : Collection.new(self, n)]
      end
    end

    # The materializations, by name.
    def materializations = names("materialization").to_h { |n| [n, Materialization.new(self, n)] }

    # The tests, by name.
    def tests = names("test").to_h { |n| [n, Test.new(self, n)] }

    # Validates the catalog offline, as publishing would: its warnings; its
    # errors raise ValidationError with every problem.
    def validate
      Flowspec.ffi { @raw.validate }.map do |d|
        Diagnostic.new(scope: d.scope, message: d.message, code: d.code, severity: d.severity)
      end
    end

    # A copy with every file reference inlined: what Estuary receives.
    def bundle = Catalog.wrap(Flowspec.ffi { @raw.bundle })

    # The spec of a kind ("capture", "collection", "materialization", "test") and name.
    def get_spec(kind, name)
      text = Flowspec.ffi { @raw.get_spec(Flowspec.text(kind, "kind"), Flowspec.text(name, "name")) }
      text && Flowspec.parse(text)
    end

    # Adds or replaces the spec of a kind and name.
    def set_spec(kind, name, spec)
      Flowspec.ffi { @raw.set_spec(Flowspec.text(kind, "kind"), Flowspec.text(name, "name"), Flowspec.json(spec, "#{kind} #{name}")) }
      self
    end

    # Removes the spec of a kind and name: whether there was one.
    def remove_spec(kind, name)
      Flowspec.ffi { @raw.remove_spec(Flowspec.text(kind, "kind"), Flowspec.text(name, "name")) }
    end

    # The names of the specs of a kind, sorted.
    def names(kind) = Flowspec.ffi { @raw.names(Flowspec.text(kind, "kind")) }

    # Frees the catalog: later calls raise ClosedError.
    def close
      @raw.release
      nil
    end

    # Whether +close+ was called.
    def closed? = @raw.is_closed

    # "Catalog(1 capture, 3 collections, 1 materialization, 1 test)".
    def to_s = @raw.describe
    alias inspect to_s

    # A Catalog of a native catalog.
    def self.wrap(raw)
      allocate.tap { |c| c.instance_variable_set(:@raw, raw) }
    end

    def self.load_catalog(path, options)
      wrap(Flowspec.ffi { FlowspecFfi::FfiCatalog.load(Flowspec.text(path, "load: path"), Flowspec.json(options)) })
    end
    private_class_method :load_catalog

    # What the options of a call of +add+ are of, in messages.
    SUBJECTS = {
      "captureBinding" => "capture %s binding",
      "materializationBinding" => "materialization %s binding",
      "transform" => "derivation %s transform",
      "ingest" => "test %s ingest step",
      "verify" => "test %s verify step"
    }.freeze
    private_constant :SUBJECTS

    # Adds with the options of +call+ (a spec, or a part of one).
    def add(call, name, options)
      name = Flowspec.text(name, "#{call}: name")
      subject = format(SUBJECTS.fetch(call, "#{call} %s"), name)
      Flowspec.ffi { @raw.add(call, name, Flowspec.json(options, subject)) }
    end

    private

    def new_catalog(options)
      @raw = Flowspec.ffi { FlowspecFfi::FfiCatalog.new(Flowspec.json(options)) }
    end

    def add_spec(call, klass, name, options)
      add(call, name, options)
      klass.new(self, name)
    end

    def add_capture(name, options) = add_spec("capture", Capture, name, options)
    def add_collection(name, options) = add_spec("collection", Collection, name, options)
    def add_derivation(name, options) = add_spec("derivation", Derivation, name, options)
    def add_materialization(name, options) = add_spec("materialization", Materialization, name, options)
    def add_test(name, options) = add_spec("test", Test, name, options)

    def write_catalog(path, options)
      written = Flowspec.ffi { @raw.write(Flowspec.text(path, "write: path"), Flowspec.json(options)) }
      warn "warning: #{written.stale_warning}" if written.stale_warning
      written.files
    end

    def render_yaml(options) = Flowspec.ffi { @raw.render("yaml", Flowspec.json(options)) }
    def render_json(options) = Flowspec.ffi { @raw.render("json", Flowspec.json(options)) }
    def decrypt_catalog_secrets(options) = Flowspec.ffi { @raw.decrypt_secrets(Flowspec.json(options)) }
    def publish_catalog(options) = Flowspec.parse(Flowspec.ffi { @raw.publish(Flowspec.json(options)) })
    def test_catalog_remotely(options) = Flowspec.parse(Flowspec.ffi { @raw.test_remote(Flowspec.json(options)) })
    def plan_catalog(options) = Flowspec.parse(Flowspec.ffi { @raw.plan(Flowspec.json(options)) })
    def run_catalog_tests(options) = Flowspec.parse(Flowspec.ffi { @raw.run_tests(Flowspec.json(options)) })
    def generate_files(options) = Flowspec.parse(Flowspec.ffi { @raw.generate(Flowspec.json(options)) })
  end

  # A spec of a catalog, by kind and name: what the catalog's methods return,
  # to add parts to it, read it or remove it.
  class Spec
    # The catalog it is in.
    attr_reader :catalog
    # Its catalog name.
    attr_reader :name

    def initialize(catalog, name)
      @catalog = catalog
      @name = name
    end

    # Its kind: "capture", "collection", "materialization" or "test".
    def kind = self.class::KIND

    # The spec as in flow.yaml.
    def spec
      @catalog.get_spec(kind, @name) or
        raise InvalidSpecError.new("#{kind} #{@name} is not defined", code: "reference_undefined")
    end

    # Removes it from the catalog: whether it was there.
    def remove = @catalog.remove_spec(kind, @name)

    def to_s = "#{self.class.name.split('::').last}(#{@name})"
    alias inspect to_s

    def ==(other)
      other.instance_of?(self.class) && other.catalog.equal?(@catalog) && other.name == @name
    end

    private

    def add_part(call, options)
      @catalog.add(call, @name, options)
      self
    end
  end

  # A capture: add its bindings with +binding+.
  class Capture < Spec
    KIND = "capture"

    private

    def add_binding(options) = add_part("captureBinding", options)
  end

  # A collection.
  class Collection < Spec
    KIND = "collection"
  end

  # A derivation: add its transforms with +transform+.
  class Derivation < Collection
    private

    def add_transform(options) = add_part("transform", options)
  end

  # A materialization: add its bindings with +binding+.
  class Materialization < Spec
    KIND = "materialization"

    private

    def add_binding(options) = add_part("materializationBinding", options)
  end

  # A test: add its steps with +ingest+ and +verify+.
  class Test < Spec
    KIND = "test"

    private

    def add_ingest(options) = add_part("ingest", options)
    def add_verify(options) = add_part("verify", options)
  end

  # A control plane on loopback, backed by SQLite (in memory, or the file
  # +db+), on free ports unless given: publish to it with
  # +catalog.publish(control_plane: plane)+.
  #
  #   Flowspec::LocalControlPlane.start do |plane|
  #     catalog.publish(control_plane: plane)
  #   end
  class LocalControlPlane
    def initialize(db: nil, pg_port: 0, agent_port: 0, encryption_port: 0)
      ports = { pg_port: pg_port, agent_port: agent_port, encryption_port: encryption_port }
      ports.each do |key, value|
        next if value.is_a?(Integer) && value.between?(0, 65_535)

        raise Flowspec.invalid("LocalControlPlane", "#{key} must be a port number (0 to 65535), not #{value.inspect}")
      end
      db = Flowspec.text(db, "LocalControlPlane: db") unless db.nil?
      @raw = FlowspecFfi::FfiControlPlane.new(db, pg_port, agent_port, encryption_port)
    end

    # A started control plane given to the block, stopped after it; without a
    # block, the started control plane.
    def self.start(**options)
      plane = new(**options).start
      return plane unless block_given?

      begin
        yield plane
      ensure
        plane.stop
      end
    end

    # Starts serving (nothing happens if it already is): this plane.
    def start
      Flowspec.ffi { @raw.start }
      self
    end

    # Stops serving (nothing happens if it is not).
    def stop
      @raw.stop
      nil
    end

    # Whether it is serving.
    def running? = @raw.running

    # Its PostgREST URL.
    def pg_url = Flowspec.ffi { @raw.pg_url }
    # Its agent API URL.
    def agent_url = Flowspec.ffi { @raw.agent_url }
    # Its config-encryption service's URL.
    def config_encryption_url = Flowspec.ffi { @raw.config_encryption_url }
    # A refresh token of its user, as FLOW_AUTH_TOKEN takes it (a credential: never in +to_s+).
    def flow_auth_token = Flowspec.ffi { @raw.flow_auth_token }

    # Its endpoints and token, as the +control_plane+ option.
    def options = Flowspec.parse(Flowspec.ffi { @raw.options })

    # "LocalControlPlane(<PostgREST URL>)", or "LocalControlPlane(stopped)".
    def to_s = @raw.describe
    alias inspect to_s
  end

  def self.encrypt_document(document, options)
    parse(ffi { FlowspecFfi.encrypt(json(document, "encrypt: document"), json(options)) })
  end

  def self.decrypt_document(document, options)
    parse(ffi { FlowspecFfi.decrypt(json(document, "decrypt: document"), json(options)) })
  end

  def self.encrypt_file_at(path, options) = ffi { FlowspecFfi.encrypt_file(text(path, "encrypt_file: path"), json(options)) }
  def self.decrypt_file_at(path, options) = parse(ffi { FlowspecFfi.decrypt_file(text(path, "decrypt_file: path"), json(options)) })

  def self.generate_age_key(path, options)
    path = text(path, "age_keygen: path") unless path.nil?
    ffi { FlowspecFfi.age_keygen(path, json(options)) }
  end

  def self.pull_live_specs(options) = parse(ffi { FlowspecFfi.pull_specs(json(options)) })
  def self.list_live_specs(options) = parse(ffi { FlowspecFfi.list_specs(json(options)) })
  private_class_method :encrypt_document, :decrypt_document, :encrypt_file_at, :decrypt_file_at,
                       :generate_age_key, :pull_live_specs, :list_live_specs
end

require_relative "flowspec/dsl"
