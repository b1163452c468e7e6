//! The lists of codes that the bindings' types and the README hold are the
//! core's registry (`flowspec::codes::REGISTRY`): TypeScript's `ErrorCode`
//! union (`bindings-node/dts-header.d.ts`, from which `index.d.ts` is
//! built), Python's `ErrorCode` literal (`flowspec/_codes.py`) and the
//! README's table. Each is the text between a `BEGIN GENERATED` and an
//! `END GENERATED` line; `FLOWSPEC_BLESS=1` rewrites them.

use std::path::{Path, PathBuf};

use flowspec::codes::{Group, REGISTRY};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn typescript() -> String {
    let mut out = String::from("export type ErrorCode =\n");
    for code in REGISTRY {
        out.push_str(&format!("  | \"{}\"\n", code.code));
    }
    out
}

fn python() -> String {
    let mut out = String::from("ErrorCode = Literal[\n");
    for code in REGISTRY {
        out.push_str(&format!("    \"{}\",\n", code.code));
    }
    out.push_str("]\n");
    out
}

fn readme() -> String {
    let mut out = String::new();
    let mut group: Option<Group> = None;
    for code in REGISTRY {
        if group != Some(code.group) {
            if group.is_some() {
                out.push('\n');
            }
            out.push_str(&format!(
                "**{}**\n\n| code | what it means |\n|---|---|\n",
                code.group.title()
            ));
            group = Some(code.group);
        }
        out.push_str(&format!(
            "| `{}` | {} |\n",
            code.code,
            code.description.replace('|', "\\|")
        ));
    }
    out
}

/// `text` with the lines between the markers of `name` replaced by `body`.
fn replaced(text: &str, name: &str, body: &str) -> String {
    let begin = format!("BEGIN GENERATED {name}");
    let end = format!("END GENERATED {name}");
    let mut out = String::new();
    let mut inside = false;
    let mut found = false;
    for line in text.split_inclusive('\n') {
        if line.contains(&end) {
            inside = false;
            out.push_str(body);
        }
        if !inside {
            out.push_str(line);
        }
        if line.contains(&begin) {
            inside = true;
            found = true;
        }
    }
    assert!(found && !inside, "the markers of {name} are missing");
    out
}

#[test]
fn binding_types_and_readme_list_the_registry() {
    let bless = std::env::var_os("FLOWSPEC_BLESS").is_some();
    let files = [
        ("bindings-node/dts-header.d.ts", "ErrorCode", typescript()),
        (
            "bindings-python/python/flowspec/_codes.py",
            "ErrorCode",
            python(),
        ),
        ("README.md", "codes", readme()),
    ];
    let mut stale = Vec::new();
    for (file, name, body) in files {
        let path = repo().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let want = replaced(&text, name, &body);
        if want != text {
            if bless {
                std::fs::write(&path, want).unwrap();
            } else {
                stale.push(file);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:?} do not list the registry of codes: run `FLOWSPEC_BLESS=1 cargo test -p flowspec --test code_lists`"
    );
}
