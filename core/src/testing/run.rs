//! The test scheduler: runs a catalog's test cases against in-memory
//! collections, with derivations on a synthetic clock, as Estuary's test
//! harness does.
//!
//! Each case runs its steps in order. An ingest step combines its
//! documents by key under the collection's write schema and stores them as
//! one transaction. Every write makes the derivations that read the
//! collection due at `now + readDelay`; due derivations run before the next
//! step, each as one transaction over the documents newly readable by its
//! transforms (higher `priority` first). A verify step waits until no due
//! derivation can write into its collection, directly or through others,
//! then fully reduces what the case wrote to the collection under its read
//! schema and compares it with the expected documents. When nothing can
//! run, the clock advances to the next due derivation. After each case,
//! every derivation is reset.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::combine::{CombineError, Combiner};
use super::results::{verify_message, Failure, TestResult, TestResults};
use super::runtime::{Runtime, RuntimeError};
use super::verify;
use crate::{
    Catalog, Collection, CollectionDef, DeriveUsing, Error, Kind, Result, Shuffle, TestDocuments,
    TestStep,
};

/// How [`run`] runs a catalog's tests.
///
/// ```
/// let options = flowspec::testing::TestOptions { tests: vec!["acmeCo/tests/totals".into()], ..Default::default() };
/// assert!(options.snapshot.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestOptions {
    /// Run only the tests of these names; all tests when empty.
    pub tests: Vec<String>,
    /// Write the actual documents of each verify step to
    /// `<snapshot>/<test>/verify-<step>.json`.
    pub snapshot: Option<PathBuf>,
    /// How many shards each TypeScript derivation runs on (default 3, as
    /// Estuary tests them); SQLite derivations run on one.
    pub shards: Option<usize>,
}

/// The default number of shards of a TypeScript derivation.
const SHARDS: usize = 3;

/// How many derivation transactions one case may run: a derivation that
/// keeps feeding itself never settles.
const MAX_TRANSACTIONS: usize = 100_000;

/// Runs the tests of a loaded catalog locally and returns a result per
/// test. The catalog must be valid (its diagnostics are returned as
/// [`Error::Validation`] otherwise); failing tests are results, not errors.
///
/// ```
/// use flowspec::Catalog;
/// let catalog: Catalog = serde_json::from_value(serde_json::json!({
///     "collections": {"acmeCo/sums": {
///         "schema": {"type": "object", "reduce": {"strategy": "merge"},
///             "properties": {"id": {"type": "string"}, "n": {"type": "integer", "reduce": {"strategy": "sum"}}},
///             "required": ["id"]},
///         "key": ["/id"]}},
///     "tests": {"acmeCo/tests/sums": [
///         {"ingest": {"collection": "acmeCo/sums", "documents": [{"id": "a", "n": 3}, {"id": "a", "n": 5}]}},
///         {"verify": {"collection": "acmeCo/sums", "documents": [{"id": "a", "n": 8}]}}
///     ]}
/// })).unwrap();
/// let results = flowspec::testing::run(&catalog, &Default::default())?;
/// assert!(results.ok(), "{}", results.render());
/// # Ok::<(), flowspec::Error>(())
/// ```
pub fn run(catalog: &Catalog, options: &TestOptions) -> Result<TestResults> {
    catalog.validate()?;
    let catalog = catalog.bundle()?;
    for name in &options.tests {
        if !catalog.tests.keys().any(|t| t.as_str() == name) {
            return Err(Error::NotDefined {
                kind: Kind::Test,
                name: name.clone(),
            });
        }
    }
    let mut harness = Harness::new(&catalog, options);

    // Cases run in the order of their first step's scope.
    let mut cases: Vec<(String, &str)> = catalog
        .tests
        .iter()
        .filter(|(name, def)| {
            !def.delete
                && (options.tests.is_empty() || options.tests.iter().any(|t| t == name.as_str()))
        })
        .map(|(name, _)| {
            let scope = catalog
                .origins
                .scope(Kind::Test, name)
                .push("steps")
                .push_index(0);
            (scope.to_string(), name.as_str())
        })
        .collect();
    cases.sort();

    let root = catalog.origins.root.clone();
    let mut tests = Vec::new();
    for (_, name) in cases {
        let scope = catalog.origins.scope(Kind::Test, name);
        let path = display_path(&scope.url, root.as_deref());
        let outcome = harness.run_case(name);
        harness.reset();
        tests.push(match outcome {
            Ok(()) => TestResult::passed(name, &scope.to_string(), &path),
            Err(failure) => TestResult {
                test: name.to_string(),
                scope: scope.to_string(),
                path,
                passed: false,
                failure: Some(failure),
            },
        });
    }
    Ok(TestResults { tests })
}

/// A scope's file as the report shows it: relative to the project root.
fn display_path(url: &str, root: Option<&str>) -> String {
    match root.and_then(|r| url.strip_prefix(r)) {
        Some(rel) if !rel.is_empty() => rel.to_string(),
        _ => url.strip_prefix("file://").unwrap_or(url).to_string(),
    }
}

/// A stored document: its write clock, the test time it was written at,
/// and the document.
struct Stored {
    clock: u64,
    at: u64,
    doc: Value,
}

/// What the harness knows of a collection.
struct CollectionInfo {
    key: Vec<String>,
    write: Value,
    read: Option<Value>,
    /// Partition fields and their locations.
    partitions: Vec<(String, String)>,
}

/// A transform that runs: its derivation, index, source and how it reads.
struct Reader {
    derivation: String,
    transform: usize,
    name: String,
    source: String,
    delay: u64,
    priority: u32,
    shuffle: Option<Vec<String>>,
    include: BTreeMap<String, Vec<Value>>,
    exclude: BTreeMap<String, Vec<Value>>,
}

/// The runtimes of a derivation, one per shard, or why they could not be
/// opened.
type Shards = std::result::Result<Vec<Box<dyn Runtime>>, RuntimeError>;

struct Harness<'c> {
    catalog: &'c Catalog,
    options: &'c TestOptions,
    collections: BTreeMap<String, CollectionInfo>,
    readers: Vec<Reader>,
    store: HashMap<String, Vec<Stored>>,
    /// How many documents of its source each reader has read.
    progress: HashMap<(String, usize), usize>,
    /// Due derivation transactions: (ready at, derivation).
    pending: BTreeSet<(u64, String)>,
    runtimes: HashMap<String, Shards>,
    clock: u64,
    now: u64,
    round_robin: usize,
}

/// Where a case failed: the step and the message.
struct StepFailure {
    message: String,
    mismatches: Vec<super::results::Mismatch>,
}

impl From<String> for StepFailure {
    fn from(message: String) -> Self {
        StepFailure {
            message,
            mismatches: Vec::new(),
        }
    }
}

impl<'c> Harness<'c> {
    fn new(catalog: &'c Catalog, options: &'c TestOptions) -> Self {
        let mut collections = BTreeMap::new();
        let mut readers = Vec::new();
        for (name, def) in &catalog.collections {
            if def.delete {
                continue;
            }
            collections.insert(name.to_string(), collection_info(def));
            let Some(derive) = &def.derive else { continue };
            if derive.shards.disable {
                continue;
            }
            for (index, t) in derive.transforms.iter().enumerate() {
                if t.disable {
                    continue;
                }
                let (include, exclude) = match t.source.full().and_then(|f| f.partitions.as_ref()) {
                    Some(p) => (fields(&p.include), fields(&p.exclude)),
                    None => Default::default(),
                };
                readers.push(Reader {
                    derivation: name.to_string(),
                    transform: index,
                    name: t.name.to_string(),
                    source: t.source.collection().to_string(),
                    delay: t.read_delay.as_ref().map_or(0, |d| d.get().as_secs()),
                    priority: t.priority,
                    shuffle: match &t.shuffle {
                        Some(Shuffle::Key(ptrs)) => {
                            Some(ptrs.iter().map(|p| p.to_string()).collect())
                        }
                        _ => None,
                    },
                    include,
                    exclude,
                });
            }
        }
        Harness {
            catalog,
            options,
            collections,
            readers,
            store: HashMap::new(),
            progress: HashMap::new(),
            pending: BTreeSet::new(),
            runtimes: HashMap::new(),
            clock: 0,
            now: 0,
            round_robin: 0,
        }
    }

    /// Resets every opened derivation, as after each case.
    fn reset(&mut self) {
        for shards in self.runtimes.values_mut() {
            let failed = match shards {
                Ok(runtimes) => runtimes.iter_mut().find_map(|rt| rt.reset().err()),
                Err(_) => None,
            };
            // A derivation that cannot reset fails every later case that
            // runs it.
            if let Some(err) = failed {
                *shards = Err(RuntimeError::new(format!(
                    "{err} (while resetting it after the previous test)"
                )));
            }
        }
        self.pending.clear();
        // Readers start the next case at the end of every collection.
        for reader in &self.readers {
            let len = self.store.get(&reader.source).map_or(0, Vec::len);
            self.progress
                .insert((reader.derivation.clone(), reader.transform), len);
        }
    }

    fn run_case(&mut self, name: &str) -> std::result::Result<(), Failure> {
        let catalog = self.catalog;
        let def = catalog
            .tests
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, d)| d)
            .expect("the case is a test of the catalog");
        let scope = catalog.origins.scope(Kind::Test, name);
        let initial = self.clock;
        let mut steps: VecDeque<(usize, &TestStep)> = def.steps.iter().enumerate().collect();
        let mut last_step = 0;
        let mut transactions = 0;
        let fail = |step: usize, f: StepFailure| {
            let s = scope.push("steps").push_index(step);
            Failure {
                step,
                scope: s.to_string(),
                pointer: s.pointer.clone(),
                message: f.message,
                mismatches: f.mismatches,
            }
        };

        loop {
            // Due derivations run first.
            let due: Vec<String> = self
                .pending
                .iter()
                .filter(|(at, _)| *at <= self.now)
                .map(|(_, d)| d.clone())
                .collect();
            if !due.is_empty() {
                self.pending.retain(|(at, _)| *at > self.now);
                for derivation in due {
                    transactions += 1;
                    if transactions > MAX_TRANSACTIONS {
                        return Err(fail(
                            last_step,
                            format!(
                                "derivation {derivation} did not settle after {MAX_TRANSACTIONS} transactions: it keeps deriving from its own documents"
                            )
                            .into(),
                        ));
                    }
                    self.transaction(&derivation)
                        .map_err(|m| fail(last_step, m.into()))?;
                }
                continue;
            }
            match steps.front() {
                Some((index, TestStep::Ingest(ingest))) => {
                    let index = *index;
                    last_step = index;
                    steps.pop_front();
                    let docs = inline(&ingest.documents);
                    self.ingest(ingest.collection.as_str(), docs)
                        .map_err(|m| fail(index, m.into()))?;
                    continue;
                }
                Some((index, TestStep::Verify(verify))) => {
                    let collection = verify.collection.collection().as_str();
                    if !self.blocked(collection) {
                        let index = *index;
                        last_step = index;
                        steps.pop_front();
                        let (include, exclude) =
                            match verify.collection.full().and_then(|f| f.partitions.as_ref()) {
                                Some(p) => (fields(&p.include), fields(&p.exclude)),
                                None => Default::default(),
                            };
                        let actual = self
                            .actual(collection, initial, &include, &exclude)
                            .map_err(|m| fail(index, m.into()))?;
                        if let Some(dir) = &self.options.snapshot {
                            snapshot(dir, name, index, &actual)
                                .map_err(|m| fail(index, m.into()))?;
                        }
                        let mismatches = verify::compare(&actual, inline(&verify.documents));
                        if !mismatches.is_empty() {
                            return Err(fail(
                                index,
                                StepFailure {
                                    message: verify_message(&mismatches),
                                    mismatches,
                                },
                            ));
                        }
                        continue;
                    }
                }
                None => {}
            }
            // Nothing can run now: advance the clock.
            match self.pending.iter().next() {
                Some((at, _)) => self.now = *at,
                None => break,
            }
        }
        Ok(())
    }

    /// Stores documents into a collection as one write, stamping each with
    /// a `_meta/uuid`, and makes its readers due.
    fn store(&mut self, collection: &str, docs: Vec<Value>) {
        if docs.is_empty() {
            return;
        }
        let stored = self.store.entry(collection.to_string()).or_default();
        for mut doc in docs {
            self.clock += 1;
            stamp(&mut doc, self.now, self.clock);
            stored.push(Stored {
                clock: self.clock,
                at: self.now,
                doc,
            });
        }
        for reader in self.readers.iter().filter(|r| r.source == collection) {
            self.pending
                .insert((self.now + reader.delay, reader.derivation.clone()));
        }
    }

    fn ingest(&mut self, collection: &str, docs: &[Value]) -> std::result::Result<(), String> {
        let info = &self.collections[collection];
        let keys: Vec<&str> = info.key.iter().map(String::as_str).collect();
        let mut combiner = Combiner::new(&info.write, None, &keys, false)
            .map_err(|e| format!("ingest into {collection}: {e}"))?;
        for (i, doc) in docs.iter().enumerate() {
            combiner.add(doc.clone()).map_err(|e| {
                format!(
                    "ingest into {collection}: document {i} is invalid: {e}\nDocument was {}",
                    pretty(doc)
                )
            })?;
        }
        let combined = combiner
            .drain()
            .map_err(|e| format!("ingest into {collection}: {e}"))?;
        self.store(collection, combined.into_iter().map(|c| c.doc).collect());
        Ok(())
    }

    /// Whether a due derivation could still write into `collection`,
    /// directly or through the derivations that read what it writes.
    fn blocked(&self, collection: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut queue: VecDeque<&str> = self.pending.iter().map(|(_, d)| d.as_str()).collect();
        while let Some(d) = queue.pop_front() {
            if d == collection {
                return true;
            }
            if !seen.insert(d) {
                continue;
            }
            for r in self.readers.iter().filter(|r| r.source == d) {
                queue.push_back(&r.derivation);
            }
        }
        false
    }

    /// The documents a verify step sees: what the case wrote to the
    /// collection, in the selected partitions, fully reduced under the read
    /// schema, in key order, with `_meta/uuid` masked.
    fn actual(
        &self,
        collection: &str,
        initial: u64,
        include: &BTreeMap<String, Vec<Value>>,
        exclude: &BTreeMap<String, Vec<Value>>,
    ) -> std::result::Result<Vec<Value>, String> {
        let info = &self.collections[collection];
        let keys: Vec<&str> = info.key.iter().map(String::as_str).collect();
        let (schema, write) = match &info.read {
            Some(read) => (read, Some(&info.write)),
            None => (&info.write, None),
        };
        let mut combiner = Combiner::new(schema, write, &keys, true)
            .map_err(|e| format!("verify {collection}: {e}"))?;
        for stored in self.store.get(collection).into_iter().flatten() {
            if stored.clock <= initial || !selected(info, &stored.doc, include, exclude) {
                continue;
            }
            combiner.add(stored.doc.clone()).map_err(|e| {
                format!(
                    "verify {collection}: {e}\nDocument was {}",
                    pretty(&stored.doc)
                )
            })?;
        }
        let combined = combiner
            .drain()
            .map_err(|e| format!("verify {collection}: {e}"))?;
        Ok(combined
            .into_iter()
            .filter(|c| !c.deleted)
            .map(|c| mask(c.doc))
            .collect())
    }

    /// Feeds a transaction's documents to a derivation's shards (by
    /// shuffle key, or round-robin) and flushes them, adding what they
    /// publish to `combiner`.
    fn feed(
        &mut self,
        derivation: &str,
        runtimes: &mut [Box<dyn Runtime>],
        batch: &[(u32, u64, usize, usize, Value)],
        combiner: &mut Combiner,
    ) -> std::result::Result<(), String> {
        let n = runtimes.len();
        for (_, _, ri, transform, doc) in batch {
            let reader = &self.readers[*ri];
            let shard = match &reader.shuffle {
                Some(ptrs) if n > 1 => shard_of(&doc_key(doc, ptrs), n),
                _ => {
                    self.round_robin += 1;
                    self.round_robin % n
                }
            };
            // Runtime errors name the derivation themselves.
            let published = runtimes[shard]
                .read(*transform, doc)
                .map_err(|e| e.to_string())?;
            for out in published {
                combiner
                    .add(out.clone())
                    .map_err(|e| published_error(derivation, Some(&reader.name), doc, &out, &e))?;
            }
        }
        for rt in runtimes.iter_mut() {
            let published = rt.flush().map_err(|e| e.to_string())?;
            for out in published {
                combiner
                    .add(out.clone())
                    .map_err(|e| published_error(derivation, None, &Value::Null, &out, &e))?;
            }
        }
        Ok(())
    }

    /// Runs one transaction of a derivation over what its transforms can
    /// newly read, and stores what it publishes.
    fn transaction(&mut self, derivation: &str) -> std::result::Result<(), String> {
        // What each transform reads now.
        let mut batch: Vec<(u32, u64, usize, usize, Value)> = Vec::new(); // (priority, clock, reader, -, doc)
        for (ri, reader) in self.readers.iter().enumerate() {
            if reader.derivation != derivation {
                continue;
            }
            let key = (reader.derivation.clone(), reader.transform);
            let from = self.progress.get(&key).copied().unwrap_or(0);
            let docs = self
                .store
                .get(&reader.source)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let mut upto = from;
            let source = &self.collections[&reader.source];
            for stored in &docs[from..] {
                if stored.at + reader.delay > self.now {
                    break;
                }
                upto += 1;
                if selected(source, &stored.doc, &reader.include, &reader.exclude) {
                    batch.push((
                        reader.priority,
                        stored.clock,
                        ri,
                        reader.transform,
                        stored.doc.clone(),
                    ));
                }
            }
            self.progress.insert(key, upto);
        }
        if batch.is_empty() {
            return Ok(());
        }
        // Higher priority first; then in publish order.
        batch.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));

        let info = &self.collections[derivation];
        let keys: Vec<&str> = info.key.iter().map(String::as_str).collect();
        let mut combiner = Combiner::new(&info.write, None, &keys, false)
            .map_err(|e| format!("derivation {derivation}: {e}"))?;
        let mut shards = match self.runtimes.remove(derivation) {
            Some(opened) => opened,
            None => open_shards(self.catalog, derivation, self.options.shards),
        };
        let outcome = match &mut shards {
            Ok(runtimes) => self.feed(derivation, runtimes, &batch, &mut combiner),
            Err(e) => Err(e.message.clone()),
        };
        self.runtimes.insert(derivation.to_string(), shards);
        outcome?;
        let combined = combiner
            .drain()
            .map_err(|e| format!("derivation {derivation}: {e}"))?;
        self.store(derivation, combined.into_iter().map(|c| c.doc).collect());
        Ok(())
    }
}

/// Opens the runtimes of a derivation: SQLite on one shard, TypeScript on
/// `shards` (default 3).
fn open_shards(catalog: &Catalog, derivation: &str, shards: Option<usize>) -> Shards {
    let name = Collection::new(derivation).map_err(|e| RuntimeError::new(e.to_string()))?;
    let def = &catalog.collections[&name];
    let using = &def.derive.as_ref().expect("a derivation").using;
    match using {
        DeriveUsing::Sqlite(_) => {
            let rt = super::sqlite::open(catalog, &name)?;
            Ok(vec![Box::new(rt) as Box<dyn Runtime>])
        }
        DeriveUsing::Typescript(_) => (0..shards.unwrap_or(SHARDS).max(1))
            .map(|_| super::typescript::open(catalog, &name).map(|rt| Box::new(rt) as Box<dyn Runtime>))
            .collect(),
        DeriveUsing::Python(_) => Err(RuntimeError::new(format!(
            "derivation {derivation} uses Python, which flowspec cannot run locally: run the tests on the control plane with --remote"
        ))),
        DeriveUsing::Connector(_) | DeriveUsing::Local(_) => Err(RuntimeError::new(format!(
            "derivation {derivation} uses a connector, which flowspec cannot run locally: run the tests on the control plane with --remote"
        ))),
    }
}

fn published_error(
    derivation: &str,
    transform: Option<&str>,
    read: &Value,
    out: &Value,
    err: &CombineError,
) -> String {
    match transform {
        Some(t) => format!(
            "derivation {derivation}, transform {t}: published an invalid document: {err}\nPublished {}\nwhile reading {}",
            pretty(out),
            compact(read)
        ),
        None => format!(
            "derivation {derivation}: flush published an invalid document: {err}\nPublished {}",
            pretty(out)
        ),
    }
}

fn collection_info(def: &CollectionDef) -> CollectionInfo {
    let write = def
        .write_schema
        .as_ref()
        .or(def.schema.as_ref())
        .map(|s| s.to_value())
        .unwrap_or(Value::Bool(true));
    let read = def.read_schema.as_ref().map(|s| s.to_value());
    CollectionInfo {
        key: def.key.iter().map(|k| k.to_string()).collect(),
        write,
        read,
        partitions: def
            .projections
            .iter()
            .filter(|(_, p)| p.is_partition())
            .map(|(f, p)| (f.to_string(), p.location().to_string()))
            .collect(),
    }
}

fn fields(map: &BTreeMap<crate::Field, Vec<Value>>) -> BTreeMap<String, Vec<Value>> {
    map.iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

/// Whether a document is in the selected partitions.
fn selected(
    info: &CollectionInfo,
    doc: &Value,
    include: &BTreeMap<String, Vec<Value>>,
    exclude: &BTreeMap<String, Vec<Value>>,
) -> bool {
    let value = |field: &str| {
        info.partitions
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, ptr)| doc.pointer(ptr).cloned().unwrap_or(Value::Null))
            .unwrap_or(Value::Null)
    };
    // Label values are equal as documents are (`20` is `20.0`).
    let is = |v: &Value, f: &str| super::reduce::compare(&value(f), v).is_eq();
    include
        .iter()
        .all(|(f, values)| values.iter().any(|v| is(v, f)))
        && !exclude
            .iter()
            .any(|(f, values)| values.iter().any(|v| is(v, f)))
}

fn doc_key(doc: &Value, ptrs: &[String]) -> Vec<Value> {
    ptrs.iter()
        .map(|p| doc.pointer(p).cloned().unwrap_or(Value::Null))
        .collect()
}

/// The shard of a shuffle key: a hash of its values over the key range.
fn shard_of(key: &[Value], shards: usize) -> usize {
    let mut h = rustc_hash::FxHasher::default();
    for v in key {
        v.to_string().hash(&mut h);
    }
    (h.finish() % shards as u64) as usize
}

/// The documents of a step: inline after the catalog is bundled.
fn inline(docs: &TestDocuments) -> &[Value] {
    match docs {
        TestDocuments::Inline(d) => d,
        TestDocuments::Url(_) => &[],
    }
}

/// Sets `/_meta/uuid` to a version 1 UUID carrying the synthetic publish
/// time (Unix second 1 + the test clock) and the write clock.
fn stamp(doc: &mut Value, now: u64, clock: u64) {
    let Value::Object(obj) = doc else { return };
    let meta = obj
        .entry("_meta")
        .or_insert_with(|| Value::Object(Default::default()));
    if let Value::Object(meta) = meta {
        meta.insert("uuid".to_string(), Value::String(uuid_v1(1 + now, clock)));
    }
}

/// A version 1 UUID of a Unix time in seconds, with `ticks` 100 ns ticks
/// added so that documents of one second stay ordered.
pub(crate) fn uuid_v1(unix_secs: u64, ticks: u64) -> String {
    const GREGORIAN_OFFSET: u64 = 12_219_292_800; // 1582-10-15 to 1970-01-01, in seconds.
    let ts = (unix_secs + GREGORIAN_OFFSET) * 10_000_000 + (ticks % 10_000_000);
    let time_low = ts & 0xffff_ffff;
    let time_mid = (ts >> 32) & 0xffff;
    let time_hi = ((ts >> 48) & 0x0fff) | 0x1000;
    let seq = 0x8000 | (ticks >> 24 & 0x3fff);
    format!(
        "{time_low:08x}-{time_mid:04x}-{time_hi:04x}-{seq:04x}-{:012x}",
        0x0200_0000_0000u64 | (ticks & 0xff_ffff)
    )
}

/// Masks `/_meta/uuid` as Estuary's harness does before comparing.
fn mask(mut doc: Value) -> Value {
    if let Some(Value::Object(meta)) = doc.get_mut("_meta") {
        if meta.contains_key("uuid") {
            meta.insert("uuid".into(), Value::String("flow-uuid".into()));
        }
    }
    doc
}

fn snapshot(
    dir: &Path,
    test: &str,
    step: usize,
    docs: &[Value],
) -> std::result::Result<(), String> {
    let dir = dir.join(test);
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("cannot create snapshot directory {}: {e}", dir.display()))?;
    let path = dir.join(format!("verify-{step}.json"));
    let mut text = serde_json::to_string_pretty(docs).expect("documents are JSON");
    text.push('\n');
    std::fs::write(&path, text)
        .map_err(|e| format!("cannot write snapshot {}: {e}", path.display()))
}

fn pretty(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).expect("documents are JSON")
}

fn compact(doc: &Value) -> String {
    doc.to_string()
}

#[cfg(test)]
mod tests;
