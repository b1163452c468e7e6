//! The catalog's everyday methods: load, validate, bundle, write.
//!
//! They are thin: each calls the module that does the work ([`crate::load`],
//! [`crate::validate`], [`crate::write`]), so the Rust API, the CLI and the
//! bindings share one implementation.

use std::path::{Path, PathBuf};

use crate::write::{Format, Layout, WriteOptions};
use crate::{Catalog, Diagnostic, Error, Result};

impl Catalog {
    /// Loads a catalog from a `flow.yaml` / `flow.json` file (or `-` for
    /// stdin), following imports and inlining file references.
    ///
    /// ```no_run
    /// let catalog = flowspec::Catalog::load("flow.yaml")?;
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn load(source: &str) -> Result<Catalog> {
        crate::load::load(source)
    }

    /// Checks the catalog offline. Returns the warnings when it is valid,
    /// and [`Error::Validation`] with every problem when it is not.
    ///
    /// File references that validation needs (schemas, test documents) are
    /// read relative to where the catalog was loaded from, or the current
    /// directory for a catalog made in code.
    ///
    /// ```
    /// use flowspec::{build::Collection, Catalog};
    /// let mut catalog = Catalog::default();
    /// catalog.add(Collection::new("acmeCo/x").schema(serde_json::json!({"type": "object"})).key(Vec::<String>::new()))?;
    /// let err = catalog.validate().unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, "key_empty");
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn validate(&self) -> Result<Vec<Diagnostic>> {
        let diagnostics = if crate::load::has_validation_references(self) {
            let mut resolved = self.clone();
            crate::load::inline_validation_references(&mut resolved)?;
            crate::validate::validate(&resolved)
        } else {
            crate::validate::validate(self)
        };
        if diagnostics.iter().any(Diagnostic::is_error) {
            Err(Error::Validation(diagnostics))
        } else {
            Ok(diagnostics)
        }
    }

    /// The catalog with every file reference inlined: what Estuary receives.
    ///
    /// ```
    /// let catalog = flowspec::Catalog::default();
    /// assert!(catalog.bundle()?.is_empty());
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn bundle(&self) -> Result<Catalog> {
        let mut bundled = self.clone();
        crate::load::inline_references(&mut bundled)?;
        Ok(bundled)
    }

    /// The catalog as one YAML document, its secrets encrypted as
    /// [`Catalog::write`] encrypts them.
    ///
    /// ```
    /// let yaml = flowspec::Catalog::default().to_yaml()?;
    /// assert!(yaml.starts_with("# yaml-language-server: $schema="));
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn to_yaml(&self) -> Result<String> {
        crate::write::render_with(self, Format::Yaml, &WriteOptions::default())
    }

    /// The catalog as one JSON document, its secrets encrypted as
    /// [`Catalog::write`] encrypts them.
    ///
    /// ```
    /// let json = flowspec::Catalog::default().to_json()?;
    /// assert!(json.starts_with("{"));
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn to_json(&self) -> Result<String> {
        crate::write::render_with(self, Format::Json, &WriteOptions::default())
    }

    /// Writes the catalog to `target` (`.yaml`, `.yml` or `.json`), as one
    /// file or in the split layout; returns the files written.
    ///
    /// Configs holding secrets are sops-encrypted to the recipients of
    /// `SOPS_AGE_RECIPIENTS` or `.sops.yaml`; without any, writing them fails
    /// and nothing is written ([`Catalog::write_with`] takes recipients).
    ///
    /// ```no_run
    /// use flowspec::{write::Layout, Catalog};
    /// let files = Catalog::default().write("flow.yaml", Layout::Flat)?;
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn write(&self, target: impl AsRef<Path>, layout: Layout) -> Result<Vec<PathBuf>> {
        crate::write::write(self, target.as_ref(), layout)
    }

    /// Writes the catalog with [`WriteOptions`]: the layout, the age
    /// recipients of its secrets, or plaintext secrets if explicitly asked.
    ///
    /// ```no_run
    /// use flowspec::{write::WriteOptions, Catalog};
    /// let options = WriteOptions { recipients: vec!["age1…".into()], ..Default::default() };
    /// Catalog::default().write_with("flow.yaml", &options)?;
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn write_with(
        &self,
        target: impl AsRef<Path>,
        options: &WriteOptions,
    ) -> Result<Vec<PathBuf>> {
        crate::write::write_with(self, target.as_ref(), options)
    }

    /// Decrypts every sops-encrypted config in place with the age
    /// identities found as sops finds them (`SOPS_AGE_KEY`,
    /// `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`, the default `keys.txt`);
    /// returns how many were decrypted. See [`crate::secrets::open`].
    ///
    /// ```no_run
    /// let mut catalog = flowspec::Catalog::load("flow.yaml")?;
    /// catalog.decrypt_secrets()?;
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn decrypt_secrets(&mut self) -> Result<usize> {
        let identities = crate::secrets::Identities::discover()?;
        crate::secrets::open(self, &identities)
    }
}
