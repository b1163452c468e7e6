use serde_json::{json, Number, Value};

use super::{exact_f64, is_integer, nests_too_deep, transcode, MAX_DEPTH};

fn number(text: &str) -> Number {
    text.parse().unwrap()
}

#[test]
fn numbers_keep_their_text() {
    for (text, kept) in [
        ("99999999999999999999", "99999999999999999999"),
        ("-99999999999999999999", "-99999999999999999999"),
        ("1e400", "1e+400"),
        ("1E400", "1e+400"),
        ("-1e-400", "-1e-400"),
        ("0.10", "0.10"),
        ("1.0", "1.0"),
        ("-0", "-0"),
        ("-0.0", "-0.0"),
        ("0.1000000000000000000001", "0.1000000000000000000001"),
    ] {
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(value.to_string(), kept, "{text}");
        assert_eq!(number(text).as_str(), kept, "{text}");
    }
}

#[test]
fn integers_are_numbers_without_fraction_or_exponent() {
    for (text, integer) in [
        ("0", true),
        ("-0", true),
        ("18446744073709551616", true),
        ("1.0", false),
        ("1e3", false),
        ("1E3", false),
        ("0.5", false),
    ] {
        assert_eq!(is_integer(&number(text)), integer, "{text}");
    }
}

#[test]
fn exact_floats_denote_the_same_number() {
    for (text, float) in [
        ("0", Some(0.0)),
        ("0.0", Some(0.0)),
        ("1.50", Some(1.5)),
        ("15e-1", Some(1.5)),
        ("0.1", Some(0.1)),
        ("100", Some(100.0)),
        ("1e21", Some(1e21)),
        ("1.7976931348623157e308", Some(f64::MAX)),
        ("5e-324", Some(5e-324)),
        ("-2.5e-3", Some(-0.0025)),
        ("9007199254740992", Some(9007199254740992.0)),
        ("9007199254740993", None),
        ("0.1000000000000000000001", None),
        ("0.30000000000000004", Some(0.1 + 0.2)),
        ("0.3000000000000000444", None),
        ("1e400", None),
        ("1e-400", None),
        ("1e99999999999999999999", None),
    ] {
        assert_eq!(exact_f64(&number(text)), float, "{text}");
    }
    let negative_zero = exact_f64(&number("-0.0")).unwrap();
    assert!(negative_zero == 0.0 && negative_zero.is_sign_negative());
}

#[test]
fn nesting_is_checked_to_the_limit() {
    let nest = |levels: usize, inner: Value| {
        (0..levels).fold(inner, |v, i| {
            if i % 2 == 0 {
                json!([v])
            } else {
                json!({ "k": v })
            }
        })
    };
    assert!(!nests_too_deep(&json!(1)));
    assert!(!nests_too_deep(&nest(MAX_DEPTH, json!(1))));
    assert!(!nests_too_deep(&nest(MAX_DEPTH - 1, json!({}))));
    assert!(nests_too_deep(&nest(MAX_DEPTH, json!([]))));
    assert!(nests_too_deep(&nest(MAX_DEPTH + 1, json!(1))));
    // Deep on one branch only.
    assert!(nests_too_deep(
        &json!([1, {"a": nest(MAX_DEPTH, json!({}))}])
    ));
    // Far deeper than the limit: checked without going all the way down.
    assert!(nests_too_deep(&nest(1_000, json!(1))));
}

#[test]
fn transcoding_keeps_numbers_and_order() {
    let text = r#"{"b":[1,-2,18446744073709551616,0.10,1e+400,{"$id":"x"}],"a":{},"c":[],"d":"\u00e9\"","e":null,"f":true}"#;
    let value: Value = transcode(text, serde_json::value::Serializer).unwrap();
    assert_eq!(value.to_string(), text.replace("\\u00e9", "é"));
    let mut out = Vec::new();
    transcode(text, &mut serde_json::Serializer::new(&mut out)).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        text.replace("\\u00e9", "é")
    );
}

#[derive(Debug, PartialEq, serde::Deserialize)]
struct Counts {
    #[serde(deserialize_with = "super::u32_of_number")]
    n: u32,
    #[serde(default, deserialize_with = "super::option_u32_of_number")]
    m: Option<u32>,
}

#[test]
fn counts_read_from_any_number_with_serde_messages() {
    let from_text = |text: &str| serde_json::from_str::<Counts>(text).map_err(|e| e.to_string());
    let from_value = |text: &str| {
        let value: Value = serde_json::from_str(text).unwrap();
        serde_json::from_value::<Counts>(value).map_err(|e| e.to_string())
    };
    for read in [&from_text as &dyn Fn(&str) -> _, &from_value] {
        assert_eq!(read(r#"{"n": 7}"#), Ok(Counts { n: 7, m: None }));
        assert_eq!(
            read(r#"{"n": 4294967295, "m": 0}"#),
            Ok(Counts {
                n: u32::MAX,
                m: Some(0)
            })
        );
        assert_eq!(read(r#"{"n": 1, "m": null}"#), Ok(Counts { n: 1, m: None }));
        for (n, message) in [
            ("-1", "invalid value: integer `-1`, expected a whole number from 0 to 4294967295"),
            (
                "4294967296",
                "invalid value: integer `4294967296`, expected a whole number from 0 to 4294967295",
            ),
            ("1.5", "invalid type: floating point `1.5`, expected a whole number from 0 to 4294967295"),
            (
                "1e400",
                "invalid type: floating point `1e+400`, expected a whole number from 0 to 4294967295",
            ),
            ("1E2", "invalid type: floating point `1e+2`, expected a whole number from 0 to 4294967295"),
            ("0.10", "invalid type: floating point `0.10`, expected a whole number from 0 to 4294967295"),
            (
                "99999999999999999999",
                "invalid value: integer `99999999999999999999`, expected a whole number from 0 to 4294967295",
            ),
            (
                "-99999999999999999999999999999999999999999",
                "invalid value: integer `-99999999999999999999999999999999999999999`, expected a whole number from 0 to 4294967295",
            ),
            ("\"7\"", "invalid type: string \"7\", expected a whole number from 0 to 4294967295"),
            ("{}", "invalid type: map, expected a whole number from 0 to 4294967295"),
        ] {
            let got = read(&format!(r#"{{"n": {n}}}"#)).unwrap_err();
            assert!(got.starts_with(message), "{n}: {got}");
            let got = read(&format!(r#"{{"n": 1, "m": {n}}}"#)).unwrap_err();
            assert!(got.starts_with(message), "{n}: {got}");
        }
    }
}
