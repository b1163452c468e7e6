//! The catalog's everyday methods: load, validate, bundle, write.
//!
//! They are thin: each calls the module that does the work ([`crate::load`],
//! [`crate::validate`], [`crate::write`]), so the Rust API, the CLI and the
//! bindings share one implementation.

use std::path::Path;

use crate::write::{Format, Layout, WriteOptions, Written};
use crate::{Catalog, Diagnostic, Error, Result};

/// The `file://` URL of the directory `dir` (made absolute), with a final `/`.
fn dir_url(what: &str, dir: &Path) -> Result<String> {
    let invalid = |why: String| Error::invalid_spec(format!("{what} {}", dir.display()), why);
    let absolute = std::path::absolute(dir).map_err(|e| invalid(e.to_string()))?;
    let url = url::Url::from_directory_path(&absolute)
        .map_err(|()| invalid("it cannot be written as a file URL".to_string()))?;
    Ok(url.to_string())
}

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

    /// Makes relative file references of specs made in code resolve against
    /// the directory `dir` (made absolute against the current directory),
    /// rather than the current directory: the directory the catalog will be
    /// written to, typically. See [`crate::Origins::base_dir`].
    ///
    /// ```
    /// let mut catalog = flowspec::Catalog::default();
    /// catalog.set_base_dir("/p/specs")?;
    /// assert_eq!(catalog.origins.base_dir.as_deref(), Some("file:///p/specs/"));
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn set_base_dir(&mut self, dir: impl AsRef<Path>) -> Result<()> {
        self.origins.base_dir = Some(dir_url("base directory", dir.as_ref())?);
        Ok(())
    }

    /// Makes `dir` the directory file references must stay in (see
    /// [`crate::Origins::root`]); with
    /// [`Origins::deny_outside_root`](crate::Origins::deny_outside_root),
    /// others are refused.
    ///
    /// ```
    /// let mut catalog = flowspec::Catalog::default();
    /// catalog.set_root("/p")?;
    /// catalog.origins.deny_outside_root = true;
    /// assert_eq!(catalog.origins.root.as_deref(), Some("file:///p/"));
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn set_root(&mut self, dir: impl AsRef<Path>) -> Result<()> {
        self.origins.root = Some(dir_url("root", dir.as_ref())?);
        Ok(())
    }

    /// Checks the catalog offline. Returns the warnings when it is valid,
    /// and [`Error::Validation`] with every problem when it is not.
    ///
    /// Every file reference the catalog holds is read, as publishing would
    /// read it, and a missing or unreadable file is a problem of the
    /// catalog: references of loaded specs resolve against their file, those
    /// of specs made in code against [`Origins::base_dir`](crate::Origins),
    /// by default the current directory. Files outside of the catalog's
    /// root are warned about (code `reference_outside_root`).
    ///
    /// ```
    /// use flowspec::{build::CollectionBuilder, Catalog};
    /// let mut catalog = Catalog::default();
    /// catalog.add(CollectionBuilder::new("acmeCo/x").schema(serde_json::json!({"type": "object"})).key(Vec::<String>::new()))?;
    /// let err = catalog.validate().unwrap_err();
    /// assert_eq!(err.diagnostics()[0].code, "key_empty");
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn validate(&self) -> Result<Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        if crate::load::has_references(self) {
            let mut resolved = self.clone();
            match crate::load::inline_references(&mut resolved) {
                Ok(warnings) => {
                    diagnostics.extend(warnings);
                    diagnostics.extend(crate::validate::validate(&resolved));
                }
                Err(err) => diagnostics.extend(err.diagnostics().iter().cloned()),
            }
        } else {
            diagnostics.extend(crate::load::outside_root(self));
            diagnostics.extend(crate::validate::validate(self));
        }
        crate::validate::sort(&mut diagnostics);
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
        crate::write::render_with(
            self,
            Format::Yaml,
            &WriteOptions::default(),
            Path::new("flow.yaml"),
        )
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
        crate::write::render_with(
            self,
            Format::Json,
            &WriteOptions::default(),
            Path::new("flow.yaml"),
        )
    }

    /// Writes the catalog to `target` (`.yaml`, `.yml` or `.json`), as one
    /// file or in the split layout; returns what was written
    /// ([`Written`]).
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
    pub fn write(&self, target: impl AsRef<Path>, layout: Layout) -> Result<Written> {
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
    pub fn write_with(&self, target: impl AsRef<Path>, options: &WriteOptions) -> Result<Written> {
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

    /// Runs the catalog's tests locally, with Estuary's semantics; see
    /// [`crate::testing::run`]. A failing test is a result, not an error.
    ///
    /// ```
    /// let catalog = flowspec::Catalog::default();
    /// let results = catalog.run_tests(&Default::default())?;
    /// assert_eq!(results.summary(), "Ran 0 tests, 0 passed, 0 failed");
    /// # Ok::<(), flowspec::Error>(())
    /// ```
    pub fn run_tests(
        &self,
        options: &crate::testing::TestOptions,
    ) -> Result<crate::testing::TestResults> {
        crate::testing::run(self, options)
    }
}
