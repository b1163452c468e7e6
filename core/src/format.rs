//! The two file formats of catalogs and sops documents.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// # Format
/// A file format: YAML or JSON. Catalog files, schema files, configs and
/// sops documents are one or the other.
///
/// ```
/// use flowspec::Format;
/// use std::path::Path;
///
/// assert_eq!(Format::from_path(Path::new("flow.yaml")), Some(Format::Yaml));
/// assert_eq!(Format::from_path(Path::new("flow.yml")), Some(Format::Yaml));
/// assert_eq!(Format::from_path(Path::new("catalog.JSON")), Some(Format::Json));
/// assert_eq!(Format::from_path(Path::new("flow.txt")), None);
/// assert_eq!(Format::Json.extension(), "json");
/// assert_eq!("yml".parse::<Format>().unwrap(), Format::Yaml);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// YAML: catalogs in block style, with the editor schema hint as a
    /// comment; sops documents as sops writes them (go-yaml, 4-space indent).
    #[serde(alias = "yml")]
    Yaml,
    /// JSON: catalogs with 2-space indentation and a `$schema` key; sops
    /// documents as sops writes them (tab indent, Go escapes).
    Json,
}

impl Format {
    /// The format of a file, from its extension: `.json` is JSON, `.yaml`
    /// and `.yml` are YAML (in any case). `None` for anything else.
    ///
    /// ```
    /// use flowspec::Format;
    /// assert_eq!(Format::from_path("specs/flow.json".as_ref()), Some(Format::Json));
    /// assert_eq!(Format::from_path("flow".as_ref()), None);
    /// ```
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("json") {
            Some(Format::Json)
        } else if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") {
            Some(Format::Yaml)
        } else {
            None
        }
    }

    /// The format the loader reads a file as, from its path or URL: JSON
    /// when it ends in `.json` (in any case), else YAML (which includes
    /// JSON), as flowctl does.
    ///
    /// ```
    /// use flowspec::Format;
    /// assert_eq!(Format::of("file:///p/flow.JSON"), Format::Json);
    /// assert_eq!(Format::of("schemas/order.schema"), Format::Yaml);
    /// ```
    pub fn of(path: &str) -> Format {
        if path.to_ascii_lowercase().ends_with(".json") {
            Format::Json
        } else {
            Format::Yaml
        }
    }

    /// The extension of files flowspec creates in this format (`yaml` or
    /// `json`), as flowctl names them.
    ///
    /// ```
    /// use flowspec::Format;
    /// assert_eq!(Format::Yaml.extension(), "yaml"); // also for a `flow.yml` target
    /// ```
    pub fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }

    /// The lower-case name: `yaml` or `json`.
    ///
    /// ```
    /// assert_eq!(flowspec::Format::Yaml.name(), "yaml");
    /// ```
    pub fn name(self) -> &'static str {
        self.extension()
    }
}

/// A format name that is neither `json` nor `yaml` (or `yml`).
///
/// ```
/// let err = "toml".parse::<flowspec::Format>().unwrap_err();
/// assert_eq!(err.to_string(), "unsupported file format `toml`; expected json or yaml");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported file format `{0}`; expected json or yaml")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "yaml" | "yml" => Ok(Format::Yaml),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
