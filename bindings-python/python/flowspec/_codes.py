"""The registry of codes: every code flowspec reports, with its group and
description, the same as the Rust core's ``flowspec::codes`` and the Node
binding's ``codes``.

>>> import flowspec
>>> flowspec.codes["invalid_name"].group
'names'
>>> "key_empty" in flowspec.codes
True
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, NamedTuple, cast

from flowspec._flowspec import _codes

# BEGIN GENERATED ErrorCode: `FLOWSPEC_BLESS=1 cargo test -p flowspec --test code_lists` rewrites it.
ErrorCode = Literal[
    "io",
    "load",
    "validation",
    "write",
    "catalog_secrets",
    "internal",
    "closed",
    "yaml_syntax",
    "json_syntax",
    "not_utf8",
    "nesting_too_deep",
    "alias_limit",
    "too_large",
    "read_failed",
    "invalid_reference",
    "invalid_spec",
    "schema_fragment_missing",
    "reference_outside_root",
    "invalid_name",
    "name_collision",
    "name_prohibited_prefix",
    "reference_undefined",
    "missing_import",
    "reference_deleted",
    "name_part_too_long",
    "journal_name_too_long",
    "shard_id_too_long",
    "collection_schema_missing",
    "schema_invalid",
    "schema_not_object",
    "schema_reduce_invalid",
    "key_empty",
    "key_unknown",
    "key_prohibited",
    "key_wrong_type",
    "key_has_reduction",
    "key_read_write_types_differ",
    "key_not_required",
    "projection_duplicate",
    "projection_unknown",
    "projection_partition_name",
    "projection_remaps_canonical",
    "partition_unknown",
    "partition_not_partition",
    "partition_value_type",
    "partition_value_empty",
    "schema_impossible",
    "schema_not_loaded",
    "partition_not_required",
    "fragment_length_range",
    "flush_interval_too_short",
    "transform_duplicate",
    "shuffle_missing",
    "shuffle_key_empty",
    "shuffle_key_mismatch",
    "shuffle_key_explicit_mismatch",
    "shuffle_key_cannot_infer",
    "source_time_order",
    "image_empty",
    "redact_salt_invalid",
    "max_txn_duration_zero",
    "config_not_object",
    "resource_not_object",
    "binding_duplicate_resource",
    "field_unknown",
    "group_by_wrong_type",
    "field_unsatisfiable",
    "test_document_invalid",
    "test_verify_order",
    "test_time_window",
    "test_documents_not_loaded",
    "plaintext_secret",
    "secret_in_encrypted_config",
    "invalid_secret",
    "sops_no_identity",
    "sops_no_matching_identity",
    "sops_mac_mismatch",
    "sops_decrypt_failed",
    "sops_malformed_value",
    "sops_unsupported_type",
    "sops_unsupported_value",
    "sops_multiple_rules",
    "sops_unsupported_rule",
    "sops_key_groups",
    "sops_missing_metadata",
    "sops_invalid_metadata",
    "sops_no_age_keys",
    "sops_reserved_key",
    "sops_not_an_object",
    "sops_no_recipients",
    "sops_invalid_recipient",
    "sops_invalid_identity",
    "sops_invalid_regex",
    "sops_empty_rule",
    "sops_key_command",
    "sops_io",
    "sops_parse",
    "sops_unknown_format",
    "sops_unsupported_format",
    "sops_config",
    "sops_identity_file_exists",
    "sops_invalid_data_key",
    "sops_age_encrypt",
    "sops_suffix_collision",
    "profile_invalid",
    "profile_write",
    "auth_token_invalid",
    "not_authenticated",
    "control_plane_refused",
    "control_plane_unreachable",
    "local_control_plane_failed",
    "publish_cancelled",
    "publication_failed",
    "config_encryption_failed",
    "data_plane_invalid",
    "live_spec_not_found",
]
# END GENERATED ErrorCode

CodeGroup = Literal[
    "operations",
    "loading",
    "names",
    "collections",
    "derivations",
    "tasks",
    "bindings",
    "tests",
    "secrets",
    "sops",
    "client",
]


class CodeInfo(NamedTuple):
    """One code of the registry."""

    code: ErrorCode
    """The code, like ``"key_empty"``."""
    group: CodeGroup
    """What the code is about, like ``"collections"``."""
    description: str
    """One sentence on the mistake the code names."""


codes: Mapping[ErrorCode, CodeInfo] = MappingProxyType(
    {
        cast(ErrorCode, code): CodeInfo(cast(ErrorCode, code), cast(CodeGroup, group), description)
        for code, group, description in _codes()
    }
)
"""Every code flowspec reports, in registry order: the kinds of
``FlowspecError`` (its ``code``) and the codes of ``Diagnostic``s. The same
mistake has the same code whichever entry point finds it."""
