//! The combiner: documents grouped and reduced by key under a collection schema.
