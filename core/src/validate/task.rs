//! Settings of tasks (captures, derivations and materializations) that are
//! checked before any connector runs: connector images, redaction salts and
//! shard templates.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::{alphabet, DecodeError, Engine as _};

use super::limits::{self, TaskType};
use super::Ctx;
use crate::{codes, Scope, ShardTemplate};

/// What every task has, and where.
pub(crate) struct Settings<'a> {
    pub task: TaskType,
    pub name: &'a str,
    /// The scope of the task's `redactSalt` and `shards`: its spec, or the
    /// `derive` of a derivation.
    pub at: Scope,
    /// The connector image and its scope, when the endpoint is a connector.
    pub image: Option<(Scope, &'a str)>,
    pub redact_salt: Option<&'a str>,
    pub shards: &'a ShardTemplate,
}

/// Checks the settings of a task.
pub(crate) fn check(ctx: &mut Ctx<'_>, s: Settings<'_>) {
    if let Some((at, image)) = &s.image {
        self::image(ctx, s.task, s.name, at, image);
    }
    redact_salt(ctx, s.task, s.name, &s.at, s.redact_salt);
    limits::shards(ctx, s.task, s.name, &s.at.push("shards"), s.shards);
}

/// Standard base64, padded or not, as Estuary decodes a `redactSalt`.
const SALT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Checks that a connector image (at `at`) is not empty or blank.
fn image(ctx: &mut Ctx<'_>, task: TaskType, name: &str, at: &Scope, image: &str) {
    if image.trim().is_empty() {
        ctx.error(
            at,
            codes::IMAGE_EMPTY,
            format!(
                "{} {name} has an empty connector image {image:?}; give the image of its \
                 connector, like ghcr.io/estuary/<connector>:<tag>",
                task.entity()
            ),
        );
    }
}

/// Checks that a Dekaf variant (at `at`) is not empty or blank: it names
/// the pseudo-image `ghcr.io/estuary/dekaf-<variant>`.
pub(crate) fn dekaf_variant(ctx: &mut Ctx<'_>, name: &str, at: &Scope, variant: &str) {
    if variant.trim().is_empty() {
        ctx.error(
            at,
            codes::IMAGE_EMPTY,
            format!(
                "materialization {name} has an empty Dekaf variant {variant:?}; give the \
                 variant of its Dekaf endpoint, like clickhouse"
            ),
        );
    }
}

/// Checks that a `redactSalt` (under `at`) is base64.
fn redact_salt(ctx: &mut Ctx<'_>, task: TaskType, name: &str, at: &Scope, salt: Option<&str>) {
    let Some(salt) = salt else {
        return;
    };
    if let Err(err) = SALT.decode(salt) {
        let why = match err {
            DecodeError::InvalidByte(offset, b'=') => {
                format!("its `=` padding at offset {offset} is misplaced")
            }
            DecodeError::InvalidByte(offset, byte) => format!(
                "{:?} at offset {offset} is not a base64 character (A-Z, a-z, 0-9, + and /)",
                char::from(byte)
            ),
            DecodeError::InvalidLength(len) => format!(
                "its length, {len}, is not that of base64 text (its last group of four has a \
                 single character)"
            ),
            DecodeError::InvalidLastSymbol(offset, byte) => format!(
                "its last character {:?} at offset {offset} has bits left over",
                char::from(byte)
            ),
            DecodeError::InvalidPadding => "its `=` padding is wrong".to_string(),
        };
        ctx.error(
            &at.push("redactSalt"),
            codes::REDACT_SALT_INVALID,
            format!(
                "{} {name} redactSalt {salt:?} is not valid base64: {why}",
                task.entity()
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, Expect};
    use serde_json::json;

    #[test]
    fn images_and_salts() {
        let capture = |image: &str, salt: &str| {
            json!({
                "endpoint": {"connector": {"image": image, "config": {}}},
                "bindings": [],
                "redactSalt": salt,
            })
        };
        check(
            json!({"captures": {
                "acmeCo/a": capture("ghcr.io/estuary/source-x:v1", "c2FsdA=="),
                "acmeCo/b": capture("ghcr.io/estuary/source-x:v1", "c2FsdA"),
                "acmeCo/d": capture("ghcr.io/estuary/source-x:v1", "c2FsdA="),
                "acmeCo/c": capture("ghcr.io/estuary/source-x:v1", ""),
            }}),
            &[],
        );
        check(
            json!({"captures": {
                "acmeCo/a": capture("", "c2Fs!A=="),
                "acmeCo/b": capture(" \t", "c2FsdA==="),
                "acmeCo/c": capture("ghcr.io/estuary/source-x:v1", "c2FsdB"),
                "acmeCo/d": capture("ghcr.io/estuary/source-x:v1", "c2Fsd"),
            }}),
            &[
                Expect::error(
                    "flow://catalog#/captures/acmeCo~1a/endpoint/connector/image",
                    "image_empty",
                    "capture acmeCo/a has an empty connector image \"\"; give the image of its connector, like ghcr.io/estuary/<connector>:<tag>",
                ),
                Expect::error(
                    "flow://catalog#/captures/acmeCo~1a/redactSalt",
                    "redact_salt_invalid",
                    "capture acmeCo/a redactSalt \"c2Fs!A==\" is not valid base64: '!' at offset 4 is not a base64 character (A-Z, a-z, 0-9, + and /)",
                ),
                Expect::error(
                    "flow://catalog#/captures/acmeCo~1b/endpoint/connector/image",
                    "image_empty",
                    "capture acmeCo/b has an empty connector image \" \\t\"; give the image of its connector, like ghcr.io/estuary/<connector>:<tag>",
                ),
                Expect::error(
                    "flow://catalog#/captures/acmeCo~1b/redactSalt",
                    "redact_salt_invalid",
                    "capture acmeCo/b redactSalt \"c2FsdA===\" is not valid base64: its `=` padding at offset 6 is misplaced",
                ),
                Expect::error(
                    "flow://catalog#/captures/acmeCo~1c/redactSalt",
                    "redact_salt_invalid",
                    "capture acmeCo/c redactSalt \"c2FsdB\" is not valid base64: its last character 'B' at offset 5 has bits left over",
                ),
                Expect::error(
                    "flow://catalog#/captures/acmeCo~1d/redactSalt",
                    "redact_salt_invalid",
                    "capture acmeCo/d redactSalt \"c2Fsd\" is not valid base64: its length, 5, is not that of base64 text (its last group of four has a single character)",
                ),
            ],
        );
    }

    #[test]
    fn derivation_and_materialization_endpoints() {
        let schema =
            json!({"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]});
        check(
            json!({
                "collections": {"acmeCo/d": {
                    "schema": schema,
                    "key": ["/id"],
                    "derive": {
                        "using": {"connector": {"image": "", "config": {}}},
                        "transforms": [],
                        "redactSalt": "%%",
                    },
                }},
                "materializations": {
                    "acmeCo/m": {
                        "endpoint": {"connector": {"image": "  ", "config": {}}},
                        "bindings": [],
                    },
                    "acmeCo/k": {
                        "endpoint": {"dekaf": {"variant": "", "config": {}}},
                        "bindings": [],
                    },
                    // Deleted specs are not checked.
                    "acmeCo/x": {
                        "endpoint": {"connector": {"image": "", "config": {}}},
                        "bindings": [],
                        "delete": true,
                    },
                },
            }),
            &[
                Expect::error(
                    "flow://catalog#/collections/acmeCo~1d/derive/redactSalt",
                    "redact_salt_invalid",
                    "derivation acmeCo/d redactSalt \"%%\" is not valid base64: '%' at offset 0 is not a base64 character (A-Z, a-z, 0-9, + and /)",
                ),
                Expect::error(
                    "flow://catalog#/collections/acmeCo~1d/derive/using/connector/image",
                    "image_empty",
                    "derivation acmeCo/d has an empty connector image \"\"; give the image of its connector, like ghcr.io/estuary/<connector>:<tag>",
                ),
                Expect::error(
                    "flow://catalog#/materializations/acmeCo~1k/endpoint/dekaf/variant",
                    "image_empty",
                    "materialization acmeCo/k has an empty Dekaf variant \"\"; give the variant of its Dekaf endpoint, like clickhouse",
                ),
                Expect::error(
                    "flow://catalog#/materializations/acmeCo~1m/endpoint/connector/image",
                    "image_empty",
                    "materialization acmeCo/m has an empty connector image \"  \"; give the image of its connector, like ghcr.io/estuary/<connector>:<tag>",
                ),
            ],
        );
    }
}
