//! The form of `reduce` annotations: a known strategy and only its options.

use serde_json::Value;

use crate::validate::shape::Strategy;

/// The options a strategy takes, and whether each is a list of pointers
/// (`key`) or a boolean.
fn options(strategy: Strategy) -> &'static [&'static str] {
    match strategy {
        Strategy::Append | Strategy::FirstWriteWins | Strategy::Sum | Strategy::JsonSchemaMerge => {
            &[]
        }
        Strategy::LastWriteWins => &["delete", "associative"],
        Strategy::Maximize | Strategy::Minimize | Strategy::Set => &["key"],
        Strategy::Merge => &["key", "delete"],
    }
}

/// Checks the `reduce` annotation `value` found at `path` (the pointer of
/// the `reduce` keyword): returns the pointer and message of each problem.
pub(crate) fn check(path: &str, value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(obj) = value.as_object() else {
        out.push((
            path.to_string(),
            format!(
                "`reduce` annotation must be an object with a `strategy`, like \
                 {{\"strategy\": \"merge\"}}, not {value}"
            ),
        ));
        return out;
    };
    let strategy = match obj.get("strategy") {
        None => {
            out.push((
                path.to_string(),
                "`reduce` annotation has no `strategy`".to_string(),
            ));
            return out;
        }
        Some(Value::String(name)) => match Strategy::from_name(name) {
            Some(s) => s,
            None => {
                out.push((format!("{path}/strategy"), unknown(&format!("{name:?}"))));
                return out;
            }
        },
        Some(other) => {
            out.push((format!("{path}/strategy"), unknown(&other.to_string())));
            return out;
        }
    };
    let allowed = options(strategy);
    for (option, v) in obj {
        if option == "strategy" {
            continue;
        }
        let at = format!("{path}/{}", crate::names::escape_token(option));
        if !allowed.contains(&option.as_str()) {
            let takes = match allowed {
                [] => "it takes no options".to_string(),
                [one] => format!("its only option is `{one}`"),
                many => format!(
                    "its options are {}",
                    many.iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            };
            out.push((
                at,
                format!(
                    "reduction strategy {} has no option {option:?} ({takes})",
                    strategy.name()
                ),
            ));
        } else if option == "key" {
            let ok = v.as_array().is_some_and(|ptrs| {
                ptrs.iter().all(|p| {
                    p.as_str()
                        .is_some_and(|p| crate::names::JsonPointer::new(p).is_ok())
                })
            });
            if !ok {
                out.push((
                    at,
                    format!(
                        "option `key` of reduction strategy {} must be an array of JSON \
                         pointers, like [\"/id\"], not {v}",
                        strategy.name()
                    ),
                ));
            }
        } else if !v.is_boolean() {
            out.push((
                at,
                format!(
                    "option `{option}` of reduction strategy {} must be a boolean, not {v}",
                    strategy.name()
                ),
            ));
        }
    }
    out
}

fn unknown(name: &str) -> String {
    let names: Vec<_> = Strategy::ALL.iter().map(|s| s.name()).collect();
    format!(
        "unknown reduction strategy {name} (expected one of {})",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn annotations() {
        let cases: &[(Value, &[(&str, &str)])] = &[
            (json!({"strategy": "merge"}), &[]),
            (json!({"strategy": "merge", "key": ["/id", ""], "delete": true}), &[]),
            (json!({"strategy": "lastWriteWins", "delete": true, "associative": false}), &[]),
            (json!({"strategy": "set", "key": ["/k"]}), &[]),
            (json!({"strategy": "sum"}), &[]),
            (
                json!("merge"),
                &[("/r", "`reduce` annotation must be an object with a `strategy`, like {\"strategy\": \"merge\"}, not \"merge\"")],
            ),
            (json!({}), &[("/r", "`reduce` annotation has no `strategy`")]),
            (
                json!({"strategy": "summ"}),
                &[("/r/strategy", "unknown reduction strategy \"summ\" (expected one of append, firstWriteWins, jsonSchemaMerge, lastWriteWins, maximize, merge, minimize, set, sum)")],
            ),
            (
                json!({"strategy": "sum", "key": ["/a"]}),
                &[("/r/key", "reduction strategy sum has no option \"key\" (it takes no options)")],
            ),
            (
                json!({"strategy": "minimize", "delete": true}),
                &[("/r/delete", "reduction strategy minimize has no option \"delete\" (its only option is `key`)")],
            ),
            (
                json!({"strategy": "merge", "keys": []}),
                &[("/r/keys", "reduction strategy merge has no option \"keys\" (its options are `key` and `delete`)")],
            ),
            (
                json!({"strategy": "merge", "key": "/id"}),
                &[("/r/key", "option `key` of reduction strategy merge must be an array of JSON pointers, like [\"/id\"], not \"/id\"")],
            ),
            (
                json!({"strategy": "maximize", "key": ["id"]}),
                &[("/r/key", "option `key` of reduction strategy maximize must be an array of JSON pointers, like [\"/id\"], not [\"id\"]")],
            ),
            (
                json!({"strategy": "lastWriteWins", "delete": "yes"}),
                &[("/r/delete", "option `delete` of reduction strategy lastWriteWins must be a boolean, not \"yes\"")],
            ),
        ];
        for (value, want) in cases {
            let got = check("/r", value);
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(p, m)| (p.to_string(), m.to_string()))
                .collect();
            assert_eq!(got, want, "{value}");
        }
    }
}
