//! PostgREST requests as flowctl sends them (postgrest-rs 1.6 over
//! reqwest): the method, the path under the PostgREST URL, the query in
//! form encoding, and the headers each kind of call carries. The client
//! sends these, the local control plane reads them back with
//! [`Filter::parse`], so both ends agree on one syntax.
//!
//! ```
//! use flowspec::client::postgrest::Request;
//! let request = Request::get("live_specs_ext")
//!     .select(&["id", "catalog_name", "spec"])
//!     .not_is("spec_type", "null")
//!     .in_list("catalog_name", &["acmeCo/a", "acmeCo/b"]);
//! assert_eq!(
//!     request.path_and_query(),
//!     "/live_specs_ext?select=id%2Ccatalog_name%2Cspec&spec_type=not.is.null&catalog_name=in.%28acmeCo%2Fa%2CacmeCo%2Fb%29"
//! );
//! ```

use std::fmt;

use serde_json::Value;

/// An HTTP method of a PostgREST call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Reads rows.
    Get,
    /// Inserts or upserts rows, or calls a function.
    Post,
    /// Deletes rows.
    Delete,
}

impl Method {
    /// The method's name on the wire.
    ///
    /// ```
    /// assert_eq!(flowspec::client::postgrest::Method::Delete.as_str(), "DELETE");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// The `Accept` of a call that expects exactly one row (postgrest-rs's
/// `.single()`): PostgREST answers 406 (`PGRST116`) otherwise.
pub const ACCEPT_OBJECT: &str = "application/vnd.pgrst.object+json";

/// One PostgREST request, without the URL's base and without credentials
/// (the `apikey` and `Authorization` headers are the session's).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The table, or `rpc/<function>`.
    pub path: String,
    /// The query's pairs, in order.
    pub query: Vec<(String, String)>,
    /// Headers besides `apikey`, `Authorization` and `Content-Type`.
    pub headers: Vec<(&'static str, String)>,
    /// The JSON body of a POST.
    pub body: Option<Value>,
    /// Whether sending it twice does no harm, so that a failed attempt may
    /// be repeated: reads, upserts and deletions are; inserts and function
    /// calls are not unless marked ([`Request::retrying`]).
    pub retry: bool,
}

impl Request {
    fn new(method: Method, path: &str, body: Option<Value>) -> Self {
        Request {
            method,
            path: path.to_string(),
            query: Vec::new(),
            headers: vec![("Accept", "application/json".to_string())],
            body,
            retry: method != Method::Post,
        }
    }

    /// Reads rows of `table`.
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::get("data_planes").select(&["id", "data_plane_name"]);
    /// assert_eq!(r.path_and_query(), "/data_planes?select=id%2Cdata_plane_name");
    /// ```
    pub fn get(table: &str) -> Self {
        Request::new(Method::Get, table, None)
    }

    /// Inserts `rows` (an object or an array) into `table`, returning them.
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::insert("drafts", serde_json::json!({"detail": "Created by flowctl"}));
    /// assert!(r.headers.contains(&("Prefer", "return=representation".to_string())));
    /// ```
    pub fn insert(table: &str, rows: Value) -> Self {
        let mut request = Request::new(Method::Post, table, Some(rows));
        request
            .headers
            .push(("Prefer", "return=representation".to_string()));
        request
    }

    /// Inserts `rows` into `table`, merging those whose `on_conflict`
    /// columns match existing rows.
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::upsert("draft_specs", serde_json::json!([]), "draft_id,catalog_name");
    /// assert_eq!(r.path_and_query(), "/draft_specs?on_conflict=draft_id%2Ccatalog_name");
    /// ```
    pub fn upsert(table: &str, rows: Value, on_conflict: &str) -> Self {
        let mut request = Request::new(Method::Post, table, Some(rows));
        request.headers.push((
            "Prefer",
            "return=representation,resolution=merge-duplicates".to_string(),
        ));
        request
            .query
            .push(("on_conflict".to_string(), on_conflict.to_string()));
        request.retry = true;
        request
    }

    /// Deletes the rows of `table` that the filters select, returning them.
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::delete("drafts").eq("id", "1a2b3c4d5e6f7081");
    /// assert_eq!(r.path_and_query(), "/drafts?id=eq.1a2b3c4d5e6f7081");
    /// ```
    pub fn delete(table: &str) -> Self {
        let mut request = Request::new(Method::Delete, table, None);
        request
            .headers
            .push(("Prefer", "return=representation".to_string()));
        request
    }

    /// Calls the SQL function `function` with `arguments`.
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::rpc("view_logs", serde_json::json!({"bearer_token": "u", "last_logged_at": null}));
    /// assert_eq!(r.path_and_query(), "/rpc/view_logs");
    /// ```
    pub fn rpc(function: &str, arguments: Value) -> Self {
        Request::new(Method::Post, &format!("rpc/{function}"), Some(arguments))
    }

    /// Marks whether the request may be sent again after a failed attempt.
    ///
    /// ```
    /// use flowspec::client::postgrest::Request;
    /// assert!(!Request::rpc("view_logs", serde_json::json!({})).retry);
    /// assert!(Request::rpc("view_logs", serde_json::json!({})).retrying(true).retry);
    /// assert!(Request::get("drafts").retry && !Request::insert("drafts", serde_json::json!({})).retry);
    /// ```
    pub fn retrying(mut self, yes: bool) -> Self {
        self.retry = yes;
        self
    }

    /// Selects these columns (trimmed, as older clients send `id,
    /// created_at`); `select` comes first in the query, as postgrest-rs
    /// puts it.
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::get("t").select(&["id", " created_at"]);
    /// assert_eq!(r.query, vec![("select".to_string(), "id,created_at".to_string())]);
    /// ```
    pub fn select(mut self, columns: &[&str]) -> Self {
        let list: Vec<&str> = columns.iter().map(|c| c.trim()).collect();
        self.query.insert(0, ("select".to_string(), list.join(",")));
        self
    }

    /// Keeps the rows whose `column` passes `filter`.
    ///
    /// ```
    /// use flowspec::client::postgrest::{Filter, Request};
    /// let r = Request::get("t").filter("n", Filter::Neq("x".into()));
    /// assert_eq!(r.path_and_query(), "/t?n=neq.x");
    /// ```
    pub fn filter(mut self, column: &str, filter: Filter) -> Self {
        self.query.push((column.to_string(), filter.to_string()));
        self
    }

    /// Keeps the rows whose `column` equals `value`.
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::get("t").eq("id", "01");
    /// assert_eq!(r.path_and_query(), "/t?id=eq.01");
    /// ```
    pub fn eq(self, column: &str, value: &str) -> Self {
        self.filter(column, Filter::Eq(value.to_string()))
    }

    /// Keeps the rows whose `column` is one of `values` (listed unquoted,
    /// as postgrest-rs lists them).
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::get("t").in_list("n", &["a", "b"]);
    /// assert_eq!(r.query[0].1, "in.(a,b)");
    /// ```
    pub fn in_list(self, column: &str, values: &[&str]) -> Self {
        self.filter(
            column,
            Filter::In(values.iter().map(|v| v.to_string()).collect()),
        )
    }

    /// Keeps the rows whose `column` is not `value` (`null`, `true`…).
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::get("t").not_is("spec_type", "null");
    /// assert_eq!(r.query[0].1, "not.is.null");
    /// ```
    pub fn not_is(self, column: &str, value: &str) -> Self {
        self.filter(column, Filter::Not(Box::new(Filter::Is(value.to_string()))))
    }

    /// Expects exactly one row, answered as an object.
    ///
    /// ```
    /// use flowspec::client::postgrest::{Request, ACCEPT_OBJECT};
    /// let r = Request::get("t").single();
    /// assert_eq!(r.headers, vec![("Accept", ACCEPT_OBJECT.to_string())]);
    /// ```
    pub fn single(mut self) -> Self {
        for (name, value) in &mut self.headers {
            if *name == "Accept" {
                *value = ACCEPT_OBJECT.to_string();
            }
        }
        self
    }

    /// The path (with a leading `/`) and the form-encoded query, to join to
    /// the PostgREST URL.
    ///
    /// ```
    /// let r = flowspec::client::postgrest::Request::get("t").eq("detail", "a b/c");
    /// assert_eq!(r.path_and_query(), "/t?detail=eq.a+b%2Fc");
    /// ```
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            return format!("/{}", self.path);
        }
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.query)
            .finish();
        format!("/{}?{query}", self.path)
    }
}

/// A filter of a column, in PostgREST's syntax (`eq.x`, `in.(a,b)`,
/// `not.is.null`).
///
/// ```
/// use flowspec::client::postgrest::Filter;
/// let filter = Filter::parse("not.is.null").unwrap();
/// assert_eq!(filter, Filter::Not(Box::new(Filter::Is("null".into()))));
/// assert_eq!(filter.to_string(), "not.is.null");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `eq.<value>`
    Eq(String),
    /// `neq.<value>`
    Neq(String),
    /// `is.<null|true|false|unknown>`
    Is(String),
    /// `like.<pattern>` (`*` for `%`)
    Like(String),
    /// `in.(<a>,<b>,…)`
    In(Vec<String>),
    /// `not.<filter>`
    Not(Box<Filter>),
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Eq(v) => write!(f, "eq.{v}"),
            Filter::Neq(v) => write!(f, "neq.{v}"),
            Filter::Is(v) => write!(f, "is.{v}"),
            Filter::Like(v) => write!(f, "like.{v}"),
            Filter::In(values) => write!(f, "in.({})", values.join(",")),
            Filter::Not(inner) => write!(f, "not.{inner}"),
        }
    }
}

impl Filter {
    /// Reads a filter as PostgREST does. A value of `in.(…)` may be quoted
    /// (`"a,b"`), as PostgREST allows; `is.` takes only `null`, `true`,
    /// `false` and `unknown`.
    ///
    /// ```
    /// use flowspec::client::postgrest::Filter;
    /// assert_eq!(Filter::parse("in.(a,\"b,c\")").unwrap(), Filter::In(vec!["a".into(), "b,c".into()]));
    /// assert_eq!(
    ///     Filter::parse("gt.5").unwrap_err(),
    ///     "unknown operator `gt` (expected one of eq, neq, is, like, in, not)"
    /// );
    /// ```
    pub fn parse(text: &str) -> Result<Filter, String> {
        let (operator, value) = text
            .split_once('.')
            .ok_or_else(|| format!("`{text}` is not a filter like `eq.value`"))?;
        match operator {
            "eq" => Ok(Filter::Eq(value.to_string())),
            "neq" => Ok(Filter::Neq(value.to_string())),
            "like" => Ok(Filter::Like(value.to_string())),
            "is" => match value {
                "null" | "true" | "false" | "unknown" => Ok(Filter::Is(value.to_string())),
                _ => Err(format!(
                    "`is.{value}`: is takes null, true, false or unknown"
                )),
            },
            "in" => parse_list(value).map(Filter::In),
            "not" => match Filter::parse(value)? {
                Filter::Not(_) => Err(format!("`{text}`: not.not is not a filter")),
                inner => Ok(Filter::Not(Box::new(inner))),
            },
            other => Err(format!(
                "unknown operator `{other}` (expected one of eq, neq, is, like, in, not)"
            )),
        }
    }
}

/// The values of `(a,"b,c")`.
fn parse_list(text: &str) -> Result<Vec<String>, String> {
    let inner = text
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| format!("`in.{text}`: a list is written `(a,b)`"))?;
    let mut values = Vec::new();
    let mut chars = inner.chars().peekable();
    if inner.is_empty() {
        return Ok(values);
    }
    loop {
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('"') => break,
                    Some(c) => value.push(c),
                    None => return Err(format!("`in.{text}`: a quote is not closed")),
                }
            }
            if !matches!(chars.peek(), None | Some(',')) {
                return Err(format!("`in.{text}`: a quoted value must end at a `,`"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        values.push(value);
        match chars.next() {
            Some(',') => continue,
            _ => return Ok(values),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calls_of_a_publication_are_encoded_as_flowctl_encodes_them() {
        let draft = "1a2b3c4d5e6f7081";
        let cases = [
            (
                Request::insert(
                    "drafts",
                    serde_json::json!({"detail": "Created by flowctl"}),
                )
                .select(&["id", "created_at"])
                .single(),
                "POST",
                "/drafts?select=id%2Ccreated_at",
                vec![
                    ("Accept", ACCEPT_OBJECT),
                    ("Prefer", "return=representation"),
                ],
            ),
            (
                Request::upsert(
                    "draft_specs",
                    serde_json::json!([]),
                    "draft_id,catalog_name",
                )
                .select(&["catalog_name", "spec_type"]),
                "POST",
                "/draft_specs?select=catalog_name%2Cspec_type&on_conflict=draft_id%2Ccatalog_name",
                vec![
                    ("Accept", "application/json"),
                    (
                        "Prefer",
                        "return=representation,resolution=merge-duplicates",
                    ),
                ],
            ),
            (
                Request::get("publications")
                    .select(&["job_status->>type"])
                    .eq("id", draft)
                    .single(),
                "GET",
                "/publications?select=job_status-%3E%3Etype&id=eq.1a2b3c4d5e6f7081",
                vec![("Accept", ACCEPT_OBJECT)],
            ),
            (
                Request::get("draft_errors")
                    .select(&["scope", "detail"])
                    .eq("draft_id", draft),
                "GET",
                "/draft_errors?select=scope%2Cdetail&draft_id=eq.1a2b3c4d5e6f7081",
                vec![("Accept", "application/json")],
            ),
            (
                Request::delete("drafts").eq("id", draft),
                "DELETE",
                "/drafts?id=eq.1a2b3c4d5e6f7081",
                vec![
                    ("Accept", "application/json"),
                    ("Prefer", "return=representation"),
                ],
            ),
        ];
        for (request, method, path, headers) in cases {
            assert_eq!(request.method.as_str(), method);
            assert_eq!(request.path_and_query(), path);
            let got: Vec<(&str, &str)> = request
                .headers
                .iter()
                .map(|(n, v)| (*n, v.as_str()))
                .collect();
            assert_eq!(got, headers, "{path}");
        }
    }

    #[test]
    fn filters_read_back_as_written() {
        let filters = [
            Filter::Eq("acmeCo/a b".into()),
            Filter::Neq(String::new()),
            Filter::Is("null".into()),
            Filter::Like("acmeCo/*".into()),
            Filter::In(vec!["a".into(), "b".into()]),
            Filter::In(vec![]),
            Filter::Not(Box::new(Filter::Is("null".into()))),
            Filter::Not(Box::new(Filter::In(vec!["x".into()]))),
        ];
        for filter in filters {
            assert_eq!(Filter::parse(&filter.to_string()), Ok(filter.clone()));
        }
        // The query as the server receives it, decoded.
        let request = Request::get("t").in_list("catalog_name", &["acmeCo/a", "acmeCo/b c"]);
        let query = request.path_and_query();
        let pairs: Vec<(String, String)> =
            url::form_urlencoded::parse(query.split_once('?').unwrap().1.as_bytes())
                .into_owned()
                .collect();
        assert_eq!(
            Filter::parse(&pairs[0].1),
            Ok(Filter::In(vec!["acmeCo/a".into(), "acmeCo/b c".into()]))
        );
    }

    #[test]
    fn bad_filters_say_what_is_expected() {
        let cases = [
            ("eq", "`eq` is not a filter like `eq.value`"),
            (
                "is.maybe",
                "`is.maybe`: is takes null, true, false or unknown",
            ),
            ("in.a,b", "`in.a,b`: a list is written `(a,b)`"),
            ("in.(\"a)", "`in.(\"a)`: a quote is not closed"),
            (
                "in.(\"a\"b)",
                "`in.(\"a\"b)`: a quoted value must end at a `,`",
            ),
            (
                "not.not.is.null",
                "`not.not.is.null`: not.not is not a filter",
            ),
            (
                "cs.{a}",
                "unknown operator `cs` (expected one of eq, neq, is, like, in, not)",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(Filter::parse(text), Err(want.to_string()), "{text}");
        }
        assert_eq!(
            Filter::parse("in.(\"a,b\",\"c\\\"d\",e)"),
            Ok(Filter::In(vec!["a,b".into(), "c\"d".into(), "e".into()]))
        );
    }
}
