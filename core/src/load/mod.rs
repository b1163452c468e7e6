//! Loading `flow.yaml` / `flow.json`: imports, file references, anchors → one [`crate::Catalog`].
