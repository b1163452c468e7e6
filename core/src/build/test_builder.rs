//! The test builder.

use serde_json::Value;

use super::{Build, Problems, Spec};
use crate::{
    FullSource, PartitionSelector, Result, Source, TestDef, TestDocuments, TestStep,
    TestStepIngest, TestStepVerify,
};

/// Builds a test: ingest documents, then verify what results.
///
/// ```
/// use flowspec::build::{Build, TestBuilder};
/// use serde_json::json;
///
/// let spec = TestBuilder::new("acmeCo/tests/example")
///     .description("line items are totalled")
///     .ingest("acmeCo/line-items", [json!({"id": "1", "price": 499, "sales_tax": 25})])
///     .verify("acmeCo/line-item-totals", [json!({"id": "1", "total": "$5.24"})])
///     .build()?;
/// # Ok::<(), flowspec::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct TestBuilder {
    name: String,
    def: TestDef,
    problems: Problems,
}

impl TestBuilder {
    /// A test named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            def: TestDef::new(Vec::new()),
            problems: Problems::default(),
        }
    }

    /// Sets the description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.def.description = description.into();
        self
    }

    fn collection(&mut self, collection: &str) -> Option<crate::Collection> {
        let index = self.def.steps.len();
        let name = &self.name;
        self.problems.check(
            || format!("test {name} step {index} collection"),
            crate::Collection::new(collection),
        )
    }

    /// Ingests documents into a collection, in one transaction.
    pub fn ingest(mut self, collection: &str, documents: impl IntoIterator<Item = Value>) -> Self {
        if let Some(c) = self.collection(collection) {
            self.def.steps.push(TestStep::Ingest(TestStepIngest {
                description: String::new(),
                collection: c,
                documents: TestDocuments::Inline(documents.into_iter().collect()),
            }));
        }
        self
    }

    /// Verifies a collection's documents: fully reduced, in key order, each
    /// matching as a subset of the actual document.
    pub fn verify(mut self, collection: &str, documents: impl IntoIterator<Item = Value>) -> Self {
        if let Some(c) = self.collection(collection) {
            self.def.steps.push(TestStep::Verify(TestStepVerify {
                description: String::new(),
                collection: Source::Collection(c),
                documents: TestDocuments::Inline(documents.into_iter().collect()),
            }));
        }
        self
    }

    /// Verifies the documents of some partitions of a collection.
    pub fn verify_partitions(
        mut self,
        collection: &str,
        partitions: PartitionSelector,
        documents: impl IntoIterator<Item = Value>,
    ) -> Self {
        if let Some(c) = self.collection(collection) {
            let mut source = FullSource::new(c);
            source.partitions = Some(partitions);
            self.def.steps.push(TestStep::Verify(TestStepVerify {
                description: String::new(),
                collection: Source::Source(source),
                documents: TestDocuments::Inline(documents.into_iter().collect()),
            }));
        }
        self
    }

    /// Adds a step with every option (a description, documents from a file).
    pub fn step(mut self, step: TestStep) -> Self {
        self.def.steps.push(step);
        self
    }

    /// Marks the test for deletion.
    pub fn delete(mut self) -> Self {
        self.def.delete = true;
        self
    }
}

impl Build for TestBuilder {
    fn build(self) -> Result<Spec> {
        let TestBuilder {
            name,
            def,
            mut problems,
        } = self;
        let typed = problems.check_name(crate::Test::new(&name));
        problems.into_result()?;
        Ok(Spec::Test(typed.expect("checked"), def))
    }
}
