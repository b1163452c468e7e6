# frozen_string_literal: true

# The methods of flowspec that take options: one keyword argument per option
# of the core's option objects, generated from the core's schema.

# BEGIN GENERATED types
# Do not edit: change the core's types, then run `FLOWSPEC_BLESS=1 cargo test -p flowspec --lib json_api::surface`.
module Flowspec
  class Catalog
    # A new, empty catalog.
    #
    # Options of +new_catalog+: where relative file references resolve
    # (+baseDir+), and the +root+ they must stay in.
    #
    # @param base_dir The directory that relative file references of the catalog's specs (a schema file, a TypeScript module, ...) resolve against: typically the directory it will be written to. Default: the current directory.
    # @param root The directory file references must stay in. Default: the base directory.
    # @param deny_outside_root Refuse to read files outside of the root, rather than warn. Default +false+.
    def initialize(base_dir: UNSET, root: UNSET, deny_outside_root: UNSET)
      new_catalog(Flowspec.options({"baseDir" => base_dir, "root" => root, "denyOutsideRoot" => deny_outside_root}))
    end

    # The catalog of a +flow.yaml+ / +flow.json+ file and its imports.
    #
    # Options of +load+: +decrypt+ (decrypt the encrypted configs after
    # loading), with the +identity+ (text of age secret keys) or +keyFile+ to
    # use, else the identities sops would find; the +root+ directory file
    # references must stay in, and +denyOutsideRoot+ to refuse those that do
    # not (see +LoadOptions+).
    #
    # @param path [String]
    # @param decrypt Decrypt the sops-encrypted configs after loading. Default +false+.
    # @param identity With +decrypt+: age secret keys, one +AGE-SECRET-KEY-1...+ per line (+#+ comments allowed).
    # @param key_file With +decrypt+: a file of age secret keys.
    # @param root The directory file references must stay in. Default: the project root, as +flowctl generate+ finds it (the file's directory, and up through each parent that also holds a +flow.yaml+).
    # @param deny_outside_root Refuse to read files outside of the root, rather than warn. Default +false+.
    def self.load(path, decrypt: UNSET, identity: UNSET, key_file: UNSET, root: UNSET, deny_outside_root: UNSET)
      load_catalog(path, Flowspec.options({"decrypt" => decrypt, "identity" => identity, "keyFile" => key_file, "root" => root, "denyOutsideRoot" => deny_outside_root}))
    end

    # Adds a capture: a connector and its config, its bindings added with +binding+.
    #
    # Options of a capture: +image+ and +config+ (or +local+), and the rest
    # of +CaptureDef+.
    #
    # @param name [String]
    # @param image Connector image.
    # @param config Connector configuration (default +{}+): an object, or the relative URL of a file that holds it (sops-encrypted, typically).
    # @param local A local command instead of an image.
    # @param bindings Bindings (or add them with +binding+).
    # @param interval Interval between runs of connectors that exit, like +10m+ (default +5m+).
    # @param auto_discover Auto-discovery: +true+ for the default settings, or the settings.
    # @param shards Shard template.
    # @param expect_pub_id Expected last publication id (16 hex digits).
    # @param delete Delete the capture.
    # @param reset Delete and re-create the capture in one publication.
    # @param redact_salt Salt for +sha256+ redaction (base64).
    def capture(name, image: UNSET, config: UNSET, local: UNSET, bindings: UNSET, interval: UNSET, auto_discover: UNSET, shards: UNSET, expect_pub_id: UNSET, delete: UNSET, reset: UNSET, redact_salt: UNSET)
      add_capture(name, Flowspec.options({"image" => image, "config" => config, "local" => local, "bindings" => bindings, "interval" => interval, "autoDiscover" => auto_discover, "shards" => shards, "expectPubId" => expect_pub_id, "delete" => delete, "reset" => reset, "redactSalt" => redact_salt}))
    end

    # Adds a collection: its schema and key.
    #
    # Options of a collection: the fields of +CollectionDef+ but +derive+.
    #
    # @param name [String]
    # @param key Composite key, as JSON pointers.
    # @param schema Schema of the documents: an object (or +true+), or the relative URL of a schema file. Or give +writeSchema+ and +readSchema+.
    # @param write_schema Schema of documents as they are written (with +readSchema+).
    # @param read_schema Schema of documents as they are read (with +writeSchema+).
    # @param projections Projections: field name to a JSON pointer or +{location, partition}+.
    # @param journals Journal template.
    # @param expect_pub_id Expected last publication id.
    # @param delete Delete the collection.
    def collection(name, key:, schema: UNSET, write_schema: UNSET, read_schema: UNSET, projections: UNSET, journals: UNSET, expect_pub_id: UNSET, delete: UNSET)
      add_collection(name, Flowspec.options({"key" => key, "schema" => schema, "writeSchema" => write_schema, "readSchema" => read_schema, "projections" => projections, "journals" => journals, "expectPubId" => expect_pub_id, "delete" => delete}))
    end

    # Adds a derivation: a collection derived by SQLite or TypeScript, its transforms added with +transform+.
    #
    # Options of a derivation: a collection's options, exactly one runtime
    # (+typescript+, +sqlite+, +python+, +connector+, +local+ or the model's
    # +using+), and the rest of +Derivation+.
    #
    # @param name [String]
    # @param key Composite key, as JSON pointers.
    # @param schema Schema of the documents: an object (or +true+), or the relative URL of a schema file. Or give +writeSchema+ and +readSchema+.
    # @param write_schema Schema of documents as they are written (with +readSchema+).
    # @param read_schema Schema of documents as they are read (with +writeSchema+).
    # @param projections Projections: field name to a JSON pointer or +{location, partition}+.
    # @param journals Journal template.
    # @param expect_pub_id Expected last publication id.
    # @param delete Delete the derivation.
    # @param typescript TypeScript: the module's file URL (or code), or +{module}+.
    # @param sqlite SQLite: the migrations (file URLs or SQL; +[]+ for none), or +{migrations}+.
    # @param python Python: the module's file URL (or code), or +{module, dependencies}+.
    # @param connector A derivation connector image and its config.
    # @param local A local command.
    # @param using The runtime in the model's form, like +{sqlite: {migrations: []}}+.
    # @param transforms Transforms (or add them with +transform+).
    # @param shuffle_key_types Types of the shuffle key's components, when they cannot be inferred.
    # @param shards Shard template.
    # @param redact_salt Salt for +sha256+ redaction (base64).
    def derivation(name, key:, schema: UNSET, write_schema: UNSET, read_schema: UNSET, projections: UNSET, journals: UNSET, expect_pub_id: UNSET, delete: UNSET, typescript: UNSET, sqlite: UNSET, python: UNSET, connector: UNSET, local: UNSET, using: UNSET, transforms: UNSET, shuffle_key_types: UNSET, shards: UNSET, redact_salt: UNSET)
      add_derivation(name, Flowspec.options({"key" => key, "schema" => schema, "writeSchema" => write_schema, "readSchema" => read_schema, "projections" => projections, "journals" => journals, "expectPubId" => expect_pub_id, "delete" => delete, "typescript" => typescript, "sqlite" => sqlite, "python" => python, "connector" => connector, "local" => local, "using" => using, "transforms" => transforms, "shuffleKeyTypes" => shuffle_key_types, "shards" => shards, "redactSalt" => redact_salt}))
    end

    # Adds a materialization: a connector and its config, its bindings added with +binding+.
    #
    # Options of a materialization: +image+ and +config+ (or +dekaf+ or
    # +local+), and the rest of +MaterializationDef+.
    #
    # @param name [String]
    # @param image Connector image.
    # @param config Connector configuration (default +{}+): an object, or the relative URL of a file that holds it.
    # @param dekaf Dekaf instead of an image.
    # @param local A local command instead of an image.
    # @param source_capture Capture whose bindings are materialized: a name or its settings (+source+ is an older spelling).
    # @param on_incompatible_schema_change What to do when a source schema changes incompatibly (default +backfill+).
    # @param bindings Bindings (or add them with +binding+).
    # @param shards Shard template.
    # @param expect_pub_id Expected last publication id.
    # @param delete Delete the materialization.
    def materialization(name, image: UNSET, config: UNSET, dekaf: UNSET, local: UNSET, source_capture: UNSET, on_incompatible_schema_change: UNSET, bindings: UNSET, shards: UNSET, expect_pub_id: UNSET, delete: UNSET)
      add_materialization(name, Flowspec.options({"image" => image, "config" => config, "dekaf" => dekaf, "local" => local, "sourceCapture" => source_capture, "onIncompatibleSchemaChange" => on_incompatible_schema_change, "bindings" => bindings, "shards" => shards, "expectPubId" => expect_pub_id, "delete" => delete}))
    end

    # Adds a test, its steps added with +ingest+ and +verify+.
    #
    # Options of a test.
    #
    # @param name [String]
    # @param description What the test checks.
    # @param steps Steps in the model's form (or add them with +ingest+ and +verify+).
    # @param expect_pub_id Expected last publication id.
    # @param delete Delete the test.
    def test(name, description: UNSET, steps: UNSET, expect_pub_id: UNSET, delete: UNSET)
      add_test(name, Flowspec.options({"description" => description, "steps" => steps, "expectPubId" => expect_pub_id, "delete" => delete}))
    end

    # Writes the catalog to +path+ (its secrets encrypted): the files of the written catalog.
    #
    # Options of writing a catalog: +{layout, recipients, plaintextSecrets}+;
    # +flat+, recipients from the environment or +.sops.yaml+, and secrets
    # encrypted by default.
    #
    # @param path [String]
    # @param layout +flat+ (default): everything in the one file. +canonical+: the split layout of +flowctl catalog pull-specs+, one directory per name prefix.
    # @param recipients age recipients (+age1...+) of the configs holding secrets. Default: +SOPS_AGE_RECIPIENTS+, then the +.sops.yaml+ creation rule matching the written file.
    # @param plaintext_secrets Write secrets in plaintext (as +_sops+ keys) instead of failing when there is no recipient. Default +false+.
    # @param prune Remove the files of the catalog previously written at the target that the written catalog no longer uses. Default +false+: they are left, and named in a warning.
    def write(path, layout: UNSET, recipients: UNSET, plaintext_secrets: UNSET, prune: UNSET)
      write_catalog(path, Flowspec.options({"layout" => layout, "recipients" => recipients, "plaintextSecrets" => plaintext_secrets, "prune" => prune}))
    end

    # The catalog as one YAML document, its secrets encrypted as +write+ encrypts them.
    #
    # Options of rendering a catalog as one document (+render+:
    # +toYaml+ / +to_yaml+ and +toJson+ / +to_json+ in the bindings):
    # +{recipients, plaintextSecrets}+.
    #
    # @param recipients age recipients (+age1...+) of the configs holding secrets. Default: +SOPS_AGE_RECIPIENTS+, then the +.sops.yaml+ creation rule matching +flow.yaml+ in the current directory.
    # @param plaintext_secrets Render secrets in plaintext (as +_sops+ keys) instead of failing when there is no recipient. Default +false+.
    def to_yaml(recipients: UNSET, plaintext_secrets: UNSET)
      render_yaml(Flowspec.options({"recipients" => recipients, "plaintextSecrets" => plaintext_secrets}))
    end

    # The catalog as one JSON document, its secrets encrypted as +write+ encrypts them.
    #
    # Options of rendering a catalog as one document (+render+:
    # +toYaml+ / +to_yaml+ and +toJson+ / +to_json+ in the bindings):
    # +{recipients, plaintextSecrets}+.
    #
    # @param recipients age recipients (+age1...+) of the configs holding secrets. Default: +SOPS_AGE_RECIPIENTS+, then the +.sops.yaml+ creation rule matching +flow.yaml+ in the current directory.
    # @param plaintext_secrets Render secrets in plaintext (as +_sops+ keys) instead of failing when there is no recipient. Default +false+.
    def to_json(recipients: UNSET, plaintext_secrets: UNSET)
      render_json(Flowspec.options({"recipients" => recipients, "plaintextSecrets" => plaintext_secrets}))
    end

    # Decrypts the catalog's sops-encrypted configs in place: how many were decrypted.
    #
    # Options of +decrypt_secrets+: the identities to use, as for
    # +DecryptOptions+. A catalog keeps its +_sops+ keys, so that writing it
    # encrypts them again: there is no +stripSuffix+.
    #
    # @param identity age secret keys, one +AGE-SECRET-KEY-1...+ per line (+#+ comments allowed).
    # @param key_file A file of age secret keys.
    def decrypt_secrets(identity: UNSET, key_file: UNSET)
      decrypt_catalog_secrets(Flowspec.options({"identity" => identity, "keyFile" => key_file}))
    end

    # Publishes the catalog to a control plane, as +flowctl catalog publish+: the publication.
    #
    # Options of +publish+ and +test_remote+.
    #
    # @param profile A flowctl profile (else +FLOWCTL_PROFILE+, else +default+).
    # @param control_plane A control plane by endpoints and token, rather than a profile.
    # @param default_data_plane The data plane of specs that are not live yet.
    # @param keep_sops Stage sops-encrypted configs as they are rather than re-encrypting them through the control plane's service.
    # @param source The catalog file whose +.sops.yaml+ rules apply (default: the current directory's +flow.yaml+).
    # @param identity age secret keys that open sops-encrypted configs (else +keyFile+, else those sops finds), which are then re-encrypted by the control plane's service.
    # @param key_file A file of age secret keys, as +identity+.
    # @param update_pub_ids After a publication of a catalog loaded from files, set +expectPubId+ in them to the new publication id, where published specs carry one (default true).
    def publish(profile: UNSET, control_plane: UNSET, default_data_plane: UNSET, keep_sops: UNSET, source: UNSET, identity: UNSET, key_file: UNSET, update_pub_ids: UNSET)
      publish_catalog(Flowspec.options({"profile" => profile, "controlPlane" => control_plane, "defaultDataPlane" => default_data_plane, "keepSops" => keep_sops, "source" => source, "identity" => identity, "keyFile" => key_file, "updatePubIds" => update_pub_ids}))
    end

    # Tests the catalog on a control plane, as +flowctl catalog test+: the dry-run publication.
    #
    # Options of +publish+ and +test_remote+.
    #
    # @param profile A flowctl profile (else +FLOWCTL_PROFILE+, else +default+).
    # @param control_plane A control plane by endpoints and token, rather than a profile.
    # @param default_data_plane The data plane of specs that are not live yet.
    # @param keep_sops Stage sops-encrypted configs as they are rather than re-encrypting them through the control plane's service.
    # @param source The catalog file whose +.sops.yaml+ rules apply (default: the current directory's +flow.yaml+).
    # @param identity age secret keys that open sops-encrypted configs (else +keyFile+, else those sops finds), which are then re-encrypted by the control plane's service.
    # @param key_file A file of age secret keys, as +identity+.
    # @param update_pub_ids After a publication of a catalog loaded from files, set +expectPubId+ in them to the new publication id, where published specs carry one (default true).
    def test_remote(profile: UNSET, control_plane: UNSET, default_data_plane: UNSET, keep_sops: UNSET, source: UNSET, identity: UNSET, key_file: UNSET, update_pub_ids: UNSET)
      test_catalog_remotely(Flowspec.options({"profile" => profile, "controlPlane" => control_plane, "defaultDataPlane" => default_data_plane, "keepSops" => keep_sops, "source" => source, "identity" => identity, "keyFile" => key_file, "updatePubIds" => update_pub_ids}))
    end

    # What publishing the catalog would change, spec by spec.
    #
    # Options of +plan+.
    #
    # @param profile A flowctl profile (else +FLOWCTL_PROFILE+, else +default+).
    # @param control_plane A control plane by endpoints and token, rather than a profile.
    # @param source The catalog file whose +.sops.yaml+ rules apply (default: the current directory's +flow.yaml+).
    # @param identity age secret keys that open sops-encrypted configs, on either side (else +keyFile+, else those sops finds).
    # @param key_file A file of age secret keys, as +identity+.
    def plan(profile: UNSET, control_plane: UNSET, source: UNSET, identity: UNSET, key_file: UNSET)
      plan_catalog(Flowspec.options({"profile" => profile, "controlPlane" => control_plane, "source" => source, "identity" => identity, "keyFile" => key_file}))
    end

    # Runs the catalog's tests locally, as Estuary runs them: the results and a report.
    #
    # Options of +run_tests+.
    #
    # @param tests Run only the tests of these names; all tests when empty.
    # @param snapshot A directory to write the actual documents of each verify step to, as +<snapshot>/<test>/verify-<step>.json+.
    # @param shards How many shards each TypeScript derivation runs on (default 3).
    def run_tests(tests: UNSET, snapshot: UNSET, shards: UNSET)
      run_catalog_tests(Flowspec.options({"tests" => tests, "snapshot" => snapshot, "shards" => shards}))
    end

    # Writes the TypeScript types and stubs of the catalog's derivations, as +flowctl generate+.
    #
    # Options of +generate+.
    #
    # @param source The catalog file (default: the file the catalog was loaded from).
    # @param root The project root (default: the source's directory, up through each parent that also holds a +flow.yaml+).
    # @param dry_run Say what would be written, and write nothing.
    def generate(source: UNSET, root: UNSET, dry_run: UNSET)
      generate_files(Flowspec.options({"source" => source, "root" => root, "dryRun" => dry_run}))
    end
  end
  class Capture
    # Adds a binding: a resource of the source captured into a collection.
    #
    # Capture binding
    #
    # Binds an endpoint resource to a target collection.
    #
    # @param resource Endpoint resource to capture.
    # @param target Collection to capture into.
    # @param disable Disable this binding.
    # @param backfill Backfill counter.
    def binding(resource:, target:, disable: UNSET, backfill: UNSET)
      add_binding(Flowspec.options({"resource" => resource, "target" => target, "disable" => disable, "backfill" => backfill}))
    end
  end
  class Derivation
    # Adds a transform: a source collection, its shuffle and lambda.
    #
    # Options of a transform: +TransformDef+, with +source+ as a name plus
    # optional +partitions+, +notBefore+ and +notAfter+, and +shuffle+ as
    # +"any"+, a list of key pointers, +{key}+ or +{lambda}+.
    #
    # @param name Transform name, unique within the derivation.
    # @param source Source collection: a name, or +{name, partitions, notBefore, notAfter}+.
    # @param partitions Partitions of the source to read.
    # @param not_before Read documents published at or after this time (RFC 3339).
    # @param not_after Read documents published at or before this time (RFC 3339).
    # @param shuffle Shuffle: key pointers like +["/id"]+, +"any"+, +{key}+ or +{lambda}+.
    # @param lambda Lambda: SQL or a file URL (SQLite), or the connector's form.
    # @param priority Priority over other transforms (default 0).
    # @param read_delay Delay before a document is read, like +1h+.
    # @param disable Disable the transform.
    # @param backfill Backfill counter.
    def transform(name:, source:, partitions: UNSET, not_before: UNSET, not_after: UNSET, shuffle: UNSET, lambda: UNSET, priority: UNSET, read_delay: UNSET, disable: UNSET, backfill: UNSET)
      add_transform(Flowspec.options({"name" => name, "source" => source, "partitions" => partitions, "notBefore" => not_before, "notAfter" => not_after, "shuffle" => shuffle, "lambda" => lambda, "priority" => priority, "readDelay" => read_delay, "disable" => disable, "backfill" => backfill}))
    end
  end
  class Materialization
    # Adds a binding: a collection materialized into a resource of the destination.
    #
    # Options of a materialization binding: +MaterializationBinding+, with
    # +source+ as a name plus optional filters, and +fields+ whose
    # +recommended+ defaults to +true+.
    #
    # @param resource Endpoint resource, like +{table: "orders"}+, or a file URL.
    # @param source Source collection: a name, or +{name, partitions, notBefore, notAfter}+.
    # @param partitions Partitions of the source to read.
    # @param not_before Read documents published at or after this time (RFC 3339).
    # @param not_after Read documents published at or before this time (RFC 3339).
    # @param fields Field selection (+recommended+ defaults to +true+).
    # @param priority Priority over other bindings (default 0).
    # @param backfill Backfill counter.
    # @param disable Disable the binding.
    # @param on_incompatible_schema_change What to do when this binding's source schema changes incompatibly.
    def binding(resource:, source:, partitions: UNSET, not_before: UNSET, not_after: UNSET, fields: UNSET, priority: UNSET, backfill: UNSET, disable: UNSET, on_incompatible_schema_change: UNSET)
      add_binding(Flowspec.options({"resource" => resource, "source" => source, "partitions" => partitions, "notBefore" => not_before, "notAfter" => not_after, "fields" => fields, "priority" => priority, "backfill" => backfill, "disable" => disable, "onIncompatibleSchemaChange" => on_incompatible_schema_change}))
    end
  end
  class Test
    # Adds a step that ingests documents into a collection.
    #
    # Options of an ingest step.
    #
    # @param collection Collection to ingest into.
    # @param documents Documents, or the URL of a fixture file.
    # @param description What the step does.
    def ingest(collection:, documents:, description: UNSET)
      add_ingest(Flowspec.options({"collection" => collection, "documents" => documents, "description" => description}))
    end

    # Adds a step that verifies the documents of a collection.
    #
    # Options of a verify step.
    #
    # @param collection Collection to verify: a name, or +{name, partitions}+.
    # @param documents Expected documents, or the URL of a fixture file.
    # @param partitions Partitions to verify.
    # @param description What the step checks.
    def verify(collection:, documents:, partitions: UNSET, description: UNSET)
      add_verify(Flowspec.options({"collection" => collection, "documents" => documents, "partitions" => partitions, "description" => description}))
    end
  end

  # A document encrypted with sops and age, as +sops encrypt+.
  #
  # Options of +encrypt+ (a document), as sops' flags: +recipients+ (age
  # public keys), at most one rule, +macOnlyEncrypted+, and the +path+ whose
  # +.sops.yaml+ creation rule applies.
  #
  # Without recipients, +SOPS_AGE_RECIPIENTS+ and then the +.sops.yaml+
  # creation rule matching +path+ are used.
  #
  # @param document [Hash]
  # @param recipients age recipients (+age1...+). Default: +SOPS_AGE_RECIPIENTS+, then the +.sops.yaml+ creation rule matching +path+.
  # @param encrypted_suffix Encrypt only the values under keys with this suffix, like +_sops+.
  # @param unencrypted_suffix Encrypt every value but those under keys with this suffix.
  # @param encrypted_regex Encrypt only the values under keys matching this regex.
  # @param unencrypted_regex Encrypt every value but those under keys matching this regex.
  # @param mac_only_encrypted Compute the MAC over the encrypted values only, so that plaintext values can be edited. Default +false+.
  # @param path The file whose +.sops.yaml+ creation rule applies (no file is read).
  def self.encrypt(document, recipients: UNSET, encrypted_suffix: UNSET, unencrypted_suffix: UNSET, encrypted_regex: UNSET, unencrypted_regex: UNSET, mac_only_encrypted: UNSET, path: UNSET)
    encrypt_document(document, Flowspec.options({"recipients" => recipients, "encryptedSuffix" => encrypted_suffix, "unencryptedSuffix" => unencrypted_suffix, "encryptedRegex" => encrypted_regex, "unencryptedRegex" => unencrypted_regex, "macOnlyEncrypted" => mac_only_encrypted, "path" => path}))
  end

  # A sops document decrypted, as +sops decrypt+.
  #
  # Options of +decrypt+ (a document): +identity+ (the text of age secret
  # keys) or +keyFile+, else the identities found as sops finds them
  # (+SOPS_AGE_KEY+, +SOPS_AGE_KEY_FILE+, +SOPS_AGE_KEY_CMD+,
  # +~/.config/sops/age/keys.txt+); +stripSuffix+ removes Estuary's +_sops+
  # suffix from keys.
  #
  # @param document [Hash]
  # @param identity age secret keys, one +AGE-SECRET-KEY-1...+ per line (+#+ comments allowed).
  # @param key_file A file of age secret keys.
  # @param strip_suffix Remove the file's +encrypted_suffix+ (like +_sops+) from every key, as Estuary's runtime does. Default +false+.
  def self.decrypt(document, identity: UNSET, key_file: UNSET, strip_suffix: UNSET)
    decrypt_document(document, Flowspec.options({"identity" => identity, "keyFile" => key_file, "stripSuffix" => strip_suffix}))
  end

  # Encrypts a YAML, JSON, dotenv or INI file with sops, in place or to +output+: the path written.
  #
  # Options of +encrypt_file+: those of +EncryptOptions+ but +path+,
  # plus the file's format (+inputType+, else from its extension) and
  # +inPlace+.
  #
  # @param path [String]
  # @param recipients age recipients (+age1...+). Default: +SOPS_AGE_RECIPIENTS+, then the +.sops.yaml+ creation rule matching the file.
  # @param encrypted_suffix Encrypt only the values under keys with this suffix, like +_sops+.
  # @param unencrypted_suffix Encrypt every value but those under keys with this suffix.
  # @param encrypted_regex Encrypt only the values under keys matching this regex.
  # @param unencrypted_regex Encrypt every value but those under keys matching this regex.
  # @param mac_only_encrypted Compute the MAC over the encrypted values only. Default +false+.
  # @param input_type The file's format. Default: from its extension.
  # @param in_place Replace the file with the encrypted text (atomically). Default +false+.
  def self.encrypt_file(path, recipients: UNSET, encrypted_suffix: UNSET, unencrypted_suffix: UNSET, encrypted_regex: UNSET, unencrypted_regex: UNSET, mac_only_encrypted: UNSET, input_type: UNSET, in_place: UNSET)
    encrypt_file_at(path, Flowspec.options({"recipients" => recipients, "encryptedSuffix" => encrypted_suffix, "unencryptedSuffix" => unencrypted_suffix, "encryptedRegex" => encrypted_regex, "unencryptedRegex" => unencrypted_regex, "macOnlyEncrypted" => mac_only_encrypted, "inputType" => input_type, "inPlace" => in_place}))
  end

  # The plaintext of a sops file.
  #
  # Options of +decrypt_file+: those of +DecryptOptions+, plus the
  # file's format (+inputType+, else from its extension).
  #
  # @param path [String]
  # @param identity age secret keys, one +AGE-SECRET-KEY-1...+ per line (+#+ comments allowed).
  # @param key_file A file of age secret keys.
  # @param strip_suffix Remove the file's +encrypted_suffix+ from every key. Default +false+.
  # @param input_type The file's format. Default: from its extension.
  def self.decrypt_file(path, identity: UNSET, key_file: UNSET, strip_suffix: UNSET, input_type: UNSET)
    decrypt_file_at(path, Flowspec.options({"identity" => identity, "keyFile" => key_file, "stripSuffix" => strip_suffix, "inputType" => input_type}))
  end

  # Generates an age identity, written to +path+ as +age-keygen -o+ writes it: its public recipient.
  #
  # Options of the bindings' +age_keygen+ / +ageKeygen+ (see +age_keygen+).
  #
  # @param path [String, nil]
  # @param overwrite Replace an existing file. Default +false+.
  def self.age_keygen(path = nil, overwrite: UNSET)
    generate_age_key(path, Flowspec.options({"overwrite" => overwrite}))
  end

  # Pulls live specs into a catalog file, as +flowctl catalog pull-specs+.
  #
  # Options of +pull_specs+ and +list+.
  #
  # @param profile A flowctl profile (else +FLOWCTL_PROFILE+, else +default+).
  # @param control_plane A control plane by endpoints and token, rather than a profile.
  # @param names Exact catalog names.
  # @param prefixes Name prefixes.
  # @param kinds Kinds to include (+capture+, +collection+, +materialization+, +test+); none: all.
  # @param target The catalog file to pull into (default +flow.yaml+); not used by +list+.
  # @param overwrite Replace specs already in the local files, in place.
  # @param flat Write new specs into the target file rather than a +flow.yaml+ per prefix.
  def self.pull_specs(profile: UNSET, control_plane: UNSET, names: UNSET, prefixes: UNSET, kinds: UNSET, target: UNSET, overwrite: UNSET, flat: UNSET)
    pull_live_specs(Flowspec.options({"profile" => profile, "controlPlane" => control_plane, "names" => names, "prefixes" => prefixes, "kinds" => kinds, "target" => target, "overwrite" => overwrite, "flat" => flat}))
  end

  # Lists live specs, as +flowctl catalog list+.
  #
  # Options of +pull_specs+ and +list+.
  #
  # @param profile A flowctl profile (else +FLOWCTL_PROFILE+, else +default+).
  # @param control_plane A control plane by endpoints and token, rather than a profile.
  # @param names Exact catalog names.
  # @param prefixes Name prefixes.
  # @param kinds Kinds to include (+capture+, +collection+, +materialization+, +test+); none: all.
  def self.list_specs(profile: UNSET, control_plane: UNSET, names: UNSET, prefixes: UNSET, kinds: UNSET)
    list_live_specs(Flowspec.options({"profile" => profile, "controlPlane" => control_plane, "names" => names, "prefixes" => prefixes, "kinds" => kinds}))
  end

end
# END GENERATED types
