//! Every stable code of flowspec, in one registry: the kinds of [`Error`],
//! the codes of [`Diagnostic`]s, and the codes of sops errors. A code
//! names one kind of mistake, whichever entry point finds it (a Rust
//! builder, an option object of the Python or TypeScript binding, a loaded
//! `flow.yaml`, validation), and is never renamed or reused. The bindings
//! expose this registry (`flowspec.codes` in Python, `codes` in
//! TypeScript), and their `ErrorCode` types list its codes.
//!
//! [`Error`]: crate::Error
//! [`Diagnostic`]: crate::Diagnostic
//!
//! ```
//! use flowspec::codes;
//! assert!(codes::ALL.contains(&codes::KEY_EMPTY));
//! let info = codes::lookup("invalid_name").unwrap();
//! assert_eq!(info.group, codes::Group::Names);
//! assert!(info.description.starts_with("A catalog name"));
//! ```

/// One code of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Code {
    /// The code, like `key_empty`.
    pub code: &'static str,
    /// What the code is about.
    pub group: Group,
    /// One sentence on the mistake it names.
    pub description: &'static str,
}

/// The groups of codes, in the order of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// The kinds of [`crate::Error`] that carry diagnostics or wrap a
    /// failure of the system: the code of an operation that failed as a whole.
    Operations,
    /// Reading catalog files and decoding specs and options.
    Loading,
    /// Catalog names and references between specs.
    Names,
    /// Collections, schemas, keys, projections and partitions.
    Collections,
    /// Derivations and their transforms.
    Derivations,
    /// What captures, derivations and materializations share.
    Tasks,
    /// Endpoint configs, binding resources and field selection.
    Bindings,
    /// Catalog tests.
    Tests,
    /// Secret values in connector configs.
    Secrets,
    /// Encrypting and decrypting with sops and age.
    Sops,
    /// Profiles, credentials and the control plane.
    Client,
}

impl Group {
    /// A title for listings, like `Collections`.
    ///
    /// ```
    /// assert_eq!(flowspec::codes::Group::Sops.title(), "Sops");
    /// ```
    pub fn title(self) -> &'static str {
        match self {
            Group::Operations => "Operations",
            Group::Loading => "Loading",
            Group::Names => "Names",
            Group::Collections => "Collections",
            Group::Derivations => "Derivations",
            Group::Tasks => "Tasks",
            Group::Bindings => "Bindings",
            Group::Tests => "Tests",
            Group::Secrets => "Secrets",
            Group::Sops => "Sops",
            Group::Client => "Client",
        }
    }
}

macro_rules! codes {
    ($($group:ident { $($name:ident = $value:literal: $description:literal;)* })*) => {
        $($(#[doc = $description] pub const $name: &str = $value;)*)*

        /// Every code with its group and description, in registry order.
        pub const REGISTRY: &[Code] = &[
            $($(Code { code: $value, group: Group::$group, description: $description },)*)*
        ];

        /// Every code, in registry order.
        pub const ALL: &[&str] = &[$($($value,)*)*];
    };
}

/// The registry entry of `code`, if it is one.
pub fn lookup(code: &str) -> Option<&'static Code> {
    REGISTRY.iter().find(|c| c.code == code)
}

codes! {
    Operations {
        IO = "io": "A file could not be read: the catalog source itself, or a file a secrets operation reads.";
        LOAD = "load": "A catalog source could not be loaded; its diagnostics say where and why.";
        VALIDATION = "validation": "The catalog is not valid; its diagnostics say where and why.";
        WRITE = "write": "A catalog could not be written: a file system failure, or a layout that cannot be written.";
        CATALOG_SECRETS = "catalog_secrets": "The secrets of a catalog's configs could not be sealed or opened; its diagnostics say where and why.";
        INTERNAL = "internal": "A bug in flowspec (a panic caught at the binding); please report it.";
        CLOSED = "closed": "A catalog was used after it was closed (the Kotlin and Ruby bindings free catalogs explicitly).";
    }
    Loading {
        YAML_SYNTAX = "yaml_syntax": "A YAML file could not be parsed.";
        JSON_SYNTAX = "json_syntax": "A JSON file could not be parsed.";
        NOT_UTF8 = "not_utf8": "A file is not UTF-8.";
        NESTING_TOO_DEEP = "nesting_too_deep": "A document or a value nests more than 100 levels of arrays and objects, or contains itself.";
        ALIAS_LIMIT = "alias_limit": "A YAML document expands too many aliases.";
        TOO_LARGE = "too_large": "A file is too large to load.";
        READ_FAILED = "read_failed": "A referenced file could not be read.";
        INVALID_REFERENCE = "invalid_reference": "A reference is not a valid URL, or has a fragment where none is allowed.";
        INVALID_SPEC = "invalid_spec": "A spec or an option has a wrong type, an unknown field, a missing field or an invalid value, whether built, given as an option or loaded.";
        SCHEMA_FRAGMENT_MISSING = "schema_fragment_missing": "A referenced schema fragment does not exist.";
        REFERENCE_OUTSIDE_ROOT = "reference_outside_root": "A file reference leads outside of the catalog's root (a warning, or an error when the root is enforced).";
    }
    Names {
        INVALID_NAME = "invalid_name": "A catalog name, field name or JSON pointer does not follow its rule, whether built, given as an option or loaded.";
        NAME_COLLISION = "name_collision": "Two specs have the same name (compared case- and form-insensitively), or a spec is added under a name already defined.";
        NAME_PROHIBITED_PREFIX = "name_prohibited_prefix": "A name is a prohibited prefix of another.";
        REFERENCE_UNDEFINED = "reference_undefined": "A spec refers to an entity that is not defined, or an operation names a spec that is not defined.";
        MISSING_IMPORT = "missing_import": "Two files refer to each other's specs without an import path (a lint).";
        REFERENCE_DELETED = "reference_deleted": "A spec refers to an entity that this catalog deletes.";
        NAME_PART_TOO_LONG = "name_part_too_long": "A part of a catalog name is longer than the 255 bytes a directory or file name may have, so the split layout cannot be written.";
        JOURNAL_NAME_TOO_LONG = "journal_name_too_long": "A collection's journal names would be longer than Gazette's 512 bytes.";
        SHARD_ID_TOO_LONG = "shard_id_too_long": "A task's shard ids or recovery log names would be longer than Gazette's 512 bytes.";
    }
    Collections {
        COLLECTION_SCHEMA_MISSING = "collection_schema_missing": "A collection has neither `schema` nor both `writeSchema` and `readSchema`.";
        SCHEMA_INVALID = "schema_invalid": "A schema does not compile.";
        SCHEMA_NOT_OBJECT = "schema_not_object": "A collection schema's type is not exactly `object`.";
        SCHEMA_REDUCE_INVALID = "schema_reduce_invalid": "A schema's `reduce` annotation is misused.";
        KEY_EMPTY = "key_empty": "A collection key is empty.";
        KEY_UNKNOWN = "key_unknown": "A key location is unknown in the schema.";
        KEY_PROHIBITED = "key_prohibited": "A key location is prohibited by the schema.";
        KEY_WRONG_TYPE = "key_wrong_type": "A key location is not a single scalar type.";
        KEY_HAS_REDUCTION = "key_has_reduction": "A key location has a reduction other than `lastWriteWins`.";
        KEY_READ_WRITE_TYPES_DIFFER = "key_read_write_types_differ": "A key location has different types in the read and write schemas.";
        KEY_NOT_REQUIRED = "key_not_required": "A key location is not required (a warning).";
        PROJECTION_DUPLICATE = "projection_duplicate": "Two projections have the same field name.";
        PROJECTION_UNKNOWN = "projection_unknown": "A projection location does not exist in the schema.";
        PROJECTION_PARTITION_NAME = "projection_partition_name": "A partition field is not a single token.";
        PROJECTION_REMAPS_CANONICAL = "projection_remaps_canonical": "A projection re-maps another location's canonical field name.";
        PARTITION_UNKNOWN = "partition_unknown": "A partition selector names an unknown field.";
        PARTITION_NOT_PARTITION = "partition_not_partition": "A partition selector names a field that is not a partition.";
        PARTITION_VALUE_TYPE = "partition_value_type": "A partition selector value has the wrong type.";
        PARTITION_VALUE_EMPTY = "partition_value_empty": "A partition selector value is an empty string.";
        SCHEMA_IMPOSSIBLE = "schema_impossible": "A schema location must exist, but no value can satisfy its schema.";
        SCHEMA_NOT_LOADED = "schema_not_loaded": "A schema is given as a URL that was not loaded, so it was not checked (a warning).";
        PARTITION_NOT_REQUIRED = "partition_not_required": "A partitioned location is not required to exist by the collection's schema.";
        FRAGMENT_LENGTH_RANGE = "fragment_length_range": "A journal fragment `length` is outside 32 to 4096 (megabytes).";
        FLUSH_INTERVAL_TOO_SHORT = "flush_interval_too_short": "A journal `flushInterval` is shorter than Gazette's minimum of one minute.";
    }
    Derivations {
        TRANSFORM_DUPLICATE = "transform_duplicate": "Two transforms have the same name.";
        SHUFFLE_MISSING = "shuffle_missing": "A transform has no `shuffle`.";
        SHUFFLE_KEY_EMPTY = "shuffle_key_empty": "A shuffle key is empty.";
        SHUFFLE_KEY_MISMATCH = "shuffle_key_mismatch": "Shuffle key types differ between transforms.";
        SHUFFLE_KEY_EXPLICIT_MISMATCH = "shuffle_key_explicit_mismatch": "Shuffle key types differ from `shuffleKeyTypes`.";
        SHUFFLE_KEY_CANNOT_INFER = "shuffle_key_cannot_infer": "Shuffle key types cannot be inferred: give `shuffleKeyTypes`.";
        SOURCE_TIME_ORDER = "source_time_order": "`notBefore` is after `notAfter`.";
    }
    Tasks {
        IMAGE_EMPTY = "image_empty": "A connector image is empty or only whitespace (or a Dekaf variant is).";
        REDACT_SALT_INVALID = "redact_salt_invalid": "A `redactSalt` is not valid base64.";
        MAX_TXN_DURATION_ZERO = "max_txn_duration_zero": "A shard template's `maxTxnDuration` is zero.";
    }
    Bindings {
        CONFIG_NOT_OBJECT = "config_not_object": "An endpoint or derivation-connector config is not an object.";
        RESOURCE_NOT_OBJECT = "resource_not_object": "A binding resource is not an object.";
        BINDING_DUPLICATE_RESOURCE = "binding_duplicate_resource": "Two capture bindings have the same resource.";
        FIELD_UNKNOWN = "field_unknown": "A field selection names a field that does not exist.";
        GROUP_BY_WRONG_TYPE = "group_by_wrong_type": "A `groupBy` field cannot be a key.";
        FIELD_UNSATISFIABLE = "field_unsatisfiable": "A field is both required and excluded.";
    }
    Tests {
        TEST_DOCUMENT_INVALID = "test_document_invalid": "An ingested document is invalid against the collection's schema.";
        TEST_VERIFY_ORDER = "test_verify_order": "Verified documents are not in collection key order.";
        TEST_TIME_WINDOW = "test_time_window": "A verify step uses `notBefore` or `notAfter`.";
        TEST_DOCUMENTS_NOT_LOADED = "test_documents_not_loaded": "Test documents are given as a URL that was not loaded, so they were not checked (a warning).";
    }
    Secrets {
        PLAINTEXT_SECRET = "plaintext_secret": "A config holds secrets in plaintext: with no age recipient configured to write it (an error), or as loaded or built (a warning of validation).";
        SECRET_IN_ENCRYPTED_CONFIG = "secret_in_encrypted_config": "A secret marker is inside a config that is already sops-encrypted.";
        INVALID_SECRET = "invalid_secret": "A secret marker is where no secret can be (the config root, an array item) or clashes with another property.";
    }
    Sops {
        SOPS_NO_IDENTITY = "sops_no_identity": "No age identity was configured anywhere.";
        SOPS_NO_MATCHING_IDENTITY = "sops_no_matching_identity": "Identities exist, but none of them opens any of the document's age entries.";
        SOPS_MAC_MISMATCH = "sops_mac_mismatch": "The document's MAC does not match its content.";
        SOPS_DECRYPT_FAILED = "sops_decrypt_failed": "An `ENC[...]` value failed to decrypt (a wrong key, or the value, its path or its type was changed).";
        SOPS_MALFORMED_VALUE = "sops_malformed_value": "A value that must be an `ENC[AES256_GCM,...]` string is not well formed.";
        SOPS_UNSUPPORTED_TYPE = "sops_unsupported_type": "An `ENC[...]` value records a type flowspec cannot decode.";
        SOPS_UNSUPPORTED_VALUE = "sops_unsupported_value": "A value cannot be represented or encrypted where it is (a non-finite float in JSON, a secret marker left in plaintext).";
        SOPS_MULTIPLE_RULES = "sops_multiple_rules": "The metadata names more than one encryption rule.";
        SOPS_UNSUPPORTED_RULE = "sops_unsupported_rule": "The metadata uses a rule flowspec does not implement (the comment regexes).";
        SOPS_KEY_GROUPS = "sops_key_groups": "The document splits its data key over several key groups (Shamir secret sharing).";
        SOPS_MISSING_METADATA = "sops_missing_metadata": "The document has no top-level `sops` object.";
        SOPS_INVALID_METADATA = "sops_invalid_metadata": "A metadata field is missing or has the wrong shape.";
        SOPS_NO_AGE_KEYS = "sops_no_age_keys": "The metadata has no age key entries at all.";
        SOPS_RESERVED_KEY = "sops_reserved_key": "The plaintext document already has a top-level `sops` key.";
        SOPS_NOT_AN_OBJECT = "sops_not_an_object": "A sops document is not an object at the top level.";
        SOPS_NO_RECIPIENTS = "sops_no_recipients": "There is no age recipient to encrypt to.";
        SOPS_INVALID_RECIPIENT = "sops_invalid_recipient": "A recipient is not a usable age public key.";
        SOPS_INVALID_IDENTITY = "sops_invalid_identity": "Key text holds something that is not a usable age identity (the key itself is never shown).";
        SOPS_INVALID_REGEX = "sops_invalid_regex": "An encryption regex does not compile.";
        SOPS_EMPTY_RULE = "sops_empty_rule": "A rule's suffix or pattern is empty (sops would read that as \"no rule\").";
        SOPS_KEY_COMMAND = "sops_key_command": "`SOPS_AGE_KEY_CMD` could not be parsed or run, or it failed.";
        SOPS_IO = "sops_io": "Reading or writing a file of a secrets operation failed.";
        SOPS_PARSE = "sops_parse": "A JSON or YAML text to encrypt or decrypt does not parse.";
        SOPS_UNKNOWN_FORMAT = "sops_unknown_format": "A file's format cannot be told from its name.";
        SOPS_UNSUPPORTED_FORMAT = "sops_unsupported_format": "A format name is not `json` or `yaml`.";
        SOPS_CONFIG = "sops_config": "A `.sops.yaml` is malformed or asks for something unsupported.";
        SOPS_IDENTITY_FILE_EXISTS = "sops_identity_file_exists": "An identity file already exists and is not replaced.";
        SOPS_INVALID_DATA_KEY = "sops_invalid_data_key": "An age entry opened but does not hold a 32-byte data key.";
        SOPS_AGE_ENCRYPT = "sops_age_encrypt": "Wrapping the data key for a recipient failed.";
        SOPS_SUFFIX_COLLISION = "sops_suffix_collision": "Stripping the encrypted suffix would merge two keys of one object.";
    }
    Client {
        PROFILE_INVALID = "profile_invalid": "A profile file cannot be read or is not a flowctl profile, or a profile name cannot name a file.";
        PROFILE_WRITE = "profile_write": "A profile file could not be written.";
        AUTH_TOKEN_INVALID = "auth_token_invalid": "A given token is neither a JWT access token nor a base64 refresh token.";
        NOT_AUTHENTICATED = "not_authenticated": "A call needs credentials and there are none that are still good.";
        CONTROL_PLANE_REFUSED = "control_plane_refused": "The control plane answered a call with an error, which the message gives.";
        CONTROL_PLANE_UNREACHABLE = "control_plane_unreachable": "The control plane could not be reached, or its answer could not be read.";
        LOCAL_CONTROL_PLANE_FAILED = "local_control_plane_failed": "The local control plane could not start or run: a port in use, or its database.";
        PUBLISH_CANCELLED = "publish_cancelled": "A publication was not approved or was interrupted; nothing was published and its draft was deleted.";
        PUBLICATION_FAILED = "publication_failed": "A publication or a remote test ended in another status than success; its diagnostics are the control plane's errors by scope.";
        CONFIG_ENCRYPTION_FAILED = "config_encryption_failed": "An endpoint config could not be encrypted by the control plane's service, or its connector image is unknown; nothing was published.";
        DATA_PLANE_INVALID = "data_plane_invalid": "A data plane is not one the user can see, or specs connected to each other would be on different data planes.";
        LIVE_SPEC_NOT_FOUND = "live_spec_not_found": "A named spec is not live on the control plane.";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_described_in_one_sentence() {
        let mut seen = std::collections::BTreeSet::new();
        for c in REGISTRY {
            assert!(seen.insert(c.code), "{} is listed twice", c.code);
            assert!(
                c.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{}",
                c.code
            );
            assert!(
                c.description.ends_with('.') && !c.description.contains('\n'),
                "{}: {:?}",
                c.code,
                c.description
            );
            assert_eq!(lookup(c.code), Some(c));
        }
        assert_eq!(ALL.len(), REGISTRY.len());
        assert_eq!(lookup("nope"), None);
    }

    #[test]
    fn groups_are_contiguous() {
        let mut groups: Vec<Group> = REGISTRY.iter().map(|c| c.group).collect();
        groups.dedup();
        let unique: std::collections::HashSet<_> = groups.iter().collect();
        assert_eq!(groups.len(), unique.len(), "{groups:?}");
        assert_eq!(groups.len(), 11);
    }
}
