//! Splitting a block of SQL into its statements.
//!
//! A block is cut after each `;` that completes a statement, as SQLite's
//! `sqlite3_complete` decides it: semicolons within string literals, quoted
//! identifiers and comments do not count, and neither do those within the
//! body of a `CREATE TRIGGER` until its `END;`.

/// One statement of a block: its text, from just after the previous one up
/// to and including its closing `;`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    pub sql: String,
    /// Whether the statement is only comments and whitespace before its
    /// `;`: it does nothing, and is not run.
    pub empty: bool,
}

/// The statements of `block`. Statements that are a lone `;` (with
/// whitespace) are dropped.
pub(crate) fn split(block: &str) -> Result<Vec<Statement>, String> {
    if block.contains('\0') {
        return Err("SQL block contains illegal NULL characters".to_string());
    }
    let mut out = Vec::new();
    let mut rest = block;
    let mut from = 0;
    loop {
        let Some(i) = rest[from..].find(';') else {
            if !rest.chars().all(char::is_whitespace) {
                return Err(format!(
                    "SQL block has ambiguous trailing non-whitespace content without a \
                     closing ';' semicolon: {rest}"
                ));
            }
            return Ok(out);
        };
        let end = from + i + 1;
        let candidate = &rest[..end];
        match scan(candidate) {
            Scan::Complete { empty } => {
                if candidate.trim() != ";" {
                    out.push(Statement {
                        sql: candidate.to_string(),
                        empty,
                    });
                }
                rest = &rest[end..];
                from = 0;
            }
            Scan::Incomplete => from = end,
        }
    }
}

/// Whether a text ends a complete statement, and if so whether it holds
/// anything besides comments and whitespace.
#[derive(Debug, PartialEq, Eq)]
enum Scan {
    Complete { empty: bool },
    Incomplete,
}

/// The tokens that decide completeness.
#[derive(Clone, Copy)]
enum Token {
    Semi = 0,
    Space = 1,
    Other = 2,
    Explain = 3,
    Create = 4,
    Temp = 5,
    Trigger = 6,
    End = 7,
}

/// States: 0 at the start of the text, 1 after a complete statement, 2
/// within an ordinary statement, 3 after `EXPLAIN`, 4 after `CREATE` (and
/// `TEMP`), 5 within a trigger body, 6 after a `;` in a trigger body, 7
/// after its `END`. Rows are states, columns tokens.
const NEXT: [[u8; 8]; 8] = [
    [1, 0, 2, 3, 4, 2, 2, 2],
    [1, 1, 2, 3, 4, 2, 2, 2],
    [1, 2, 2, 2, 2, 2, 2, 2],
    [1, 3, 3, 2, 4, 2, 2, 2],
    [1, 4, 2, 2, 2, 4, 5, 2],
    [6, 5, 5, 5, 5, 5, 5, 5],
    [6, 6, 5, 5, 5, 5, 5, 7],
    [1, 7, 5, 5, 5, 5, 5, 5],
];

/// Bytes that continue an identifier (SQLite's `IdChar`): ASCII letters
/// and digits, `_`, `$`, and every byte of a multi-byte UTF-8 character.
fn id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn scan(sql: &str) -> Scan {
    let bytes = sql.as_bytes();
    let mut state = 0u8;
    let mut empty = true;
    let mut i = 0;
    while i < bytes.len() {
        let token = match bytes[i] {
            b';' => Token::Semi,
            b' ' | b'\r' | b'\t' | b'\n' | b'\x0c' => Token::Space,
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                match sql[i + 2..].find("*/") {
                    Some(j) => i += 2 + j + 1,
                    None => return Scan::Incomplete,
                }
                Token::Space
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                match sql[i..].find('\n') {
                    Some(j) => i += j,
                    None => {
                        // A comment to the end of the text.
                        return complete(state, empty);
                    }
                }
                Token::Space
            }
            open @ (b'[' | b'`' | b'"' | b'\'') => {
                let close = if open == b'[' { b']' } else { open };
                match bytes[i + 1..].iter().position(|&b| b == close) {
                    Some(j) => i += 1 + j,
                    None => return Scan::Incomplete,
                }
                Token::Other
            }
            b if id_byte(b) => {
                let len = bytes[i..].iter().take_while(|&&b| id_byte(b)).count();
                let word = &bytes[i..i + len];
                i += len - 1;
                keyword(word)
            }
            _ => Token::Other,
        };
        if !matches!(token, Token::Space | Token::Semi) {
            empty = false;
        }
        state = NEXT[state as usize][token as usize];
        i += 1;
    }
    complete(state, empty)
}

fn complete(state: u8, empty: bool) -> Scan {
    if state == 1 {
        Scan::Complete { empty }
    } else {
        Scan::Incomplete
    }
}

fn keyword(word: &[u8]) -> Token {
    let is = |k: &str| word.eq_ignore_ascii_case(k.as_bytes());
    if is("create") {
        Token::Create
    } else if is("trigger") {
        Token::Trigger
    } else if is("temp") || is("temporary") {
        Token::Temp
    } else if is("end") {
        Token::End
    } else if is("explain") {
        Token::Explain
    } else {
        Token::Other
    }
}
