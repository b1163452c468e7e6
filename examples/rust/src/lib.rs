//! Example pipelines built with the flowspec builders. Each is a function
//! returning a [`flowspec::Catalog`], so binaries and tests share them.

pub mod cicd;
pub mod many_tables;
