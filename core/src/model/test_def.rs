//! Tests: ingest documents into collections, then verify derived results.

use super::{deserialize_forms, deserialize_one_of, is_false, Id, Source};
use crate::names::Collection;

/// # Test
/// A test ingests documents into collections and verifies the documents
/// that result, in order. Written as `{description, steps}`, or as a bare
/// array of steps (the older form, still read).
///
/// ```
/// use flowspec::TestDef;
/// let t: TestDef = serde_json::from_str(r#"[
///     {"ingest": {"collection": "acmeCo/line-items", "documents": [{"id": "1", "price": 499}]}},
///     {"verify": {"collection": "acmeCo/totals", "documents": [{"id": "1", "total": 499}]}}
/// ]"#).unwrap();
/// assert_eq!(t.steps.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestDef {
    /// # Description of the test.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// # Steps of the test, run in order.
    pub steps: Vec<TestStep>,
    /// # Expected last publication id, for optimistic concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_pub_id: Option<Id>,
    /// # Delete this test.
    #[serde(default, skip_serializing_if = "is_false")]
    pub delete: bool,
}

#[derive(serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an object {description, steps}"
)]
struct TestObject {
    #[serde(default)]
    description: String,
    steps: Vec<TestStep>,
    #[serde(default)]
    expect_pub_id: Option<Id>,
    #[serde(default)]
    delete: bool,
}

deserialize_forms!(TestDef, "an object {description, steps} or an array of steps",
seq => |s| <Vec<TestStep> as serde::Deserialize>::deserialize(s).map(TestDef::new),
map => |m| <TestObject as serde::Deserialize>::deserialize(m).map(|o| TestDef {
    description: o.description,
    steps: o.steps,
    expect_pub_id: o.expect_pub_id,
    delete: o.delete,
}));

impl TestDef {
    /// A test of these steps.
    pub fn new(steps: Vec<TestStep>) -> Self {
        Self {
            description: String::new(),
            steps,
            expect_pub_id: None,
            delete: false,
        }
    }
}

/// # Test step
/// `ingest` documents into a collection, or `verify` a collection's documents.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub enum TestStep {
    /// # Ingest documents.
    Ingest(TestStepIngest),
    /// # Verify documents.
    Verify(TestStepVerify),
}

deserialize_one_of!(TestStep, "test step", "`ingest` or `verify`",
    "ingest" => Ingest, "verify" => Verify);

impl TestStep {
    /// The step's description.
    pub fn description(&self) -> &str {
        match self {
            TestStep::Ingest(i) => &i.description,
            TestStep::Verify(v) => &v.description,
        }
    }

    /// The step's documents.
    pub fn documents(&self) -> &TestDocuments {
        match self {
            TestStep::Ingest(i) => &i.documents,
            TestStep::Verify(v) => &v.documents,
        }
    }

    /// The step's documents, mutably.
    pub fn documents_mut(&mut self) -> &mut TestDocuments {
        match self {
            TestStep::Ingest(i) => &mut i.documents,
            TestStep::Verify(v) => &mut v.documents,
        }
    }
}

/// # Ingest step
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "an ingest step: an object {collection, documents, description}"
)]
pub struct TestStepIngest {
    /// # Description of the step.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// # Collection to ingest into.
    pub collection: Collection,
    /// # Documents to ingest, in one transaction.
    pub documents: TestDocuments,
}

/// # Verify step
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    rename_all = "camelCase",
    expecting = "a verify step: an object {collection, documents, description}"
)]
pub struct TestStepVerify {
    /// # Description of the step.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// # Collection to verify: a name, or `{name, partitions}`.
    pub collection: Source,
    /// # Expected documents, fully reduced, in key order.
    /// They match as subsets of the actual documents.
    pub documents: TestDocuments,
}

/// # Test documents
/// An array of documents, or the relative URL of a JSON or YAML file holding one.
///
/// ```
/// use flowspec::TestDocuments;
/// let d: TestDocuments = serde_json::from_str(r#""fixtures/orders.yaml""#).unwrap();
/// assert_eq!(d, TestDocuments::Url("fixtures/orders.yaml".into()));
/// ```
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum TestDocuments {
    /// The URL of a fixture file.
    Url(String),
    /// Documents written inline.
    Inline(Vec<serde_json::Value>),
}

deserialize_forms!(TestDocuments, "an array of documents or the URL of a fixture file",
    str => |v: &str| Ok::<_, String>(TestDocuments::Url(v.to_string())),
    seq => |s| <Vec<serde_json::Value> as serde::Deserialize>::deserialize(s)
        .map(TestDocuments::Inline));
