//! Values as literals of a language, laid out to fit lines of [`WIDTH`]
//! columns where they can: a value that fits stays on one line; an object
//! or list that does not has one item per line (with a trailing comma); a
//! long string with line breaks is split after each of them.

use serde_json::Value;

use super::secret_of;

/// The width lines are fitted to.
pub(crate) const WIDTH: usize = 100;

/// How a language spells JSON values.
pub(crate) trait Syntax {
    /// `null`, `true` and `false`.
    fn constant(&self, value: &Value) -> &'static str {
        match value {
            Value::Bool(true) => "true",
            Value::Bool(false) => "false",
            _ => "null",
        }
    }
    /// A one-line string literal.
    fn string(&self, text: &str) -> String;
    /// An object's key.
    fn key(&self, key: &str) -> String {
        self.string(key)
    }
    /// The secret held by the environment variable `env` (JSON text when
    /// `json`).
    fn secret(&self, env: &str, json: bool) -> String;
    /// A string broken into `parts` (literals, each but the last ending in
    /// a line break), at `indent`.
    fn lines(&self, parts: &[String], indent: usize) -> String;
    /// Spaces inside the braces of an object on one line (`{ a: 1 }`).
    fn spaced_braces(&self) -> bool {
        false
    }
    /// A call whose last argument is an object or list keeps its opening
    /// bracket on the call's line: `f("x", {` … `})`.
    fn hugs_last_argument(&self) -> bool {
        false
    }
}

/// Spaces of an indentation.
pub(crate) fn pad(indent: usize) -> String {
    " ".repeat(indent)
}

/// `value` on one line.
pub(crate) fn inline(syntax: &dyn Syntax, value: &Value) -> String {
    if let Some((env, json)) = secret_of(value) {
        return syntax.secret(env, json);
    }
    match value {
        Value::Null | Value::Bool(_) => syntax.constant(value).to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => syntax.string(s),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| inline(syntax, v)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(map) if map.is_empty() => "{}".to_string(),
        Value::Object(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", syntax.key(k), inline(syntax, v)))
                .collect();
            match syntax.spaced_braces() {
                true => format!("{{ {} }}", items.join(", ")),
                false => format!("{{{}}}", items.join(", ")),
            }
        }
    }
}

/// `value` at `indent`, on a line of which `used` columns are taken: on one
/// line if it fits (leaving a column for what follows), else over several.
pub(crate) fn render(syntax: &dyn Syntax, value: &Value, indent: usize, used: usize) -> String {
    let one = inline(syntax, value);
    if used + one.len() < WIDTH || secret_of(value).is_some() {
        return one;
    }
    let inner = indent + 4;
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut out = String::from("{\n");
            for (k, v) in map {
                let prefix = format!("{}{}: ", pad(inner), syntax.key(k));
                let item = render(syntax, v, inner, prefix.len());
                out.push_str(&format!("{prefix}{item},\n"));
            }
            out.push_str(&pad(indent));
            out.push('}');
            out
        }
        Value::Array(items) if !items.is_empty() => {
            let mut out = String::from("[\n");
            for v in items {
                let item = render(syntax, v, inner, inner);
                out.push_str(&format!("{}{item},\n", pad(inner)));
            }
            out.push_str(&pad(indent));
            out.push(']');
            out
        }
        Value::String(text) if text.trim_end_matches('\n').contains('\n') => {
            let parts: Vec<String> = text
                .split_inclusive('\n')
                .map(|p| syntax.string(p))
                .collect();
            syntax.lines(&parts, indent)
        }
        _ => one,
    }
}

/// Arguments of a call: `head(a, b)` on one line if it fits, else one
/// argument per line. `used` columns of the line are taken before `head`.
/// Each argument is a prefix (like `key=`) and a value.
pub(crate) fn call(
    syntax: &dyn Syntax,
    head: &str,
    args: &[(String, Value)],
    indent: usize,
    used: usize,
    trailing_comma: bool,
) -> String {
    let one: Vec<String> = args
        .iter()
        .map(|(prefix, v)| format!("{prefix}{}", inline(syntax, v)))
        .collect();
    let one = format!("{head}({})", one.join(", "));
    if used + one.len() < WIDTH && !args.iter().any(|(_, v)| contains_long_lines(v)) {
        return one;
    }
    if let (true, Some(((prefix, last), first))) = (syntax.hugs_last_argument(), args.split_last())
    {
        let firsts: Vec<String> = first
            .iter()
            .map(|(p, v)| format!("{p}{}, ", inline(syntax, v)))
            .collect();
        let open = format!("{head}({}{prefix}", firsts.concat());
        let fits = used + open.len() < WIDTH && !first.iter().any(|(_, v)| contains_long_lines(v));
        if fits && matches!(last, Value::Object(m) if !m.is_empty()) {
            return format!("{open}{})", render(syntax, last, indent, WIDTH));
        }
    }
    let inner = indent + 4;
    let mut out = format!("{head}(\n");
    let last = args.len().saturating_sub(1);
    for (i, (prefix, v)) in args.iter().enumerate() {
        let start = format!("{}{prefix}", pad(inner));
        let item = render(syntax, v, inner, start.len());
        let comma = if i < last || trailing_comma { "," } else { "" };
        out.push_str(&format!("{start}{item}{comma}\n"));
    }
    out.push_str(&pad(indent));
    out.push(')');
    out
}

/// Whether a value holds a string that is laid out over several lines
/// (a long one with line breaks).
fn contains_long_lines(value: &Value) -> bool {
    match value {
        Value::String(s) => s.len() > WIDTH / 2 && s.trim_end_matches('\n').contains('\n'),
        Value::Array(items) => items.iter().any(contains_long_lines),
        Value::Object(map) => map.values().any(contains_long_lines),
        _ => false,
    }
}

/// A string as a double-quoted literal of Python or Rust: `\\`, `"` and
/// control characters escaped, the rest as it is. `control` spells a
/// control character's escape.
pub(crate) fn quoted(text: &str, control: impl Fn(char) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&control(c)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
