//! The combiner: documents grouped and reduced by key under a collection schema.
// Placeholder until the reductions land: last write wins per key.
#![allow(missing_docs)]
use serde_json::Value;
pub struct Combiner {
    key: Vec<String>,
    docs: std::collections::BTreeMap<String, (Vec<Value>, Value)>,
}
pub struct Combined {
    pub key: Vec<Value>,
    pub doc: Value,
    pub deleted: bool,
}
#[derive(Debug)]
pub struct CombineError(String);
impl std::fmt::Display for CombineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl Combiner {
    pub fn new(
        _schema: &Value,
        _write: Option<&Value>,
        key: &[&str],
        _full: bool,
    ) -> Result<Combiner, CombineError> {
        Ok(Combiner {
            key: key.iter().map(|k| k.to_string()).collect(),
            docs: Default::default(),
        })
    }
    pub fn add(&mut self, doc: Value) -> Result<(), CombineError> {
        let key: Vec<Value> = self
            .key
            .iter()
            .map(|p| doc.pointer(p).cloned().unwrap_or(Value::Null))
            .collect();
        self.docs
            .insert(serde_json::to_string(&key).unwrap(), (key, doc));
        Ok(())
    }
    pub fn drain(&mut self) -> Result<Vec<Combined>, CombineError> {
        Ok(std::mem::take(&mut self.docs)
            .into_values()
            .map(|(key, doc)| Combined {
                key,
                doc,
                deleted: false,
            })
            .collect())
    }
}
