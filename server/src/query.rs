//! A PostgREST query as the server reads it: the `select` list (columns,
//! `->`/`->>` JSON paths, aliases, one level of embedded resources), the
//! row filters (`col=eq.x`, `in.(…)`, `not.is.null`, `or=(…)`), `order`,
//! `limit`, `offset` and `on_conflict`. Filters use the client's own
//! [`Filter`], so both ends read one syntax.
//!
//! ```
//! use flowspec_server::query::Query;
//! let query = Query::parse("select=id,%20created_at&id=eq.0102030405060708").unwrap();
//! assert_eq!(query.select.len(), 2);
//! assert_eq!(query.filters[0].column, "id");
//! ```

use std::cmp::Ordering;

use flowspec::client::postgrest::Filter;
use serde_json::{Map, Value};

/// One item of `select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectItem {
    /// Every column (`*`).
    All,
    /// A column, or a JSON path into one: `job_status->>type` is
    /// `{column: "job_status", path: ["type"], text: true}`, named `type`.
    Column {
        /// The key in the answer.
        name: String,
        /// The column.
        column: String,
        /// The JSON path into the column's value.
        path: Vec<String>,
        /// Whether the last step was `->>` (a text value).
        text: bool,
    },
    /// An embedded resource, `connector_tags(endpoint_spec_schema)`.
    Embed {
        /// The key in the answer.
        name: String,
        /// The embedded table.
        table: String,
        /// What is selected of it.
        select: Vec<SelectItem>,
    },
}

/// A filter of one column: `column=filter`, or `table.column=filter`
/// for an embedded resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnFilter {
    /// The embedded table it filters, if any.
    pub embed: Option<String>,
    /// The column.
    pub column: String,
    /// A JSON path into the column (`job_status->>type=eq.queued`).
    pub path: Vec<String>,
    /// Whether the path's last step is `->>` (text).
    pub text: bool,
    /// The filter.
    pub filter: Filter,
}

/// One `order` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderItem {
    /// The column.
    pub column: String,
    /// Descending.
    pub desc: bool,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// `select` (empty: every column).
    pub select: Vec<SelectItem>,
    /// Filters that all must pass.
    pub filters: Vec<ColumnFilter>,
    /// `or=(…)` groups: one of each group must pass.
    pub any_of: Vec<Vec<ColumnFilter>>,
    /// `order`.
    pub order: Vec<OrderItem>,
    /// `limit`.
    pub limit: Option<usize>,
    /// `offset`.
    pub offset: usize,
    /// `on_conflict` columns.
    pub on_conflict: Vec<String>,
}

/// Why a query cannot be read: PostgREST's `PGRST100`, its message and
/// details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// PostgREST's message (`failed to parse filter (gt.5)`).
    pub message: String,
    /// What was expected.
    pub details: String,
}

fn parse_error(message: String, details: impl Into<String>) -> QueryError {
    QueryError {
        message,
        details: details.into(),
    }
}

impl Query {
    /// Reads a form-encoded query string.
    ///
    /// ```
    /// use flowspec_server::query::Query;
    /// let err = Query::parse("id=gt.5").unwrap_err();
    /// assert_eq!(err.message, "failed to parse filter (gt.5)");
    /// ```
    pub fn parse(raw: &str) -> Result<Query, QueryError> {
        let mut query = Query::default();
        for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
            let (key, value) = (key.trim().to_string(), value.to_string());
            match key.as_str() {
                "select" => query.select = parse_select(&value)?,
                "or" => query.any_of.push(parse_logic(&value)?),
                "order" => {
                    for item in value.split(',').map(str::trim) {
                        let mut parts = item.split('.');
                        let column = parts.next().unwrap_or_default().to_string();
                        let mut desc = false;
                        for part in parts {
                            match part {
                                "asc" | "nullsfirst" | "nullslast" => {}
                                "desc" => desc = true,
                                _ => {
                                    return Err(parse_error(
                                        format!("failed to parse order ({value})"),
                                        format!("unexpected `{part}`: expecting asc, desc, nullsfirst or nullslast"),
                                    ))
                                }
                            }
                        }
                        query.order.push(OrderItem { column, desc });
                    }
                }
                "limit" | "offset" => {
                    let n = value.parse::<usize>().map_err(|_| {
                        parse_error(
                            format!("failed to parse {key} ({value})"),
                            "expecting a non-negative integer",
                        )
                    })?;
                    if key == "limit" {
                        query.limit = Some(n);
                    } else {
                        query.offset = n;
                    }
                }
                "on_conflict" => {
                    query.on_conflict = value.split(',').map(|c| c.trim().to_string()).collect()
                }
                "columns" => {}
                _ => {
                    let filter = Filter::parse(&value).map_err(|details| {
                        parse_error(format!("failed to parse filter ({value})"), details)
                    })?;
                    let (embed, target) = match key.split_once('.') {
                        Some((table, column)) => (Some(table.to_string()), column),
                        None => (None, key.as_str()),
                    };
                    let (column, path, text) = parse_path(target).map_err(|details| {
                        parse_error(format!("failed to parse filter ({key})"), details)
                    })?;
                    query.filters.push(ColumnFilter {
                        embed,
                        column,
                        path,
                        text,
                        filter,
                    });
                }
            }
        }
        Ok(query)
    }
}

/// Splits `text` at top-level commas (outside of parentheses and quotes).
fn split_top(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut current = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                current.push(c);
                current.extend(chars.next());
                continue;
            }
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current);
    items
}

/// Reads a `select` list.
fn parse_select(text: &str) -> Result<Vec<SelectItem>, QueryError> {
    let bad = |details: String| {
        parse_error(
            format!("failed to parse select parameter ({text})"),
            details,
        )
    };
    let mut items = Vec::new();
    for item in split_top(text) {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad("an empty item".into()));
        }
        if item == "*" {
            items.push(SelectItem::All);
            continue;
        }
        let (alias, expr) = match item.split_once(':') {
            Some((alias, expr)) if !alias.contains('-') && !expr.starts_with(':') => {
                (Some(alias.trim().to_string()), expr.trim())
            }
            _ => (None, item),
        };
        // A cast (`::text`) is read and ignored.
        let expr = expr.split("::").next().unwrap_or(expr).trim();
        if let Some(open) = expr.find('(') {
            let inner = expr[open + 1..]
                .strip_suffix(')')
                .ok_or_else(|| bad(format!("`{expr}`: an embedded resource ends with `)`")))?;
            let table = expr[..open].split('!').next().unwrap_or_default().trim();
            items.push(SelectItem::Embed {
                name: alias.unwrap_or_else(|| table.to_string()),
                table: table.to_string(),
                select: parse_select(inner)?,
            });
            continue;
        }
        let (column, path, text_value) = parse_path(expr).map_err(bad)?;
        items.push(SelectItem::Column {
            name: alias
                .unwrap_or_else(|| path.last().cloned().unwrap_or_else(|| column.to_string())),
            column: column.to_string(),
            path,
            text: text_value,
        });
    }
    Ok(items)
}

/// Reads `column`, `column->key` or `column->a->>b`: the column, the JSON
/// path and whether the last step is `->>` (text).
fn parse_path(expr: &str) -> Result<(String, Vec<String>, bool), String> {
    let mut path = Vec::new();
    let mut text = false;
    let (column, mut rest) = match expr.find("->") {
        Some(at) => (&expr[..at], &expr[at..]),
        None => (expr, ""),
    };
    while !rest.is_empty() {
        let (arrow, tail) = if let Some(tail) = rest.strip_prefix("->>") {
            (true, tail)
        } else if let Some(tail) = rest.strip_prefix("->") {
            (false, tail)
        } else {
            return Err(format!("`{expr}`: expecting -> or ->>"));
        };
        let end = tail.find("->").unwrap_or(tail.len());
        let key = tail[..end].trim_matches('\'');
        if key.is_empty() {
            return Err(format!("`{expr}`: an empty JSON key"));
        }
        path.push(key.to_string());
        text = arrow;
        rest = &tail[end..];
    }
    if column.is_empty() || !column.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(format!("`{column}` is not a column name"));
    }
    Ok((column.to_string(), path, text))
}

/// Reads `(a.eq.x,b.like."P%")`, the value of `or=`.
fn parse_logic(text: &str) -> Result<Vec<ColumnFilter>, QueryError> {
    let bad =
        |details: String| parse_error(format!("failed to parse logic tree ({text})"), details);
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| bad("a list of conditions is written `(a.eq.x,b.eq.y)`".into()))?;
    let mut conditions = Vec::new();
    for item in split_top(inner) {
        let item = item.trim();
        let (column, filter) = item.split_once('.').ok_or_else(|| {
            bad(format!(
                "`{item}` is not a condition like `column.eq.value`"
            ))
        })?;
        let filter = Filter::parse(filter).map_err(bad)?;
        let unquote = |v: String| match v.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(inner) => inner.replace("\\\"", "\""),
            None => v,
        };
        let filter = match filter {
            Filter::Eq(v) => Filter::Eq(unquote(v)),
            Filter::Neq(v) => Filter::Neq(unquote(v)),
            Filter::Like(v) => Filter::Like(unquote(v)),
            Filter::Not(inner) => Filter::Not(Box::new(match *inner {
                Filter::Eq(v) => Filter::Eq(unquote(v)),
                Filter::Neq(v) => Filter::Neq(unquote(v)),
                Filter::Like(v) => Filter::Like(unquote(v)),
                other => other,
            })),
            other => other,
        };
        let (column, path, text_value) = parse_path(column).map_err(bad)?;
        conditions.push(ColumnFilter {
            embed: None,
            column,
            path,
            text: text_value,
            filter,
        });
    }
    Ok(conditions)
}

/// The text PostgreSQL would compare a value as: strings as they are,
/// other values as compact JSON; `None` for null.
pub fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Whether `value` passes `filter`. `normalize` turns a filter's operand
/// into the form the column holds (ids into their colon form), or says
/// why it cannot.
pub fn passes(
    value: &Value,
    filter: &Filter,
    normalize: &dyn Fn(&str) -> Result<String, String>,
) -> Result<bool, String> {
    let text = value_text(value);
    Ok(match filter {
        Filter::Eq(v) => text.as_deref() == Some(normalize(v)?.as_str()),
        Filter::Neq(v) => match text {
            None => false,
            Some(t) => t != normalize(v)?,
        },
        Filter::Like(pattern) => text.is_some_and(|t| like(&t, pattern)),
        Filter::Is(what) => match what.as_str() {
            "null" | "unknown" => value.is_null(),
            "true" => value == &Value::Bool(true),
            _ => value == &Value::Bool(false),
        },
        Filter::In(values) => match text {
            None => false,
            Some(t) => {
                let mut found = false;
                for v in values {
                    if normalize(v)? == t {
                        found = true;
                    }
                }
                found
            }
        },
        Filter::Not(inner) => {
            // SQL: `not (x = y)` of a null is null, which no row passes.
            if value.is_null() && !matches!(**inner, Filter::Is(_)) {
                false
            } else {
                !passes(value, inner, normalize)?
            }
        }
    })
}

/// SQL `LIKE`, with PostgREST's `*` for `%`.
pub fn like(text: &str, pattern: &str) -> bool {
    let pattern: Vec<char> = pattern
        .chars()
        .map(|c| if c == '*' { '%' } else { c })
        .collect();
    let text: Vec<char> = text.chars().collect();
    fn go(t: &[char], p: &[char]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('%', rest)) => (0..=t.len()).any(|i| go(&t[i..], rest)),
            Some(('_', rest)) => !t.is_empty() && go(&t[1..], rest),
            Some((c, rest)) => t.first() == Some(c) && go(&t[1..], rest),
        }
    }
    go(&text, &pattern)
}

/// The value at `path` in `value`; the text of it for `->>`.
pub fn json_path(value: &Value, path: &[String], text: bool) -> Value {
    let mut current = value.clone();
    for key in path {
        current = match current {
            Value::Object(mut map) => map.remove(key).unwrap_or(Value::Null),
            Value::Array(mut items) => match key.parse::<usize>() {
                Ok(i) if i < items.len() => items.swap_remove(i),
                _ => Value::Null,
            },
            _ => Value::Null,
        };
    }
    if text && !path.is_empty() {
        match current {
            Value::Null => Value::Null,
            Value::String(s) => Value::String(s),
            other => Value::String(other.to_string()),
        }
    } else {
        current
    }
}

/// Orders rows by `order`.
pub fn sort_rows(rows: &mut [Map<String, Value>], order: &[OrderItem]) {
    rows.sort_by(|a, b| {
        for item in order {
            let (x, y) = (
                a.get(&item.column).and_then(value_text),
                b.get(&item.column).and_then(value_text),
            );
            // Nulls last when ascending, as PostgreSQL.
            let ordering = match (x, y) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(x), Some(y)) => x.cmp(&y),
            };
            let ordering = if item.desc {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(v: &str) -> Result<String, String> {
        Ok(v.to_string())
    }

    #[test]
    fn selects_read_columns_paths_aliases_and_embeds() {
        let q = Query::parse("select=id,+created_at,job_status-%3E%3Etype,x:spec->a->b,connector_tags(endpoint_spec_schema)").unwrap();
        assert_eq!(
            q.select,
            vec![
                SelectItem::Column {
                    name: "id".into(),
                    column: "id".into(),
                    path: vec![],
                    text: false
                },
                SelectItem::Column {
                    name: "created_at".into(),
                    column: "created_at".into(),
                    path: vec![],
                    text: false
                },
                SelectItem::Column {
                    name: "type".into(),
                    column: "job_status".into(),
                    path: vec!["type".into()],
                    text: true
                },
                SelectItem::Column {
                    name: "x".into(),
                    column: "spec".into(),
                    path: vec!["a".into(), "b".into()],
                    text: false
                },
                SelectItem::Embed {
                    name: "connector_tags".into(),
                    table: "connector_tags".into(),
                    select: vec![SelectItem::Column {
                        name: "endpoint_spec_schema".into(),
                        column: "endpoint_spec_schema".into(),
                        path: vec![],
                        text: false
                    }],
                },
            ]
        );
        assert_eq!(
            Query::parse("select=id,").unwrap_err(),
            QueryError {
                message: "failed to parse select parameter (id,)".into(),
                details: "an empty item".into()
            }
        );
    }

    #[test]
    fn filters_and_logic_trees() {
        let q = Query::parse("or=(catalog_name.like.%22acmeCo/*%22,spec_type.is.null)&connector_tags.image_tag=eq.:v1").unwrap();
        assert_eq!(q.any_of[0][0].filter, Filter::Like("acmeCo/*".into()));
        assert_eq!(q.any_of[0][1].filter, Filter::Is("null".into()));
        assert_eq!(q.filters[0].embed.as_deref(), Some("connector_tags"));
        let j = Query::parse("job_status->>type=eq.queued").unwrap();
        assert_eq!(
            (
                j.filters[0].column.as_str(),
                j.filters[0].path.as_slice(),
                j.filters[0].text
            ),
            ("job_status", &["type".to_string()][..], true)
        );
        assert_eq!(
            Query::parse("a->=eq.1").unwrap_err(),
            QueryError {
                message: "failed to parse filter (a->)".into(),
                details: "`a->`: an empty JSON key".into()
            }
        );
        assert_eq!(q.filters[0].filter, Filter::Eq(":v1".into()));
        let err = Query::parse("id=gt.5").unwrap_err();
        assert_eq!(
            err.details,
            "unknown operator `gt` (expected one of eq, neq, is, like, in, not)"
        );
        assert!(Query::parse("or=a.eq.1").is_err());
    }

    #[test]
    fn values_pass_filters_as_in_sql() {
        let s = Value::String("acmeCo/anvils".into());
        assert!(passes(&s, &Filter::Like("acmeCo/*".into()), &id).unwrap());
        assert!(!passes(&s, &Filter::Like("acmeCo/_".into()), &id).unwrap());
        assert!(passes(
            &s,
            &Filter::In(vec!["x".into(), "acmeCo/anvils".into()]),
            &id
        )
        .unwrap());
        assert!(!passes(&Value::Null, &Filter::Neq("x".into()), &id).unwrap());
        assert!(passes(&Value::Null, &Filter::Is("null".into()), &id).unwrap());
        assert!(!passes(
            &Value::Null,
            &Filter::Not(Box::new(Filter::Is("null".into()))),
            &id
        )
        .unwrap());
        assert!(!passes(
            &Value::Null,
            &Filter::Not(Box::new(Filter::Eq("x".into()))),
            &id
        )
        .unwrap());
        assert_eq!(
            json_path(
                &serde_json::json!({"type": "queued"}),
                &["type".into()],
                true
            ),
            "queued"
        );
        assert_eq!(
            json_path(&serde_json::json!({"n": 1}), &["n".into()], true),
            "1"
        );
    }
}
