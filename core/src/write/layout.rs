//! Where each spec and each large value goes, and how file references are
//! written for their new place.
//!
//! The split layout follows flowctl pull-specs (`sources::merge` and
//! `sources::indirect` in estuary/flow): a spec named `acmeCo/anvils/products`
//! lives in `acmeCo/anvils/flow.yaml`, imported by `acmeCo/flow.yaml`,
//! imported by the target; values whose compact JSON exceeds 512 bytes move
//! to sibling files named after the last part of the spec's name.
//!
//! In both layouts, each value of a spec (see [`crate::Slots`]) is written:
//! - as a reference to the file it was loaded from, when it still holds what
//!   was loaded ([`crate::Origins::files`]) — the file is left as it is;
//! - changed, back into that file when the file lies inside the target's
//!   directory and no other value was loaded from it — a schema file stays a
//!   schema file;
//! - otherwise inline (or, in the split layout, in a sibling file when it is
//!   large), with the relative references it holds — a value given as a
//!   file's URL, a schema's `$ref`s, a local command's path — rewritten to
//!   name the same files from the spec's new place.
//!
//! No absolute local path is ever written for a relative one.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;
use url::Url;

use super::files::Content;
use super::{render_value, Doc, Format, Layout, SPLIT_THRESHOLD};
use crate::{
    file_reference, CaptureEndpoint, Catalog, DeriveUsing, Error, FileOrigin, Kind,
    MaterializationEndpoint, Result, Schema, Slot, SlotValue, SlotValueMut, Slots, TestDocuments,
};

/// The files of one write: paths relative to `dir`, with `/` separators,
/// their contents and what they hold; and the other files the written
/// catalog refers to.
pub(crate) struct Plan {
    pub dir: PathBuf,
    pub files: Vec<(String, String, Content)>,
    /// `file://` URLs (without fragments) of the files the catalog's specs
    /// refer to, other than the planned ones.
    pub referenced: BTreeSet<Url>,
}

/// Lays `catalog` out for writing to `target`.
pub(crate) fn plan(
    catalog: &Catalog,
    target: &Path,
    layout: Layout,
    keep_placement: bool,
) -> Result<Plan> {
    let format = Format::from_path(target).ok_or_else(|| {
        Error::write(
            target.display().to_string(),
            "unknown format: the file name must end in .yaml, .yml or .json".to_string(),
        )
    })?;
    let file_name = target
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            Error::write(
                target.display().to_string(),
                "the file name is not valid UTF-8".to_string(),
            )
        })?
        .to_string();
    let dir = target.parent().unwrap_or(Path::new("")).to_path_buf();
    let abs_dir = crate::paths::absolute(&dir).map_err(|err| {
        Error::write(
            target.display().to_string(),
            format!("cannot resolve the directory: {err}"),
        )
    })?;
    let dir_url = Url::from_directory_path(&abs_dir).map_err(|()| {
        Error::write(
            target.display().to_string(),
            "the directory cannot be written as a file URL".to_string(),
        )
    })?;

    // How many values were loaded from each file: one shared by several is
    // never rewritten for one of them.
    let mut loaded_from: HashMap<&str, usize> = HashMap::new();
    for origin in catalog.origins.files.values() {
        *loaded_from.entry(origin.url.as_str()).or_default() += 1;
    }

    let mut planner = Planner {
        catalog,
        format,
        target,
        dir: &dir,
        real_dir: crate::paths::real_path(&abs_dir),
        abs_dir: &abs_dir,
        dir_url: &dir_url,
        code_base: crate::load::code_base(&catalog.origins),
        loaded_from,
        files: BTreeMap::new(),
        referenced: BTreeSet::new(),
    };
    match (layout, keep_placement) {
        (Layout::Flat, false) => planner.flat(&file_name)?,
        (layout, keep) => planner.canonical(&file_name, layout, keep)?,
    }
    check_paths(target, &planner.files)?;

    let Planner {
        files, referenced, ..
    } = planner;
    let files = files
        .into_iter()
        .map(|(path, file)| (path, file.contents, file.content))
        .collect();
    Ok(Plan {
        dir,
        files,
        referenced,
    })
}

struct Planned {
    contents: String,
    content: Content,
    /// The spec that wrote it, for messages.
    owner: String,
}

struct Planner<'a> {
    catalog: &'a Catalog,
    format: Format,
    target: &'a Path,
    dir: &'a Path,
    abs_dir: &'a Path,
    /// `abs_dir` with symlinks resolved.
    real_dir: PathBuf,
    dir_url: &'a Url,
    /// The URL references of specs made in code resolve against.
    code_base: Option<Url>,
    /// How many values were loaded from each file.
    loaded_from: HashMap<&'a str, usize>,
    files: BTreeMap<String, Planned>,
    /// The files the written specs refer to.
    referenced: BTreeSet<Url>,
}

impl<'a> Planner<'a> {
    fn add(&mut self, path: String, contents: String, content: Content, owner: &str) -> Result<()> {
        if let Some(other) = self.files.get(&path) {
            return Err(Error::write(
                self.dir.join(&path).display().to_string(),
                format!("both {} and {owner} would write this file", other.owner),
            ));
        }
        self.files.insert(
            path,
            Planned {
                contents,
                content,
                owner: owner.to_string(),
            },
        );
        Ok(())
    }

    /// The URL that the relative references of a spec resolve against.
    fn source_of(&self, kind: Kind, name: &str) -> Option<Url> {
        if self
            .catalog
            .origins
            .specs
            .contains_key(&(kind, name.to_string()))
        {
            crate::load::reference_base(&self.catalog.origins, kind, name)
        } else {
            self.code_base.clone()
        }
    }

    /// The path, relative to the target's directory, of the file at `path`
    /// if it lies inside that directory (symlinks followed).
    fn inside(&self, path: &Path) -> Option<String> {
        let real = crate::paths::real_path(path);
        let rel = real.strip_prefix(&self.real_dir).ok()?;
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        let rel = parts?.join("/");
        (!rel.is_empty()).then_some(rel)
    }

    /// The catalog's own imports, rebased onto the target's directory.
    fn imports(&self, target: &Url) -> Vec<Cow<'a, str>> {
        let rebase = self
            .code_base
            .as_ref()
            .map(|from| Rebase::new(from, target));
        self.catalog
            .import
            .iter()
            .map(|i| match rebase.as_ref().and_then(|r| r.url(i)) {
                Some(new) => Cow::Owned(new),
                None => Cow::Borrowed(i.as_str()),
            })
            .collect()
    }

    fn flat(&mut self, file_name: &str) -> Result<()> {
        let catalog = self.catalog;
        let to = self.dir_url.join(file_name).expect("a file name joins");
        let to_dir = self.abs_dir.to_path_buf();
        let mut doc = Doc::of(catalog);
        doc.import = self.imports(&to);

        macro_rules! fix_all {
            ($specs:expr, $kind:expr) => {
                for (name, def) in $specs.0.iter_mut() {
                    let mut fixer = Fixer::new(self, $kind, name.as_str(), &to, &to_dir, None);
                    fixer.fix(def)?;
                }
            };
        }
        fix_all!(doc.captures, Kind::Capture);
        fix_all!(doc.collections, Kind::Collection);
        fix_all!(doc.materializations, Kind::Materialization);
        fix_all!(doc.tests, Kind::Test);

        let text = doc.render(self.format);
        self.add(file_name.to_string(), text, Content::Catalog, "the catalog")
    }

    /// The catalog file inside the target's directory, relative to it,
    /// that a loaded spec came from, if it has this write's format.
    fn kept_file(&self, kind: Kind, name: &str, ext: &str) -> Option<String> {
        let scope = self.catalog.origins.specs.get(&(kind, name.to_string()))?;
        let path = Url::parse(&scope.url).ok()?.to_file_path().ok()?;
        let rel = self.inside(&path)?;
        rel.ends_with(&format!(".{ext}")).then_some(rel)
    }

    /// The canonical layout, or (with `keep`) each loaded spec in its file
    /// and the others placed by `layout`: in their canonical files, or in
    /// the target itself when flat.
    fn canonical(&mut self, file_name: &str, layout: Layout, keep: bool) -> Result<()> {
        let catalog = self.catalog;
        let ext = self.format.extension();
        // The file each kept spec stays in.
        let mut kept: HashMap<(Kind, String), String> = HashMap::new();
        if keep {
            for (kind, name) in catalog.origins.specs.keys() {
                if let Some(file) = self.kept_file(*kind, name, ext) {
                    kept.insert((*kind, name.clone()), file);
                }
            }
        }
        // Catalog files by path relative to the target's directory.
        let mut docs: BTreeMap<String, Doc<'a>> = BTreeMap::new();
        let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let root = file_name.to_string();
        let root_url = self.dir_url.join(file_name).expect("a file name joins");
        let own_imports: Vec<String> = self
            .imports(&root_url)
            .into_iter()
            .map(Cow::into_owned)
            .collect();
        imports.entry(root.clone()).or_default().extend(own_imports);

        macro_rules! place_all {
            ($map:expr, $kind:expr, $field:ident) => {
                for (name, def) in $map.iter() {
                    let what = format!("{} {}", $kind.singular(), name.as_str());
                    let (mut prefix, base) = self.split_name(&what, name.as_str())?;
                    let mut file = format!("{prefix}flow.{ext}");
                    let mut split = layout == Layout::Canonical;
                    let mut chain = true;
                    match kept.get(&($kind, name.to_string())) {
                        // A loaded spec stays in its file, imported from
                        // the target directly unless the chain of its
                        // directory's `flow` files reaches it.
                        Some(path) => {
                            let dir = path.rfind('/').map_or("", |i| &path[..=i]);
                            if path != &format!("{dir}flow.{ext}") && path != &root {
                                imports
                                    .entry(root.clone())
                                    .or_default()
                                    .insert(path.clone());
                                chain = false;
                            }
                            file = path.clone();
                            prefix = dir;
                        }
                        // A new spec of a flat write: in the target.
                        None if layout == Layout::Flat => {
                            file = root.clone();
                            prefix = "";
                            split = false;
                        }
                        None => {}
                    }

                    // The import chain: the target imports `acmeCo/flow.yaml`,
                    // which imports `anvils/flow.yaml`, and so on.
                    let mut importer = root.clone();
                    let mut at = 0;
                    while let Some(slash) = prefix[at..].find('/').filter(|_| chain) {
                        let next = &prefix[..at + slash + 1];
                        let child = format!("{next}flow.{ext}");
                        let rel = format!("{}flow.{ext}", &prefix[at..at + slash + 1]);
                        imports.entry(importer).or_default().insert(rel);
                        importer = child;
                        at += slash + 1;
                    }

                    let to_dir = crate::paths::lexical(&self.abs_dir.join(prefix));
                    let to = Url::from_directory_path(&to_dir)
                        .expect("an absolute path")
                        .join(&file[prefix.len()..])
                        .expect("a file name joins");
                    let mut spec = Cow::Borrowed(def);
                    let split = split.then_some(Split { prefix, base });
                    let mut fixer = Fixer::new(self, $kind, name.as_str(), &to, &to_dir, split);
                    fixer.fix(&mut spec)?;
                    docs.entry(file).or_default().$field.0.push((name, spec));
                }
            };
        }
        place_all!(catalog.captures, Kind::Capture, captures);
        place_all!(catalog.collections, Kind::Collection, collections);
        place_all!(
            catalog.materializations,
            Kind::Materialization,
            materializations
        );
        place_all!(catalog.tests, Kind::Test, tests);

        for (file, list) in imports {
            docs.entry(file).or_default().import = list.into_iter().map(Cow::Owned).collect();
        }
        for (file, doc) in docs {
            let text = doc.render(self.format);
            self.add(file, text, Content::Catalog, "the catalog")?;
        }
        Ok(())
    }

    /// Splits a spec name into its directory prefix (`acmeCo/anvils/`) and
    /// its last part (`products`), refusing `.` and `..` parts, which would
    /// put files outside the target's directory.
    fn split_name<'n>(&self, what: &str, name: &'n str) -> Result<(&'n str, &'n str)> {
        if let Some(part) = name.split('/').find(|p| *p == "." || *p == "..") {
            return Err(Error::write(
                self.dir.join(name).display().to_string(),
                format!(
                    "{what}: a name part `{part}` would place files outside of {}; \
                     rename the spec or write it with the flat layout",
                    display_dir(self.target),
                ),
            ));
        }
        let slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
        Ok((&name[..slash], &name[slash..]))
    }
}

fn display_dir(target: &Path) -> String {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
        _ => ".".to_string(),
    }
}

/// Checks that no planned file is also a directory of another one.
fn check_paths(target: &Path, files: &BTreeMap<String, Planned>) -> Result<()> {
    for path in files.keys() {
        let mut at = 0;
        while let Some(slash) = path[at..].find('/') {
            let dir = &path[..at + slash];
            if let Some(file) = files.get(dir) {
                return Err(Error::write(
                    target.with_file_name(dir).display().to_string(),
                    format!(
                        "{} writes this file, but {path} needs it as a directory",
                        file.owner
                    ),
                ));
            }
            at += slash + 1;
        }
    }
    Ok(())
}

/// Where a spec's large values go: sibling files in `prefix`, named after `base`.
struct Split<'n> {
    prefix: &'n str,
    base: &'n str,
}

/// Moves relative references from where they were written (`from`, a file
/// or directory URL) to a file at `to`.
struct Rebase {
    from: Url,
    to: Url,
}

impl Rebase {
    fn new(from: &Url, to: &Url) -> Rebase {
        Rebase {
            from: from.clone(),
            to: to.clone(),
        }
    }

    /// A relative URL reference, rewritten; `None` for absolute URLs, and
    /// when no relative URL leads from `to` to its target.
    fn url(&self, reference: &str) -> Option<String> {
        if !is_relative_url(reference) {
            return None;
        }
        let absolute = self.from.join(reference).ok()?;
        if self.to.join(reference).ok()? == absolute {
            return None; // It means the same from there.
        }
        self.to.make_relative(&absolute)
    }

    /// A relative local path (a command with a `/`), rewritten to be
    /// relative to the directory `to_dir`.
    fn path(&self, path: &str, to_dir: &Path) -> Option<String> {
        if !path.contains('/') || Path::new(path).is_absolute() || self.from.scheme() != "file" {
            return None;
        }
        let from_dir = self.from.join(".").ok()?.to_file_path().ok()?;
        let absolute = crate::paths::lexical(&from_dir.join(path));
        if crate::paths::lexical(&to_dir.join(path)) == absolute {
            return None; // It means the same from there.
        }
        let relative = relative_path(to_dir, &absolute)?;
        let relative = if relative.contains('/') {
            relative
        } else {
            format!("./{relative}")
        };
        Some(relative)
    }
}

fn is_relative_url(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('/')
        && !s.starts_with('#')
        && matches!(Url::parse(s), Err(url::ParseError::RelativeUrlWithoutBase))
}

/// A new value for a slot.
enum Edit {
    /// A reference to a file.
    Reference(String),
    /// An inline schema, with its references rewritten.
    Schema(Schema),
}

/// Writes the values of one spec for its new place (see the module docs)
/// and, in the split layout, moves its large values to sibling files.
struct Fixer<'p, 'a, 'n> {
    /// `collection acmeCo/anvils`, for messages.
    what: String,
    kind: Kind,
    name: &'n str,
    /// What the spec's references resolve against, if anything.
    rebase: Option<Rebase>,
    /// The directory of the file the spec is written in.
    to_dir: &'n Path,
    split: Option<Split<'n>>,
    planner: &'p mut Planner<'a>,
}

impl<'p, 'a, 'n> Fixer<'p, 'a, 'n> {
    fn new(
        planner: &'p mut Planner<'a>,
        kind: Kind,
        name: &'n str,
        to: &Url,
        to_dir: &'n Path,
        split: Option<Split<'n>>,
    ) -> Self {
        let rebase = planner
            .source_of(kind, name)
            .map(|from| Rebase::new(&from, to));
        Fixer {
            what: format!("{} {name}", kind.singular()),
            kind,
            name,
            rebase,
            to_dir,
            split,
            planner,
        }
    }

    /// Rewrites the slots and local commands of `spec`.
    fn fix<T: Slots + Clone + LocalCommands>(&mut self, spec: &mut Cow<'_, T>) -> Result<()> {
        let mut edits: HashMap<String, Edit> = HashMap::new();
        let mut failed = None;
        spec.for_each_slot(&mut |slot, pointer, value| {
            if failed.is_some() {
                return;
            }
            match self.slot(slot, pointer, value) {
                Ok(Some(edit)) => {
                    edits.insert(pointer.to_string(), edit);
                }
                Ok(None) => {}
                Err(err) => failed = Some(err),
            }
        });
        if let Some(err) = failed {
            return Err(err);
        }
        if !edits.is_empty() {
            spec.to_mut().for_each_slot_mut(&mut |_, pointer, value| {
                let Some(edit) = edits.remove(pointer) else {
                    return;
                };
                match (edit, value) {
                    (Edit::Reference(url), SlotValueMut::Value(v)) => *v = Value::String(url),
                    (Edit::Reference(url), SlotValueMut::Schema(s)) => *s = Schema::reference(url),
                    (Edit::Reference(url), SlotValueMut::Documents(d)) => {
                        *d = TestDocuments::Url(url)
                    }
                    (Edit::Schema(new), SlotValueMut::Schema(s)) => *s = new,
                    (Edit::Schema(_), _) => unreachable!("schemas are edited in schema slots"),
                }
            });
        }
        if let Some(rebase) = &self.rebase {
            if let Some(command) = spec.local_command() {
                if let Some(first) = command.first() {
                    if let Some(new) = rebase.path(first, self.to_dir) {
                        spec.to_mut().local_command_mut().expect("it has one")[0] = new;
                    }
                }
            }
        }
        Ok(())
    }

    /// The new value of one slot, if it changes.
    fn slot(&mut self, slot: Slot, pointer: &str, value: SlotValue) -> Result<Option<Edit>> {
        if let Slot::Lambda { transform, .. } | Slot::ShuffleLambda { transform, .. } = slot {
            // Transform names go into file names: refuse those that cannot,
            // whether or not this one is large.
            self.transform_part(transform)?;
        }
        let origins = &self.planner.catalog.origins;
        let origin = origins.file(self.kind, self.name, pointer);
        if let Some(origin) = origin {
            if let Some(edit) = self.loaded(slot, origin, value)? {
                return Ok(Some(edit));
            }
        }
        // What the value's own references resolve against: the file it was
        // loaded from, or the spec's.
        let content_base = origin.and_then(|o| Url::parse(&o.url).ok());
        self.note_references(value, content_base.as_ref());
        match value {
            SlotValue::Value(v) => {
                if let Some(reference) = file_reference(v) {
                    return Ok(self.rebase_url(reference).map(Edit::Reference));
                }
                if slot.is_text() {
                    self.raw(slot, v)
                } else {
                    self.dom(slot, v)
                }
            }
            SlotValue::Schema(schema) => self.schema(slot, schema, content_base.as_ref()),
            SlotValue::Documents(TestDocuments::Url(url)) => {
                Ok(self.rebase_url(url).map(Edit::Reference))
            }
            SlotValue::Documents(TestDocuments::Inline(docs)) => {
                if self.split.is_none() || !json_len_exceeds(docs, SPLIT_THRESHOLD) {
                    return Ok(None);
                }
                let contents = render_value(&Value::Array(docs.clone()), self.planner.format);
                self.sibling(slot, contents).map(Some)
            }
        }
    }

    /// A value loaded from the file of `origin`: a reference to the file
    /// while it holds the value, the value written back into it when it
    /// changed and the file is the target's to write; `None` to write it as
    /// any other value.
    fn loaded(
        &mut self,
        slot: Slot,
        origin: &FileOrigin,
        value: SlotValue,
    ) -> Result<Option<Edit>> {
        let Ok(url) = Url::parse(&origin.url) else {
            return Ok(None);
        };
        let Ok(path) = url.to_file_path() else {
            return Ok(None);
        };
        let Some(rebase) = &self.rebase else {
            return Ok(None);
        };
        // As it was written, if that still names the file from here.
        let reference = match rebase.to.join(&origin.reference) {
            Ok(same) if same == url => origin.reference.clone(),
            _ => match rebase.to.make_relative(&url) {
                Some(reference) => reference,
                None => return Ok(None),
            },
        };
        if origin.holds(value) && path.is_file() {
            self.planner.referenced.insert(url);
            return Ok(Some(Edit::Reference(reference)));
        }
        let Some(rel) = self.planner.inside(&path) else {
            return Ok(None);
        };
        if self.planner.loaded_from.get(origin.url.as_str()) != Some(&1) {
            return Ok(None);
        }
        let format = Format::from_path(&path).unwrap_or(Format::Yaml);
        let content = match slot.is_text() {
            true => Content::Text,
            false => Content::Document,
        };
        let contents = match value {
            SlotValue::Value(v) if file_reference(v).is_some() => return Ok(None),
            SlotValue::Value(Value::String(text)) if slot.is_text() => text.clone(),
            SlotValue::Value(_) if slot.is_text() => return Ok(None),
            SlotValue::Value(v) => render_value(v, format),
            // As loaded, its references resolve against its file.
            SlotValue::Schema(schema) => match schema.inline_json() {
                None => return Ok(None),
                Some(_) => render_value(&schema.to_value(), format),
            },
            SlotValue::Documents(TestDocuments::Inline(docs)) => {
                render_value(&Value::Array(docs.clone()), format)
            }
            SlotValue::Documents(TestDocuments::Url(_)) => return Ok(None),
        };
        self.planner.add(rel, contents, content, &self.what)?;
        Ok(Some(Edit::Reference(reference)))
    }

    fn rebase_url(&self, reference: &str) -> Option<String> {
        self.rebase.as_ref()?.url(reference)
    }

    /// Records the files a value written as it is refers to; `content_base`
    /// is what a schema's references resolve against, if not the spec's file.
    fn note_references(&mut self, value: SlotValue, content_base: Option<&Url>) {
        let Some(rebase) = &self.rebase else { return };
        let from = &rebase.from;
        let mut found = Vec::new();
        match value {
            SlotValue::Value(v) => found.extend(file_reference(v).and_then(|r| from.join(r).ok())),
            SlotValue::Schema(s) => match s.as_reference() {
                Some(r) => found.extend(from.join(r).ok()),
                None if s.may_refer() => {
                    found = crate::load::schema_files(&s.to_value(), content_base.unwrap_or(from))
                }
                None => {}
            },
            SlotValue::Documents(TestDocuments::Url(r)) => found.extend(from.join(r).ok()),
            SlotValue::Documents(TestDocuments::Inline(_)) => {}
        }
        for mut url in found {
            if url.scheme() == "file" {
                url.set_fragment(None);
                self.planner.referenced.insert(url);
            }
        }
    }

    /// Whether a value is large enough to move to its own file.
    fn is_large(&self, v: &Value) -> bool {
        self.split.is_some() && json_len_exceeds(v, SPLIT_THRESHOLD)
    }

    /// The name of the sibling file of a slot, as flowctl names them.
    fn sibling_name(&self, slot: Slot) -> Result<String> {
        let base = self.split.as_ref().map(|s| s.base).unwrap_or_default();
        let ext = self.planner.format.extension();
        Ok(match slot {
            Slot::Config => format!("{base}.config.{ext}"),
            Slot::Resource(i) => format!("{base}.resource.{i}.config.{ext}"),
            Slot::Schema => format!("{base}.schema.{ext}"),
            Slot::WriteSchema => format!("{base}.write.schema.{ext}"),
            Slot::ReadSchema => format!("{base}.read.schema.{ext}"),
            Slot::Migration(i) => format!("{base}.migration.{i}.sql"),
            Slot::Module(lang) => format!("{base}.{lang}"),
            Slot::Lambda { transform, sql } => {
                let name = self.transform_part(transform)?;
                match sql {
                    true => format!("{base}.lambda.{name}.sql"),
                    false => format!("{base}.lambda.{name}.{ext}"),
                }
            }
            Slot::ShuffleLambda { transform, sql } => {
                let name = self.transform_part(transform)?;
                match sql {
                    true => format!("{base}.lambda.{name}.shuffle.sql"),
                    false => format!("{base}.lambda.{name}.shuffle.{ext}"),
                }
            }
            Slot::Documents(i) => format!("{base}.step.{i}.{ext}"),
        })
    }

    /// Writes the sibling file of a slot; returns the reference to it.
    fn sibling(&mut self, slot: Slot, contents: String) -> Result<Edit> {
        let name = self.sibling_name(slot)?;
        let split = self.split.as_ref().expect("only when splitting");
        let path = format!("{}{name}", split.prefix);
        let content = match slot.is_text() {
            true => Content::Text,
            false => Content::Document,
        };
        self.planner.add(path, contents, content, &self.what)?;
        Ok(Edit::Reference(name))
    }

    /// A slot holding a document (`config`, `resource`, non-SQL lambdas):
    /// a sibling file when large.
    fn dom(&mut self, slot: Slot, v: &Value) -> Result<Option<Edit>> {
        if !self.is_large(v) {
            return Ok(None);
        }
        let contents = render_value(v, self.planner.format);
        self.sibling(slot, contents).map(Some)
    }

    /// A slot holding text (SQL, TypeScript, Python): a sibling text file
    /// when large.
    fn raw(&mut self, slot: Slot, v: &Value) -> Result<Option<Edit>> {
        match v {
            Value::String(text) if self.is_large(v) => self.sibling(slot, text.clone()).map(Some),
            _ => Ok(None),
        }
    }

    /// A schema: a URL (maybe with a fragment), rebased; or inline, with its
    /// `$ref`s rebased (from `content_base`, the file it was loaded from, or
    /// else the spec's), and moved to a sibling file when large. A
    /// `file://` `$id` of a moved schema is dropped, unless the schema has
    /// definitions that resolve against it.
    fn schema(
        &mut self,
        slot: Slot,
        schema: &Schema,
        content_base: Option<&Url>,
    ) -> Result<Option<Edit>> {
        let text = match schema.inline_json() {
            None => {
                let reference = schema.as_reference().expect("not inline");
                return Ok(self.rebase_url(reference).map(Edit::Reference));
            }
            Some(text) => text,
        };
        let mut rebased = None;
        if schema.may_refer() {
            if let Some(rebase) = &self.rebase {
                let mut value = schema.to_value();
                let from = content_base.unwrap_or(&rebase.from);
                if crate::load::rebase_refs(&mut value, from, &rebase.to) {
                    rebased = Some(value);
                }
            }
        }
        // The text is compact JSON, so its length is the JSON length.
        if self.split.is_none() || text.len() <= SPLIT_THRESHOLD {
            return Ok(rebased.map(|v| Edit::Schema(Schema::new(v))));
        }
        let mut value = rebased.unwrap_or_else(|| schema.to_value());
        if let Value::Object(m) = &mut value {
            let drop_id = !m.contains_key("definitions")
                && !m.contains_key("$defs")
                && m.get("$id")
                    .and_then(Value::as_str)
                    .is_some_and(|id| id.starts_with("file://"));
            if drop_id {
                m.shift_remove("$id");
            }
        }
        let contents = render_value(&value, self.planner.format);
        self.sibling(slot, contents).map(Some)
    }

    /// A transform name as part of a file name.
    fn transform_part<'t>(&self, name: &'t str) -> Result<&'t str> {
        if self.split.is_some() && (name == "." || name == "..") {
            return Err(Error::write(
                self.planner.target.display().to_string(),
                format!(
                    "{}: transform `{name}` cannot be used in a file name; rename it",
                    self.what
                ),
            ));
        }
        Ok(name)
    }
}

/// Specs that may run a local command, whose path is relative to their file.
trait LocalCommands {
    fn local_command(&self) -> Option<&[String]>;
    fn local_command_mut(&mut self) -> Option<&mut Vec<String>>;
}

impl LocalCommands for crate::CaptureDef {
    fn local_command(&self) -> Option<&[String]> {
        match &self.endpoint {
            CaptureEndpoint::Local(l) => Some(&l.command),
            _ => None,
        }
    }
    fn local_command_mut(&mut self) -> Option<&mut Vec<String>> {
        match &mut self.endpoint {
            CaptureEndpoint::Local(l) => Some(&mut l.command),
            _ => None,
        }
    }
}

impl LocalCommands for crate::MaterializationDef {
    fn local_command(&self) -> Option<&[String]> {
        match &self.endpoint {
            MaterializationEndpoint::Local(l) => Some(&l.command),
            _ => None,
        }
    }
    fn local_command_mut(&mut self) -> Option<&mut Vec<String>> {
        match &mut self.endpoint {
            MaterializationEndpoint::Local(l) => Some(&mut l.command),
            _ => None,
        }
    }
}

impl LocalCommands for crate::CollectionDef {
    fn local_command(&self) -> Option<&[String]> {
        match self.derive.as_ref().map(|d| &d.using) {
            Some(DeriveUsing::Local(l)) => Some(&l.command),
            _ => None,
        }
    }
    fn local_command_mut(&mut self) -> Option<&mut Vec<String>> {
        match self.derive.as_mut().map(|d| &mut d.using) {
            Some(DeriveUsing::Local(l)) => Some(&mut l.command),
            _ => None,
        }
    }
}

impl LocalCommands for crate::TestDef {
    fn local_command(&self) -> Option<&[String]> {
        None
    }
    fn local_command_mut(&mut self) -> Option<&mut Vec<String>> {
        None
    }
}

/// Whether the compact JSON of `v` is longer than `limit` bytes. Stops
/// serializing as soon as it is.
fn json_len_exceeds<T: serde::Serialize + ?Sized>(v: &T, limit: usize) -> bool {
    struct Counter {
        n: usize,
        limit: usize,
    }
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.n += buf.len();
            if self.n > self.limit {
                Err(std::io::Error::other("over the limit"))
            } else {
                Ok(buf.len())
            }
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter { n: 0, limit };
    serde_json::to_writer(&mut counter, v).is_err()
}

/// The path of `to` relative to the directory `from` (both normalized and
/// absolute), with `/` separators.
fn relative_path(from: &Path, to: &Path) -> Option<String> {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    if from.first() != to.first() {
        return None; // Different roots (drives).
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    for c in &to[common..] {
        parts.push(c.as_os_str().to_str()?.to_string());
    }
    Some(parts.join("/"))
}
