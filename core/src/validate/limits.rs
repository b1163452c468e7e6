//! Limits that Gazette (Estuary's data plane) and file systems put on what a
//! catalog names and configures: the length of name parts, journal names and
//! shard ids, and the ranges of journal and shard template settings.
//!
//! Gazette names each collection journal
//! `<collection>/<generation id>/<field>=<value>/…/pivot=00`, each task shard
//! `<type>/<task>/<generation id>/<key begin>-<r-clock begin>`, and each
//! shard's recovery log `recovery/<shard id>`, and refuses names longer than
//! 512 bytes. The split layout (flowctl pull-specs) makes each part of a
//! name a directory or a file name, which file systems limit to 255 bytes.

use super::Ctx;
use crate::{codes, CollectionDef, Kind, ShardTemplate};

/// The longest directory or file name common file systems allow, in bytes.
pub(crate) const MAX_NAME_PART: usize = 255;
/// The longest journal name or shard id Gazette allows, in bytes.
pub(crate) const MAX_GAZETTE_NAME: usize = 512;
/// The length of a generation id (16 hex digits) and its `/`.
const GENERATION: usize = 1 + 16;
/// The length of a shard's key and r-clock range (`/00000000-00000000`).
const SHARD_RANGE: usize = 1 + 8 + 1 + 8;
/// The suffix of every journal name (`/pivot=00`).
const PIVOT: &str = "/pivot=00";
/// The prefix of recovery logs.
const RECOVERY: &str = "recovery/";
/// Fragment lengths Estuary accepts, in megabytes.
const FRAGMENT_LENGTHS: std::ops::RangeInclusive<u32> = 32..=4096;
/// The shortest flush interval Gazette accepts (other than none).
const MIN_FLUSH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// The kinds of tasks, as Gazette names their shards.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TaskType {
    Capture,
    Derivation,
    Materialization,
}

impl TaskType {
    /// The first part of the task's shard ids.
    fn prefix(self) -> &'static str {
        match self {
            TaskType::Capture => "capture",
            TaskType::Derivation => "derivation",
            TaskType::Materialization => "materialize",
        }
    }

    /// The entity, as messages name it.
    pub fn entity(self) -> &'static str {
        match self {
            TaskType::Capture => "capture",
            TaskType::Derivation => "derivation",
            TaskType::Materialization => "materialization",
        }
    }

    /// The kind of spec that holds the task.
    pub fn kind(self) -> Kind {
        match self {
            TaskType::Capture => Kind::Capture,
            TaskType::Derivation => Kind::Collection,
            TaskType::Materialization => Kind::Materialization,
        }
    }
}

/// Checks that no part of any name is too long for a directory or file
/// name of the split layout.
pub(crate) fn name_parts(ctx: &mut Ctx<'_>) {
    for (kind, name) in super::names::all(ctx.catalog) {
        for part in name.split('/').filter(|p| p.len() > MAX_NAME_PART) {
            let at = ctx.scope(kind, name);
            ctx.error(
                &at,
                codes::NAME_PART_TOO_LONG,
                format!(
                    "{} {name} has a name part of {} bytes, {part}, but the split layout makes \
                     each part a directory or file name, which file systems limit to \
                     {MAX_NAME_PART} bytes",
                    kind.singular(),
                    part.len(),
                ),
            );
        }
    }
}

/// Checks the journal template of a collection, and that its journal names
/// fit Gazette's limit.
pub(crate) fn journals(ctx: &mut Ctx<'_>, name: &str, def: &CollectionDef) {
    let at = ctx.scope(Kind::Collection, name);
    let fragments = &def.journals.fragments;
    if let Some(length) = fragments.length.filter(|l| !FRAGMENT_LENGTHS.contains(l)) {
        let scope = at.push("journals").push("fragments").push("length");
        ctx.error(
            &scope,
            codes::FRAGMENT_LENGTH_RANGE,
            format!(
                "collection {name} journal fragment length {length} is out of range: give {} to \
                 {} (megabytes; the default is 512)",
                FRAGMENT_LENGTHS.start(),
                FRAGMENT_LENGTHS.end(),
            ),
        );
    }
    if let Some(interval) = &fragments.flush_interval {
        if !interval.get().is_zero() && interval.get() < MIN_FLUSH_INTERVAL {
            let scope = at.push("journals").push("fragments").push("flushInterval");
            ctx.error(
                &scope,
                codes::FLUSH_INTERVAL_TOO_SHORT,
                format!(
                    "collection {name} journal flushInterval {interval} is shorter than 1m, the \
                     shortest interval Gazette accepts (leave it out for the default of 24h)"
                ),
            );
        }
    }
    let partitions: Vec<&str> = def
        .projections
        .iter()
        .filter(|(_, p)| p.is_partition())
        .map(|(field, _)| field.as_str())
        .collect();
    // The shortest journal: each partition field with a one-byte value.
    let len = name.len()
        + GENERATION
        + partitions.iter().map(|f| 1 + f.len() + 2).sum::<usize>()
        + PIVOT.len();
    if len > MAX_GAZETTE_NAME {
        let (parts, or) = match partitions.len() {
            0 => (String::new(), ""),
            1 => (", its partition field".to_string(), " or partition field"),
            n => (
                format!(", its {n} partition fields"),
                " or partition fields",
            ),
        };
        ctx.error(
            &at,
            codes::JOURNAL_NAME_TOO_LONG,
            format!(
                "collection {name} would have journal names of at least {len} bytes (its name, a \
                 generation id{parts} and `pivot=00`), but Gazette allows {MAX_GAZETTE_NAME}; \
                 shorten its name{or} by {}",
                bytes(len - MAX_GAZETTE_NAME)
            ),
        );
    }
}

/// Checks a task's shard template, and that its shard ids and recovery
/// logs fit Gazette's limit. `shards` is the scope of its template.
pub(crate) fn shards(
    ctx: &mut Ctx<'_>,
    task: TaskType,
    name: &str,
    at: &crate::Scope,
    template: &ShardTemplate,
) {
    let entity = task.entity();
    if let Some(max) = template
        .max_txn_duration
        .as_ref()
        .filter(|d| d.get().is_zero())
    {
        ctx.error(
            &at.push("maxTxnDuration"),
            codes::MAX_TXN_DURATION_ZERO,
            format!(
                "{entity} {name} shards maxTxnDuration {max} must be longer than zero (leave it \
                 out for the default)"
            ),
        );
    }
    let len = RECOVERY.len() + task.prefix().len() + 1 + name.len() + GENERATION + SHARD_RANGE;
    if len > MAX_GAZETTE_NAME {
        let spec = ctx.scope(task.kind(), name);
        ctx.error(
            &spec,
            codes::SHARD_ID_TOO_LONG,
            format!(
                "{entity} {name} would have recovery logs of {len} bytes \
                 (`{RECOVERY}{}/` and its name, a generation id and a key range), but Gazette \
                 allows {MAX_GAZETTE_NAME}; shorten its name by {}",
                task.prefix(),
                bytes(len - MAX_GAZETTE_NAME)
            ),
        );
    }
}

/// `n` bytes, in words.
fn bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".to_string()
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests;
