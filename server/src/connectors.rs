//! The connectors a local control plane knows: the endpoint schemas
//! (`connector_tags`) that `connectorSpec` serves and config encryption
//! finds secrets with.
//!
//! Built in (from `server/connectors/`): `ghcr.io/estuary/` +
//! `source-postgres`, `source-stripe-native`, `source-hello-world`,
//! `source-http-ingest`, `materialize-postgres`, `materialize-snowflake`,
//! `materialize-webhook`, `materialize-s3` and `materialize-bigquery`, each
//! with `:v1` and `:dev`. Their schemas are small, written from the
//! connectors' public documentation: the fields, which are required, and
//! which are `"secret": true`.
//!
//! More come from a directory (`flowspec serve --connectors DIR`): every
//! `*.json` file directly in it, in name order, is one image:
//!
//! ```json
//! {
//!   "image": "ghcr.io/acme/source-thing",
//!   "tags": [":v2", ":dev"],
//!   "defaultTag": ":v2",
//!   "endpointSpecSchema": {"type": "object", "properties": {"apiKey": {"type": "string", "secret": true}}}
//! }
//! ```
//!
//! `image` has no tag; `tags` (each starting with `:`, or `@sha256:`) share
//! the schema; `defaultTag` (default: the first tag) is what `connectorSpec`
//! falls back to for an unknown tag. A file replaces the tags it names of
//! a built-in image, and its default becomes the image's.

use std::path::{Path, PathBuf};

use rusqlite::params;
use serde::Deserialize;

use crate::{ServerError, Store};

/// The built-in connectors: (file name, JSON text).
const BUILT_IN: &[(&str, &str)] = &[
    (
        "source-postgres.json",
        include_str!("../connectors/source-postgres.json"),
    ),
    (
        "source-stripe-native.json",
        include_str!("../connectors/source-stripe-native.json"),
    ),
    (
        "source-hello-world.json",
        include_str!("../connectors/source-hello-world.json"),
    ),
    (
        "source-http-ingest.json",
        include_str!("../connectors/source-http-ingest.json"),
    ),
    (
        "materialize-postgres.json",
        include_str!("../connectors/materialize-postgres.json"),
    ),
    (
        "materialize-snowflake.json",
        include_str!("../connectors/materialize-snowflake.json"),
    ),
    (
        "materialize-webhook.json",
        include_str!("../connectors/materialize-webhook.json"),
    ),
    (
        "materialize-s3.json",
        include_str!("../connectors/materialize-s3.json"),
    ),
    (
        "materialize-bigquery.json",
        include_str!("../connectors/materialize-bigquery.json"),
    ),
];

/// A file of a connector image: its tags and their endpoint schema.
///
/// ```
/// let text = r#"{"image": "ghcr.io/acme/source-x", "tags": [":v1"],
///                "endpointSpecSchema": {"type": "object"}}"#;
/// let connector = flowspec_server::connectors::Connector::parse(text, "x.json".as_ref()).unwrap();
/// assert_eq!(connector.default_tag(), ":v1");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Connector {
    /// The image's name, without a tag (`ghcr.io/estuary/source-postgres`).
    pub image: String,
    /// Its tags (`:v1`), which share the schema.
    pub tags: Vec<String>,
    /// The tag to fall back to (default: the first).
    #[serde(default)]
    pub default_tag: Option<String>,
    /// The JSON schema of its endpoint configuration.
    pub endpoint_spec_schema: serde_json::Value,
}

/// A connector file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("connector file {}: {reason}", path.display())]
pub struct ConnectorError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: String,
}

impl Connector {
    /// Parses and checks the text of the file `path`.
    ///
    /// ```
    /// use flowspec_server::connectors::Connector;
    /// let err = Connector::parse(r#"{"image": "x:v1", "tags": [":v1"], "endpointSpecSchema": {}}"#, "x.json".as_ref())
    ///     .unwrap_err();
    /// assert_eq!(err.to_string(), "connector file x.json: `image` must not have a tag: x:v1");
    /// ```
    pub fn parse(text: &str, path: &Path) -> Result<Connector, ConnectorError> {
        let fail = |reason: String| ConnectorError {
            path: path.to_path_buf(),
            reason,
        };
        let connector: Connector =
            serde_json::from_str(text).map_err(|e| fail(format!("invalid JSON: {e}")))?;
        let image = &connector.image;
        if image.is_empty() || image.contains(char::is_whitespace) {
            return Err(fail(format!("`image` is not an image name: {image:?}")));
        }
        if crate::graphql::split_image(image).is_some() {
            return Err(fail(format!("`image` must not have a tag: {image}")));
        }
        if connector.tags.is_empty() {
            return Err(fail("`tags` must name at least one tag".into()));
        }
        for tag in &connector.tags {
            let ok = (tag.starts_with(':') && tag.len() > 1 && !tag[1..].contains([':', '/', ' ']))
                || tag.starts_with("@sha256:");
            if !ok {
                return Err(fail(format!(
                    "tag {tag:?} must start with `:` (`:v1`) or be a digest (`@sha256:…`)"
                )));
            }
        }
        if let Some(default) = &connector.default_tag {
            if !connector.tags.contains(default) {
                return Err(fail(format!(
                    "`defaultTag` {default:?} is not one of its `tags`"
                )));
            }
        }
        if !connector.endpoint_spec_schema.is_object() {
            return Err(fail(
                "`endpointSpecSchema` must be a JSON schema object".into(),
            ));
        }
        if let Err(err) = jsonschema::validator_for(&connector.endpoint_spec_schema) {
            return Err(fail(format!(
                "`endpointSpecSchema` is not a valid JSON schema: {err}"
            )));
        }
        Ok(connector)
    }

    /// The tag to fall back to.
    pub fn default_tag(&self) -> &str {
        self.default_tag
            .as_deref()
            .unwrap_or_else(|| self.tags.first().map_or("", String::as_str))
    }
}

/// The built-in connectors.
///
/// ```
/// let built_in = flowspec_server::connectors::built_in();
/// assert!(built_in.iter().any(|c| c.image == "ghcr.io/estuary/source-postgres"));
/// ```
pub fn built_in() -> Vec<Connector> {
    BUILT_IN
        .iter()
        .map(|(name, text)| {
            Connector::parse(text, Path::new(name))
                .unwrap_or_else(|err| panic!("a built-in connector is invalid: {err}"))
        })
        .collect()
}

/// The connectors of the files `*.json` directly in `dir`, in name order.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("bad.json"), "{").unwrap();
/// let err = flowspec_server::connectors::load_dir(dir.path()).unwrap_err();
/// assert!(err.to_string().contains("bad.json: invalid JSON"));
/// ```
pub fn load_dir(dir: &Path) -> Result<Vec<Connector>, ConnectorError> {
    let fail = |path: &Path, reason: String| ConnectorError {
        path: path.to_path_buf(),
        reason,
    };
    let entries =
        std::fs::read_dir(dir).map_err(|e| fail(dir, format!("cannot read the directory: {e}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| fail(dir, format!("cannot read the directory: {e}")))?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .map_err(|e| fail(path, format!("cannot read it: {e}")))?;
            Connector::parse(&text, path)
        })
        .collect()
}

/// Writes `connectors` to the store's `connector_tags`, in order: a later
/// one replaces the tags it names, and its default becomes the image's.
pub fn seed(store: &Store, connectors: &[Connector]) -> Result<(), ServerError> {
    store.transaction(|tx| {
        for connector in connectors {
            let schema = connector.endpoint_spec_schema.to_string();
            tx.execute(
                "update connector_tags set is_default = 0 where image_name = ?1",
                params![connector.image],
            )?;
            for tag in &connector.tags {
                tx.execute(
                    "insert into connector_tags (image_name, image_tag, endpoint_spec_schema, is_default) \
                     values (?1, ?2, ?3, ?4) on conflict (image_name, image_tag) do update set \
                     endpoint_spec_schema = excluded.endpoint_spec_schema, is_default = excluded.is_default",
                    params![connector.image, tag, schema, tag == connector.default_tag()],
                )?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_connector_parses_and_has_v1_and_dev() {
        let all = built_in();
        assert_eq!(all.len(), BUILT_IN.len());
        for connector in &all {
            assert!(connector.image.starts_with("ghcr.io/estuary/"));
            for tag in [":v1", ":dev"] {
                assert!(
                    connector.tags.iter().any(|t| t == tag),
                    "{}",
                    connector.image
                );
            }
        }
    }

    #[test]
    fn bad_files_are_named_with_the_reason() {
        let path = Path::new("dir/x.json");
        let err = |text: &str| Connector::parse(text, path).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"image": "a/b", "tags": [], "endpointSpecSchema": {}}"#),
            "connector file dir/x.json: `tags` must name at least one tag"
        );
        assert_eq!(
            err(r#"{"image": "a/b", "tags": ["v1"], "endpointSpecSchema": {}}"#),
            "connector file dir/x.json: tag \"v1\" must start with `:` (`:v1`) or be a digest (`@sha256:…`)"
        );
        assert_eq!(
            err(
                r#"{"image": "a/b", "tags": [":v1"], "defaultTag": ":v2", "endpointSpecSchema": {}}"#
            ),
            "connector file dir/x.json: `defaultTag` \":v2\" is not one of its `tags`"
        );
        assert_eq!(
            err(r#"{"image": "a/b", "tags": [":v1"], "endpointSpecSchema": {"type": 5}}"#)
                .split(':')
                .nth(1),
            Some(" `endpointSpecSchema` is not a valid JSON schema")
        );
        assert!(
            err(r#"{"image": "a/b", "tags": [":v1"], "endpointSpecSchema": {}, "x": 1}"#)
                .contains("unknown field `x`")
        );
    }
}
