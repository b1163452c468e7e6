//! What running catalog tests gives: a result per test, and the report
//! printed as `flowctl catalog test` prints it.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

/// The results of running a catalog's tests, in the order they ran.
///
/// ```
/// use flowspec::testing::{TestResult, TestResults};
/// let results = TestResults { tests: vec![TestResult::passed("acmeCo/tests/totals", "file:///p/flow.yaml#/tests/acmeCo~1tests~1totals", "flow.yaml")] };
/// assert!(results.ok());
/// assert_eq!(results.summary(), "Ran 1 tests, 1 passed, 0 failed");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestResults {
    /// One result per test run.
    pub tests: Vec<TestResult>,
}

/// The result of one test.
///
/// ```
/// use flowspec::testing::TestResult;
/// let r = TestResult::passed("acmeCo/t", "file:///p/flow.yaml#/tests/acmeCo~1t", "flow.yaml");
/// assert!(r.passed && r.failure.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestResult {
    /// The test's name.
    pub test: String,
    /// Where the test is defined: its scope URL.
    pub scope: String,
    /// The file of the test, relative to the project root (or its URL).
    pub path: String,
    /// Whether every step passed.
    pub passed: bool,
    /// Why the test failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
}

impl TestResult {
    /// A test that passed.
    pub fn passed(test: &str, scope: &str, path: &str) -> Self {
        TestResult {
            test: test.to_string(),
            scope: scope.to_string(),
            path: path.to_string(),
            passed: true,
            failure: None,
        }
    }
}

/// Why a test failed: the step, and what happened there.
///
/// ```
/// use flowspec::testing::Failure;
/// let f = Failure { step: 1, scope: "file:///p/flow.yaml#/tests/t/steps/1".into(), pointer: "/tests/t/steps/1".into(),
///     message: "verify: actual and expected document(s) did not match:".into(), mismatches: vec![] };
/// assert_eq!(f.step, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Failure {
    /// The index of the failing step.
    pub step: usize,
    /// The scope URL of the failing step.
    pub scope: String,
    /// The JSON pointer of the failing step within its file.
    pub pointer: String,
    /// What happened, in full (with the differences of a verify step).
    pub message: String,
    /// The documents of a verify step that did not match.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<Mismatch>,
}

/// A difference between the expected and actual documents of a verify
/// step, at an index of the key-ordered documents.
///
/// ```
/// use flowspec::testing::Mismatch;
/// let m = Mismatch::Missing { index: 2, expected: serde_json::json!({"id": "c"}) };
/// assert_eq!(serde_json::to_value(&m).unwrap()["kind"], "missing");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Mismatch {
    /// An actual document that does not match the expected one.
    Mismatched {
        /// The index of both documents.
        index: usize,
        /// The actual document.
        actual: Value,
        /// The expected document.
        expected: Value,
        /// Each place that differs: `<pointer>: expected <e>, actual <a>`.
        differences: Vec<String>,
    },
    /// An expected document beyond the actual ones.
    Missing {
        /// The index of the expected document.
        index: usize,
        /// The expected document.
        expected: Value,
    },
    /// An actual document beyond the expected ones.
    Unexpected {
        /// The index of the actual document.
        index: usize,
        /// The actual document.
        actual: Value,
    },
}

impl TestResults {
    /// Whether every test passed.
    pub fn ok(&self) -> bool {
        self.tests.iter().all(|t| t.passed)
    }

    /// How many tests passed.
    pub fn passed(&self) -> usize {
        self.tests.iter().filter(|t| t.passed).count()
    }

    /// How many tests failed.
    pub fn failed(&self) -> usize {
        self.tests.len() - self.passed()
    }

    /// The names of the tests that failed.
    pub fn failures(&self) -> Vec<&str> {
        self.tests
            .iter()
            .filter(|t| !t.passed)
            .map(|t| t.test.as_str())
            .collect()
    }

    /// The last line of the report: `Ran N tests, P passed, F failed`.
    pub fn summary(&self) -> String {
        format!(
            "Ran {} tests, {} passed, {} failed",
            self.tests.len(),
            self.passed(),
            self.failed()
        )
    }

    /// The whole report, as `flowctl catalog test` prints it: the header,
    /// a line per test (with the failure under it) and the summary.
    ///
    /// ```
    /// use flowspec::testing::{TestResult, TestResults};
    /// let results = TestResults { tests: vec![TestResult::passed("acmeCo/t", "file:///p/flow.yaml#/tests/acmeCo~1t", "flow.yaml")] };
    /// assert_eq!(results.render(), "Running  1  tests...\n✔️ flow.yaml :: acmeCo/t\n\nRan 1 tests, 1 passed, 0 failed\n");
    /// ```
    pub fn render(&self) -> String {
        let mut out = header(self.tests.len());
        for test in &self.tests {
            out.push_str(&test.render());
        }
        let _ = writeln!(out, "\n{}", self.summary());
        out
    }
}

/// The first line of the report.
pub(crate) fn header(count: usize) -> String {
    format!("Running  {count}  tests...\n")
}

impl TestResult {
    /// This test's lines of the report.
    ///
    /// ```
    /// use flowspec::testing::TestResult;
    /// let r = TestResult::passed("acmeCo/t", "file:///p/flow.yaml#/tests/acmeCo~1t", "flow.yaml");
    /// assert_eq!(r.render(), "✔️ flow.yaml :: acmeCo/t\n");
    /// ```
    pub fn render(&self) -> String {
        match &self.failure {
            None => format!("✔️ {} :: {}\n", self.path, self.test),
            Some(f) => {
                let pointer = if f.pointer.is_empty() {
                    "<root>"
                } else {
                    &f.pointer
                };
                let mut out = format!("❌ {} failure at step {} :\n", self.path, pointer);
                out.push_str(&f.message);
                if !f.message.ends_with('\n') {
                    out.push('\n');
                }
                out
            }
        }
    }
}

/// The message of a failed verify step: the line flowctl prints, then each
/// difference.
pub(crate) fn verify_message(mismatches: &[Mismatch]) -> String {
    let mut out = String::from("verify: actual and expected document(s) did not match:\n");
    for m in mismatches {
        match m {
            Mismatch::Mismatched {
                index,
                actual,
                expected,
                differences,
            } => {
                let _ = writeln!(out, "mismatched document at index {index}:");
                for d in differences {
                    let _ = writeln!(out, "  {d}");
                }
                let _ = writeln!(out, "  actual:   {actual}");
                let _ = writeln!(out, "  expected: {expected}");
            }
            Mismatch::Missing { index, expected } => {
                let _ = writeln!(out, "missing expected document at index {index}:");
                let _ = writeln!(out, "  {expected}");
            }
            Mismatch::Unexpected { index, actual } => {
                let _ = writeln!(out, "unexpected actual document at index {index}:");
                let _ = writeln!(out, "  {actual}");
            }
        }
    }
    out
}
