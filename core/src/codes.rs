//! The stable codes of diagnostics. A code is never renamed or reused.
//!
//! ```
//! assert!(flowspec::codes::ALL.contains(&flowspec::codes::KEY_EMPTY));
//! ```

macro_rules! codes {
    ($($(#[$m:meta])* $name:ident = $value:literal;)*) => {
        $($(#[$m])* pub const $name: &str = $value;)*
        /// Every code, in the order defined.
        pub const ALL: &[&str] = &[$($value),*];
    };
}

codes! {
    // Loading.
    /// A YAML file could not be parsed.
    YAML_SYNTAX = "yaml_syntax";
    /// A JSON file could not be parsed.
    JSON_SYNTAX = "json_syntax";
    /// A file is not UTF-8.
    NOT_UTF8 = "not_utf8";
    /// A document is nested too deeply.
    NESTING_TOO_DEEP = "nesting_too_deep";
    /// A YAML document expands too many aliases.
    ALIAS_LIMIT = "alias_limit";
    /// A file is too large to load.
    TOO_LARGE = "too_large";
    /// A referenced file could not be read.
    READ_FAILED = "read_failed";
    /// A reference is not a valid URL, or has a fragment where none is allowed.
    INVALID_REFERENCE = "invalid_reference";
    /// A spec has a wrong type, an unknown field, a missing field or an invalid value.
    INVALID_SPEC = "invalid_spec";
    /// A referenced schema fragment does not exist.
    SCHEMA_FRAGMENT_MISSING = "schema_fragment_missing";
    /// A file reference leads outside of the catalog's root (a warning, or an error when the root is enforced).
    REFERENCE_OUTSIDE_ROOT = "reference_outside_root";

    // Names.
    /// A name does not match its rule.
    NAME_INVALID = "name_invalid";
    /// Two specs have the same name (compared case- and form-insensitively).
    NAME_COLLISION = "name_collision";
    /// A name is a prohibited prefix of another.
    NAME_PROHIBITED_PREFIX = "name_prohibited_prefix";
    /// A spec refers to an entity that is not defined.
    REFERENCE_UNDEFINED = "reference_undefined";
    /// Two files refer to each other's specs without an import path (a lint).
    MISSING_IMPORT = "missing_import";
    /// A spec refers to an entity that this catalog deletes.
    REFERENCE_DELETED = "reference_deleted";
    /// A part of a catalog name is longer than the 255 bytes a directory or
    /// file name may have, so the split layout cannot be written.
    NAME_PART_TOO_LONG = "name_part_too_long";
    /// A collection's journal names would be longer than Gazette's 512 bytes.
    JOURNAL_NAME_TOO_LONG = "journal_name_too_long";
    /// A task's shard ids or recovery log names would be longer than Gazette's 512 bytes.
    SHARD_ID_TOO_LONG = "shard_id_too_long";

    // Collections and schemas.
    /// A collection has neither `schema` nor both `writeSchema` and `readSchema`.
    COLLECTION_SCHEMA_MISSING = "collection_schema_missing";
    /// A schema does not compile.
    SCHEMA_INVALID = "schema_invalid";
    /// A collection schema's type is not exactly `object`.
    SCHEMA_NOT_OBJECT = "schema_not_object";
    /// A schema's `reduce` annotation is misused.
    SCHEMA_REDUCE_INVALID = "schema_reduce_invalid";
    /// A collection key is empty.
    KEY_EMPTY = "key_empty";
    /// A key location is unknown in the schema.
    KEY_UNKNOWN = "key_unknown";
    /// A key location is prohibited by the schema.
    KEY_PROHIBITED = "key_prohibited";
    /// A key location is not a single scalar type.
    KEY_WRONG_TYPE = "key_wrong_type";
    /// A key location has a reduction other than `lastWriteWins`.
    KEY_HAS_REDUCTION = "key_has_reduction";
    /// A key location has different types in the read and write schemas.
    KEY_READ_WRITE_TYPES_DIFFER = "key_read_write_types_differ";
    /// A key location is not required (a warning).
    KEY_NOT_REQUIRED = "key_not_required";
    /// Two projections have the same field name.
    PROJECTION_DUPLICATE = "projection_duplicate";
    /// A projection location does not exist in the schema.
    PROJECTION_UNKNOWN = "projection_unknown";
    /// A partition field is not a single token.
    PROJECTION_PARTITION_NAME = "projection_partition_name";
    /// A projection re-maps another location's canonical field name.
    PROJECTION_REMAPS_CANONICAL = "projection_remaps_canonical";
    /// A partition selector names an unknown field.
    PARTITION_UNKNOWN = "partition_unknown";
    /// A partition selector names a field that is not a partition.
    PARTITION_NOT_PARTITION = "partition_not_partition";
    /// A partition selector value has the wrong type.
    PARTITION_VALUE_TYPE = "partition_value_type";
    /// A partition selector value is an empty string.
    PARTITION_VALUE_EMPTY = "partition_value_empty";
    /// A schema location must exist, but no value can satisfy its schema.
    SCHEMA_IMPOSSIBLE = "schema_impossible";
    /// A schema is given as a URL that was not loaded, so it was not checked (a warning).
    SCHEMA_NOT_LOADED = "schema_not_loaded";
    /// A partitioned location is not required to exist by the collection's schema.
    PARTITION_NOT_REQUIRED = "partition_not_required";
    /// A journal fragment `length` is outside 32 to 4096 (megabytes).
    FRAGMENT_LENGTH_RANGE = "fragment_length_range";
    /// A journal `flushInterval` is shorter than Gazette's minimum of one minute.
    FLUSH_INTERVAL_TOO_SHORT = "flush_interval_too_short";

    // Derivations.
    /// Two transforms have the same name.
    TRANSFORM_DUPLICATE = "transform_duplicate";
    /// A transform has no `shuffle`.
    SHUFFLE_MISSING = "shuffle_missing";
    /// A shuffle key is empty.
    SHUFFLE_KEY_EMPTY = "shuffle_key_empty";
    /// Shuffle key types differ between transforms.
    SHUFFLE_KEY_MISMATCH = "shuffle_key_mismatch";
    /// Shuffle key types differ from `shuffleKeyTypes`.
    SHUFFLE_KEY_EXPLICIT_MISMATCH = "shuffle_key_explicit_mismatch";
    /// Shuffle key types cannot be inferred: give `shuffleKeyTypes`.
    SHUFFLE_KEY_CANNOT_INFER = "shuffle_key_cannot_infer";
    /// `notBefore` is after `notAfter`.
    SOURCE_TIME_ORDER = "source_time_order";

    // Tasks: captures, derivations and materializations.
    /// A connector image is empty or only whitespace (or a Dekaf variant is).
    IMAGE_EMPTY = "image_empty";
    /// A `redactSalt` is not valid base64.
    REDACT_SALT_INVALID = "redact_salt_invalid";
    /// A shard template's `maxTxnDuration` is zero.
    MAX_TXN_DURATION_ZERO = "max_txn_duration_zero";

    // Captures and materializations.
    /// An endpoint or derivation-connector config is not an object.
    CONFIG_NOT_OBJECT = "config_not_object";
    /// A binding resource is not an object.
    RESOURCE_NOT_OBJECT = "resource_not_object";
    /// Two capture bindings have the same resource.
    BINDING_DUPLICATE_RESOURCE = "binding_duplicate_resource";
    /// A field selection names a field that does not exist.
    FIELD_UNKNOWN = "field_unknown";
    /// A `groupBy` field cannot be a key.
    GROUP_BY_WRONG_TYPE = "group_by_wrong_type";
    /// A field is both required and excluded.
    FIELD_UNSATISFIABLE = "field_unsatisfiable";

    // Tests.
    /// An ingested document is invalid against the collection's schema.
    TEST_DOCUMENT_INVALID = "test_document_invalid";
    /// Verified documents are not in collection key order.
    TEST_VERIFY_ORDER = "test_verify_order";
    /// A verify step uses `notBefore` or `notAfter`.
    TEST_TIME_WINDOW = "test_time_window";
    /// Test documents are given as a URL that was not loaded, so they were not checked (a warning).
    TEST_DOCUMENTS_NOT_LOADED = "test_documents_not_loaded";

    // Secrets.
    /// A config holds secrets in plaintext: with no age recipient configured to
    /// write it (an error), or as loaded or built (a warning of validation).
    PLAINTEXT_SECRET = "plaintext_secret";
    /// A secret marker is inside a config that is already sops-encrypted.
    SECRET_IN_ENCRYPTED_CONFIG = "secret_in_encrypted_config";
    /// A secret marker is where no secret can be (the config root, an array item) or clashes with another property.
    INVALID_SECRET = "invalid_secret";
}
