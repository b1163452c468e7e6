//! Addition for the `sum` strategy: integers checked, floats, and decimals
//! of arbitrary precision (written as JSON strings).

use num_bigint::BigInt;
use serde_json::{Number, Value};

/// An operand of `sum`.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Int(i128),
    Float(f64),
    /// `digits` × 10^-`scale`.
    Decimal {
        digits: BigInt,
        scale: u32,
    },
}

/// Why a sum failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SumError {
    /// An operand is not a number (or a string holding one).
    WrongType,
    /// The result does not fit.
    Overflow,
}

fn parse(v: &Value) -> Option<Operand> {
    match v {
        Value::Number(n) => Some(number(n)),
        Value::String(s) => decimal(s),
        _ => None,
    }
}

fn number(n: &Number) -> Operand {
    if let Some(u) = n.as_u64() {
        Operand::Int(i128::from(u))
    } else if let Some(i) = n.as_i64() {
        Operand::Int(i128::from(i))
    } else {
        Operand::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Parses a decimal string: an optional sign, digits with an optional
/// fraction, and an optional exponent.
fn decimal(s: &str) -> Option<Operand> {
    let t = s.trim();
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(at) => (&t[..at], t[at + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (negative, body) = match mantissa.as_bytes().first()? {
        b'-' => (true, &mantissa[1..]),
        b'+' => (false, &mantissa[1..]),
        _ => (false, mantissa),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits: BigInt = format!("0{int}{frac}").parse().ok()?;
    if negative {
        digits = -digits;
    }
    let scale = i64::try_from(frac.len()).ok()? - i64::from(exp);
    Some(if scale >= 0 {
        Operand::Decimal {
            digits,
            scale: u32::try_from(scale).ok()?,
        }
    } else {
        Operand::Decimal {
            digits: digits * BigInt::from(10).pow(u32::try_from(-scale).ok()?),
            scale: 0,
        }
    })
}

/// A float as a decimal of 16 significant digits.
fn float_decimal(f: f64) -> Option<Operand> {
    decimal(&format!("{f:.15e}"))
}

fn to_decimal(o: Operand) -> Option<(BigInt, u32)> {
    match o {
        Operand::Int(i) => Some((BigInt::from(i), 0)),
        Operand::Float(f) if f.is_finite() => match float_decimal(f)? {
            Operand::Decimal { digits, scale } => Some((digits, scale)),
            _ => None,
        },
        Operand::Float(_) => None,
        Operand::Decimal { digits, scale } => Some((digits, scale)),
    }
}

fn rescale(digits: BigInt, from: u32, to: u32) -> BigInt {
    digits * BigInt::from(10).pow(to - from)
}

/// Writes `digits` × 10^-`scale` with exactly `scale` fraction digits.
fn render(digits: &BigInt, scale: u32) -> String {
    let negative = digits.sign() == num_bigint::Sign::Minus;
    let mut s = digits.magnitude().to_string();
    let scale = scale as usize;
    if scale > 0 {
        if s.len() <= scale {
            s = format!("{}{s}", "0".repeat(scale + 1 - s.len()));
        }
        s.insert(s.len() - scale, '.');
    }
    if negative {
        s.insert(0, '-');
    }
    s
}

/// Adds `rhs` to `lhs` (zero when absent).
pub(crate) fn sum(lhs: Option<&Value>, rhs: &Value) -> Result<Value, SumError> {
    let l = match lhs {
        Some(v) => parse(v).ok_or(SumError::WrongType)?,
        None => Operand::Int(0),
    };
    let r = parse(rhs).ok_or(SumError::WrongType)?;
    match (l, r) {
        (Operand::Int(a), Operand::Int(b)) => {
            let s = a + b;
            if let Ok(u) = u64::try_from(s) {
                Ok(Value::Number(u.into()))
            } else if let Ok(i) = i64::try_from(s) {
                Ok(Value::Number(i.into()))
            } else {
                Err(SumError::Overflow)
            }
        }
        (l @ Operand::Decimal { .. }, r) | (l, r @ Operand::Decimal { .. }) => {
            let (a, sa) = to_decimal(l).ok_or(SumError::Overflow)?;
            let (b, sb) = to_decimal(r).ok_or(SumError::Overflow)?;
            let scale = sa.max(sb);
            let s = rescale(a, sa, scale) + rescale(b, sb, scale);
            Ok(Value::String(render(&s, scale)))
        }
        (l, r) => {
            let f = |o: Operand| match o {
                Operand::Int(i) => i as f64,
                Operand::Float(f) => f,
                Operand::Decimal { .. } => f64::NAN,
            };
            let s = f(l) + f(r);
            Number::from_f64(s)
                .filter(|_| s.is_finite())
                .map(Value::Number)
                .ok_or(SumError::Overflow)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decimals_parse_and_render() {
        let d = |s: &str| match decimal(s) {
            Some(Operand::Decimal { digits, scale }) => render(&digits, scale),
            other => panic!("{other:?}"),
        };
        assert_eq!(d("-1.2"), "-1.2");
        assert_eq!(d("0.05"), "0.05");
        assert_eq!(d("-0.05"), "-0.05");
        assert_eq!(d("1e3"), "1000");
        assert_eq!(d("1.5E-2"), "0.015");
        assert_eq!(d(".5"), "0.5");
        assert_eq!(decimal("abc"), None);
        assert_eq!(decimal(""), None);
        assert_eq!(decimal("-"), None);
        assert_eq!(decimal("1.2.3"), None);
        assert_eq!(sum(None, &json!("x")), Err(SumError::WrongType));
        assert_eq!(sum(Some(&json!(null)), &json!(1)), Err(SumError::WrongType));
    }
}
