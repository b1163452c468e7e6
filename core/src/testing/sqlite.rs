//! SQLite derivations on the real engine.
//!
//! A derivation `using: {sqlite: {migrations}}` runs on an in-memory SQLite
//! database. Opening it bootstraps the database, applies the migrations in
//! order (recording each in table `flow_migrations`), and prepares every
//! statement of every transform's lambda, resolving its `$parameters` to
//! the projections of the transform's source collection. Each source
//! document then runs every statement of its transform's lambda in order,
//! and every row a statement returns is published. The database is the
//! derivation's state: it persists across documents and transforms until
//! [`Runtime::reset`] replaces it with a fresh one.
//!
//! ```
//! use flowspec::testing::sqlite::SqliteDerivation;
//! let catalog: flowspec::Catalog = serde_json::from_value(serde_json::json!({"collections": {
//!     "acmeCo/ints": {"schema": {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}},
//!                                "required": ["id", "n"]}, "key": ["/id"]},
//!     "acmeCo/sums": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
//!         "using": {"sqlite": {"migrations": ["CREATE TABLE sums (id TEXT PRIMARY KEY, total INTEGER);"]}},
//!         "transforms": [{"name": "fromInts", "source": "acmeCo/ints", "shuffle": "any", "lambda":
//!             "INSERT INTO sums VALUES ($id, $n) ON CONFLICT DO UPDATE SET total = total + $n RETURNING id, total;"}]}},
//! }})).unwrap();
//! let name = flowspec::Collection::new("acmeCo/sums").unwrap();
//! let mut sums = SqliteDerivation::open(&catalog, &name).unwrap();
//! sums.read(0, &serde_json::json!({"id": "a", "n": 3})).unwrap();
//! let out = sums.read(0, &serde_json::json!({"id": "a", "n": 5})).unwrap();
//! assert_eq!(out, vec![serde_json::json!({"id": "a", "total": 8})]);
//! ```

mod params;
mod rows;
mod statements;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use rusqlite::Connection;
use serde_json::Value;

use self::params::Param;
use self::rows::Output;
use crate::testing::runtime::{Runtime, RuntimeError};
use crate::{Catalog, Collection, DeriveUsing, Shuffle};

/// Tables every database holds: the checkpoint of the runtime (unused
/// locally, kept so lambdas see the same database as in Estuary) and the
/// record of applied migrations.
const BOOTSTRAP: &str = "
PRAGMA synchronous=FULL;
PRAGMA secure_delete=FAST;
BEGIN EXCLUSIVE;
CREATE TABLE IF NOT EXISTS gazette_checkpoint (
    rowid INTEGER PRIMARY KEY DEFAULT 0 CHECK (rowid = 0),
    checkpoint BLOB
);
INSERT OR IGNORE INTO gazette_checkpoint (rowid, checkpoint) VALUES (0, '');
CREATE TABLE IF NOT EXISTS flow_migrations (
    script_index INTEGER PRIMARY KEY NOT NULL,
    script TEXT NOT NULL
);
";

/// How many prepared statements a connection keeps, at least.
const CACHED_STATEMENTS: usize = 256;

/// A running SQLite derivation: its database, and the prepared lambdas of
/// its transforms.
pub(crate) struct SqliteRuntime {
    /// The derivation's name.
    name: String,
    migrations: Vec<String>,
    transforms: Vec<TransformSpec>,
    conn: Connection,
    /// The statements of each transform, by its index.
    lambdas: Vec<Vec<Lambda>>,
}

/// A transform as the runtime runs it.
struct TransformSpec {
    name: String,
    /// The SQL block of its lambda; none publishes nothing.
    block: Option<String>,
    params: Vec<Param>,
    disabled: bool,
}

/// One statement of a lambda, prepared.
struct Lambda {
    sql: String,
    /// Whether it is only comments (and is not run).
    empty: bool,
    /// For each SQL parameter, in order, the index of its `Param`.
    bindings: Vec<usize>,
    output: Output,
}

/// Opens the SQLite derivation `derivation` of `catalog`: a fresh
/// in-memory database with its migrations applied and its lambdas
/// prepared. `catalog` is loaded and its references inlined.
pub(crate) fn open(
    catalog: &Catalog,
    derivation: &Collection,
) -> Result<SqliteRuntime, RuntimeError> {
    let name = derivation.as_str().to_string();
    let fail = |message: String| RuntimeError::new(format!("derivation {name}: {message}"));
    let def = catalog
        .collections
        .get(derivation)
        .ok_or_else(|| fail("no such collection in the catalog".to_string()))?;
    let derive = def
        .derive
        .as_ref()
        .ok_or_else(|| fail("the collection is not a derivation".to_string()))?;
    let DeriveUsing::Sqlite(sqlite) = &derive.using else {
        return Err(fail("the derivation does not use SQLite".to_string()));
    };
    let mut migrations = Vec::with_capacity(sqlite.migrations.len());
    for (index, m) in sqlite.migrations.iter().enumerate() {
        let sql = sql_text(m).map_err(|e| fail(format!("migration at index {index} {e}")))?;
        migrations.push(sql);
    }
    let mut transforms = Vec::with_capacity(derive.transforms.len());
    for t in &derive.transforms {
        let tname = t.name.as_str();
        if t.disable {
            transforms.push(TransformSpec {
                name: tname.to_string(),
                block: None,
                params: Vec::new(),
                disabled: true,
            });
            continue;
        }
        if let Some(Shuffle::Lambda(_)) = &t.shuffle {
            return Err(fail(format!(
                "transform {tname} has a shuffle lambda, which SQLite derivations do not \
                 support: shuffle by `key` or `any`"
            )));
        }
        let block = match &t.lambda {
            None => None,
            Some(l) => Some(
                sql_text(l).map_err(|e| fail(format!("the lambda of transform {tname} {e}")))?,
            ),
        };
        let params = params::of_source(catalog, t.source.collection())
            .map_err(|e| fail(format!("transform {tname}: {e}")))?;
        transforms.push(TransformSpec {
            name: tname.to_string(),
            block,
            params,
            disabled: false,
        });
    }
    let (conn, lambdas) = build(&name, &migrations, &transforms)?;
    Ok(SqliteRuntime {
        name,
        migrations,
        transforms,
        conn,
        lambdas,
    })
}

/// The SQL of a migration or lambda value, or why it is not SQL (the
/// error follows the value's name).
fn sql_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) if !s.is_empty() && !s.chars().any(char::is_whitespace) => Err(format!(
            "is the file reference {s:?}, which was not loaded: load the catalog with its files \
             (or run generate to create a stub)"
        )),
        Value::String(s) => Ok(s.clone()),
        other => Err(format!("must be a string of SQL, not {other}")),
    }
}

/// A fresh database with the migrations applied, and the prepared lambdas.
fn build(
    name: &str,
    migrations: &[String],
    transforms: &[TransformSpec],
) -> Result<(Connection, Vec<Vec<Lambda>>), RuntimeError> {
    let fail = |message: String| RuntimeError::new(format!("derivation {name}: {message}"));
    let conn = Connection::open_in_memory()
        .map_err(|e| fail(format!("failed to open an in-memory database: {e}")))?;
    bootstrap(&conn).map_err(|e| fail(format!("failed to bootstrap the database: {e}")))?;
    // Every statement stays prepared (migrations are prepared once).
    conn.set_prepared_statement_cache_capacity(CACHED_STATEMENTS);
    apply_migrations(&conn, migrations).map_err(fail)?;
    conn.flush_prepared_statement_cache();

    let mut statements = 0;
    let mut lambdas = Vec::with_capacity(transforms.len());
    for t in transforms {
        let block = t.block.as_deref().unwrap_or("");
        let stack = prepare_block(&conn, block, &t.params).map_err(|e| {
            fail(format!(
                "lambda block of transform {} is invalid: {e}",
                t.name
            ))
        })?;
        statements += stack.len();
        lambdas.push(stack);
    }
    if statements > CACHED_STATEMENTS {
        conn.set_prepared_statement_cache_capacity(statements);
    }
    Ok((conn, lambdas))
}

/// Sets the journal mode, and creates the bootstrap tables within an
/// exclusive transaction.
fn bootstrap(conn: &Connection) -> rusqlite::Result<()> {
    let options: String = conn.query_row(
        "SELECT json_group_array(compile_options) FROM pragma_compile_options",
        [],
        |row| row.get(0),
    )?;
    let mode = if options.contains("\"ENABLE_BATCH_ATOMIC_WRITE\"") {
        "TRUNCATE"
    } else {
        "WAL"
    };
    conn.query_row(&format!("PRAGMA journal_mode={mode}"), [], |_| Ok(()))?;
    conn.execute_batch(BOOTSTRAP)
}

/// Applies the migrations after the last one recorded, recording each.
fn apply_migrations(conn: &Connection, migrations: &[String]) -> Result<(), String> {
    let applied: Option<i64> = conn
        .query_row("SELECT MAX(script_index) FROM flow_migrations", [], |row| {
            row.get(0)
        })
        .map_err(|e| format!("failed to query the applied migrations: {e}"))?;
    let first = applied.map_or(0, |i| usize::try_from(i + 1).unwrap_or(usize::MAX));
    for (index, script) in migrations.iter().enumerate().skip(first) {
        let fail = |e: String| format!("failed to apply database migration at index {index}: {e}");
        for statement in statements::split(script).map_err(fail)? {
            if statement.empty {
                continue;
            }
            // Each statement is prepared once the ones before it ran: it
            // may use the tables they create.
            let lambda = prepare(conn, statement, &[]).map_err(fail)?;
            run(conn, &lambda, &[], &Value::Null).map_err(fail)?;
        }
        conn.execute(
            "INSERT INTO flow_migrations (script_index, script) VALUES (?1, ?2)",
            rusqlite::params![index as i64, script],
        )
        .map_err(|e| format!("failed to record database migration at index {index}: {e}"))?;
    }
    Ok(())
}

/// The statements of `block`, prepared, with their parameters resolved to
/// `params`.
fn prepare_block(conn: &Connection, block: &str, params: &[Param]) -> Result<Vec<Lambda>, String> {
    statements::split(block)?
        .into_iter()
        .map(|statement| prepare(conn, statement, params))
        .collect()
}

/// One statement, prepared (and kept in the connection's cache), with its
/// parameters resolved to `params`.
fn prepare(
    conn: &Connection,
    statement: statements::Statement,
    params: &[Param],
) -> Result<Lambda, String> {
    if statement.empty {
        return Ok(Lambda {
            sql: statement.sql,
            empty: true,
            bindings: Vec::new(),
            output: Output::Columns(Vec::new()),
        });
    }
    let stmt = conn
        .prepare_cached(&statement.sql)
        .map_err(|e| e.to_string())?;
    let mut bindings = Vec::with_capacity(stmt.parameter_count());
    let mut encodings = Vec::with_capacity(stmt.parameter_count());
    for i in 1..=stmt.parameter_count() {
        let Some(encoding) = stmt.parameter_name(i) else {
            return Err(format!(
                "parameter {i} has no name: name parameters by their fields, like $id"
            ));
        };
        let param = params::resolve(encoding, params)?;
        let index = params
            .iter()
            .position(|p| std::ptr::eq(p, param))
            .unwrap_or_default();
        bindings.push(index);
        encodings.push(encoding.to_string());
    }
    let columns = stmt.column_names();
    let output = Output::new(&columns, |column| {
        encodings
            .iter()
            .position(|e| e == column)
            .map(|i| params[bindings[i]].field.clone())
    });
    Ok(Lambda {
        sql: statement.sql,
        empty: false,
        bindings,
        output,
    })
}

/// Runs one prepared statement over `doc`, appending the documents of its
/// rows to `out`.
fn run_into(
    conn: &Connection,
    lambda: &Lambda,
    params: &[Param],
    doc: &Value,
    out: &mut Vec<Value>,
) -> Result<(), String> {
    if lambda.empty {
        return Ok(());
    }
    let mut stmt = conn
        .prepare_cached(&lambda.sql)
        .map_err(|e| e.to_string())?;
    for (i, &p) in lambda.bindings.iter().enumerate() {
        let param = &params[p];
        let bind_error = |e: String| {
            format!(
                "failed to bind parameter {} (field {}): {e}",
                param.encoding, param.field
            )
        };
        let value = params::value(param, doc).map_err(bind_error)?;
        stmt.raw_bind_parameter(i + 1, value)
            .map_err(|e| bind_error(e.to_string()))?;
    }
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next().map_err(|e| e.to_string())? {
        out.push(lambda.output.document(row).map_err(|e| e.to_string())?);
    }
    Ok(())
}

/// Runs one prepared statement over `doc`, returning the documents of its
/// rows.
fn run(
    conn: &Connection,
    lambda: &Lambda,
    params: &[Param],
    doc: &Value,
) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    run_into(conn, lambda, params, doc, &mut out)?;
    Ok(out)
}

impl SqliteRuntime {
    fn fail(&self, message: String) -> RuntimeError {
        RuntimeError::new(format!("derivation {}: {message}", self.name))
    }
}

impl Runtime for SqliteRuntime {
    fn read(&mut self, transform: usize, doc: &Value) -> Result<Vec<Value>, RuntimeError> {
        let Some(spec) = self.transforms.get(transform) else {
            return Err(self.fail(format!("there is no transform at index {transform}")));
        };
        if spec.disabled {
            return Err(self.fail(format!("transform {} is disabled", spec.name)));
        }
        let mut out = Vec::new();
        for (offset, lambda) in self.lambdas[transform].iter().enumerate() {
            if let Err(e) = run_into(&self.conn, lambda, &spec.params, doc, &mut out) {
                let pretty = serde_json::to_string_pretty(doc).unwrap_or_else(|_| doc.to_string());
                return Err(self.fail(format!(
                    "failed to invoke transform {:?} lambda statement at offset {offset}: {e}\n\
                     Document was {pretty}",
                    spec.name
                )));
            }
        }
        Ok(out)
    }

    fn flush(&mut self) -> Result<Vec<Value>, RuntimeError> {
        let sql = if self.conn.is_autocommit() {
            "BEGIN EXCLUSIVE;"
        } else {
            "COMMIT; BEGIN EXCLUSIVE;"
        };
        self.conn
            .execute_batch(sql)
            .map_err(|e| self.fail(format!("failed to commit the transaction: {e}")))?;
        Ok(Vec::new())
    }

    fn reset(&mut self) -> Result<(), RuntimeError> {
        let (conn, lambdas) = build(&self.name, &self.migrations, &self.transforms)?;
        self.conn = conn;
        self.lambdas = lambdas;
        Ok(())
    }
}

/// A SQLite derivation of a catalog, running on an in-memory database: the
/// runtime that catalog tests use, for tools and benchmarks that run a
/// derivation over documents of their own.
///
/// ```
/// use flowspec::testing::sqlite::SqliteDerivation;
/// let catalog: flowspec::Catalog = serde_json::from_value(serde_json::json!({"collections": {
///     "acmeCo/in": {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}, "key": ["/id"]},
///     "acmeCo/out": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
///         "using": {"sqlite": {}},
///         "transforms": [{"name": "copy", "source": "acmeCo/in", "shuffle": "any", "lambda": "SELECT $id, 'copied' AS how;"}]}},
/// }})).unwrap();
/// let mut d = SqliteDerivation::open(&catalog, &flowspec::Collection::new("acmeCo/out").unwrap()).unwrap();
/// assert_eq!(d.read(0, &serde_json::json!({"id": "x"})).unwrap(), vec![serde_json::json!({"id": "x", "how": "copied"})]);
/// ```
pub struct SqliteDerivation {
    runtime: SqliteRuntime,
}

impl SqliteDerivation {
    /// Opens `derivation` of `catalog` (loaded, with its references
    /// inlined): a fresh database with the migrations applied and every
    /// lambda prepared. Fails with [`crate::Error::InvalidSpec`] naming the
    /// derivation: a migration that fails, a lambda that does not prepare,
    /// an unknown `$parameter`.
    ///
    /// ```
    /// use flowspec::testing::sqlite::SqliteDerivation;
    /// let catalog = flowspec::Catalog::default();
    /// let err = SqliteDerivation::open(&catalog, &flowspec::Collection::new("acmeCo/x").unwrap()).err().unwrap();
    /// assert_eq!(err.to_string(), "derivation acmeCo/x: no such collection in the catalog");
    /// ```
    pub fn open(catalog: &Catalog, derivation: &Collection) -> crate::Result<Self> {
        open(catalog, derivation)
            .map(|runtime| SqliteDerivation { runtime })
            .map_err(|e| public_error(derivation.as_str(), e))
    }

    /// Reads `doc`, a document of the source of the transform at index
    /// `transform`, and returns the documents it publishes.
    ///
    /// ```
    /// # use flowspec::testing::sqlite::SqliteDerivation;
    /// # let catalog: flowspec::Catalog = serde_json::from_value(serde_json::json!({"collections": {
    /// #     "acmeCo/in": {"schema": {"type": "object"}, "key": ["/id"]},
    /// #     "acmeCo/out": {"schema": {"type": "object"}, "key": ["/id"], "derive": {"using": {"sqlite": {}},
    /// #         "transforms": [{"name": "copy", "source": "acmeCo/in", "shuffle": "any", "lambda": "SELECT JSON($flow_document);"}]}},
    /// # }})).unwrap();
    /// let mut d = SqliteDerivation::open(&catalog, &flowspec::Collection::new("acmeCo/out").unwrap()).unwrap();
    /// let doc = serde_json::json!({"id": "x", "n": [1, 2]});
    /// assert_eq!(d.read(0, &doc).unwrap(), vec![doc]);
    /// ```
    pub fn read(&mut self, transform: usize, doc: &Value) -> crate::Result<Vec<Value>> {
        let name = self.runtime.name.clone();
        self.runtime
            .read(transform, doc)
            .map_err(|e| public_error(&name, e))
    }

    /// Ends a transaction (commits the database's work so far).
    ///
    /// ```
    /// # use flowspec::testing::sqlite::SqliteDerivation;
    /// # let catalog: flowspec::Catalog = serde_json::from_value(serde_json::json!({"collections": {
    /// #     "acmeCo/in": {"schema": {"type": "object"}, "key": ["/id"]},
    /// #     "acmeCo/out": {"schema": {"type": "object"}, "key": ["/id"], "derive": {"using": {"sqlite": {}},
    /// #         "transforms": [{"name": "copy", "source": "acmeCo/in", "shuffle": "any"}]}},
    /// # }})).unwrap();
    /// let mut d = SqliteDerivation::open(&catalog, &flowspec::Collection::new("acmeCo/out").unwrap()).unwrap();
    /// assert!(d.flush().unwrap().is_empty());
    /// ```
    pub fn flush(&mut self) -> crate::Result<Vec<Value>> {
        let name = self.runtime.name.clone();
        self.runtime.flush().map_err(|e| public_error(&name, e))
    }

    /// Replaces the database with a fresh one, its migrations applied
    /// again: all state is forgotten.
    ///
    /// ```
    /// # use flowspec::testing::sqlite::SqliteDerivation;
    /// # let catalog: flowspec::Catalog = serde_json::from_value(serde_json::json!({"collections": {
    /// #     "acmeCo/in": {"schema": {"type": "object"}, "key": ["/id"]},
    /// #     "acmeCo/out": {"schema": {"type": "object"}, "key": ["/id"], "derive": {
    /// #         "using": {"sqlite": {"migrations": ["CREATE TABLE seen (n INTEGER);"]}},
    /// #         "transforms": [{"name": "count", "source": "acmeCo/in", "shuffle": "any",
    /// #             "lambda": "INSERT INTO seen VALUES (1); SELECT COUNT(*) AS seen FROM seen;"}]}},
    /// # }})).unwrap();
    /// let mut d = SqliteDerivation::open(&catalog, &flowspec::Collection::new("acmeCo/out").unwrap()).unwrap();
    /// let doc = serde_json::json!({"id": "x"});
    /// d.read(0, &doc).unwrap();
    /// assert_eq!(d.read(0, &doc).unwrap(), vec![serde_json::json!({"seen": 2})]);
    /// d.reset().unwrap();
    /// assert_eq!(d.read(0, &doc).unwrap(), vec![serde_json::json!({"seen": 1})]);
    /// ```
    pub fn reset(&mut self) -> crate::Result<()> {
        let name = self.runtime.name.clone();
        self.runtime.reset().map_err(|e| public_error(&name, e))
    }
}

/// A runtime failure of `derivation` as a crate error.
fn public_error(derivation: &str, e: RuntimeError) -> crate::Error {
    let subject = format!("derivation {derivation}");
    let message = e
        .message
        .strip_prefix(&format!("{subject}: "))
        .unwrap_or(&e.message)
        .to_string();
    crate::Error::invalid_spec(subject, message)
}

/// The text of a stub migration file: an explanation, and a table to start
/// from.
pub(crate) fn stub_migration() -> String {
    "\
-- Migrations create and alter the tables of this derivation's database.
-- Each migration runs once, in order; add a new one to change the tables
-- (never edit one that was published).
--
-- For example, one lambda may keep the latest value of each id:
--
--   INSERT INTO my_join_table (id, joined_value) VALUES ($id, $value)
--     ON CONFLICT (id) DO UPDATE SET joined_value = $value;
--
-- and another may join its documents with those values:
--
--   SELECT $id, $other, t.joined_value FROM my_join_table AS t WHERE t.id = $id;

CREATE TABLE my_join_table (id INTEGER PRIMARY KEY NOT NULL, joined_value TEXT NOT NULL);
"
    .to_string()
}

/// The text of a stub lambda of a transform reading `source`: a commented
/// statement passing documents through unchanged, and a disabled statement
/// selecting every projection of `source`. It publishes nothing as it is.
pub(crate) fn stub_lambda(catalog: &Catalog, source: &Collection) -> Result<String, RuntimeError> {
    let params = params::of_source(catalog, source)
        .map_err(|e| RuntimeError::new(format!("stub lambda of {source}: {e}")))?;
    let mut w = String::new();
    if let Some(root) = params.iter().find(|p| p.ptr.is_empty()) {
        let _ = write!(
            w,
            "-- To publish each document of {source} unchanged, uncomment:\n\
             -- SELECT JSON({});\n\
             -- and add a WHERE clause to filter them, like: WHERE $my$field = 1234\n\n",
            root.encoding
        );
    }
    let _ = write!(
        w,
        "-- Select locations of documents of {source}. WHERE FALSE disables this\n\
         -- statement: it publishes nothing until you change it.\n\
         -- Rename a column with AS, like: SELECT $my$field AS renamed\n\
         SELECT\n"
    );
    let columns: Vec<String> = params
        .iter()
        .filter(|p| !p.ptr.is_empty())
        .map(|p| {
            let what = if p.is_key {
                "Key"
            } else if p.is_partition {
                "Partitioned field"
            } else {
                "Field"
            };
            let mut comment = format!("{what} {} at {}", p.field, p.ptr);
            for text in [&p.title, &p.description].into_iter().flatten() {
                let _ = write!(comment, "; {}", text.replace('\n', " "));
            }
            format!("    -- {comment}\n    {}", p.encoding)
        })
        .collect();
    w.push_str(&columns.join(",\n"));
    w.push_str("\nWHERE FALSE;\n");
    Ok(w)
}
