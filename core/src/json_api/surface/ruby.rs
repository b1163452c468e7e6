//! The Ruby binding's methods (`bindings-uniffi/ruby/lib/flowspec/dsl.rb`):
//! for each method of [`super::methods::METHODS`], a method with a keyword
//! argument per option, in snake_case; required options are required
//! keywords, the others default to `UNSET` (left out), so an explicit `nil`
//! reaches the core as JSON `null`.

use super::methods::{first_paragraph, method_doc, params, Lead, Method, Owner, METHODS};
use super::{snake_case, Schema};

/// Ruby's reserved words, which a keyword argument cannot be read by.
const RESERVED: &[&str] = &[
    "alias", "and", "begin", "break", "case", "class", "def", "defined?", "do", "else", "elsif",
    "end", "ensure", "false", "for", "if", "in", "module", "next", "nil", "not", "or", "redo",
    "rescue", "retry", "return", "self", "super", "then", "true", "undef", "unless", "until",
    "when", "while", "yield",
];

/// The generated part of `dsl.rb`.
pub(super) fn generate(schema: &Schema) -> String {
    let mut out = String::from("module Flowspec\n");
    let mut owners: Vec<Owner> = Vec::new();
    for m in METHODS {
        let owner = match m.owner {
            Owner::Constructor | Owner::CatalogStatic => Owner::Class("Catalog"),
            other => other,
        };
        if !owners.contains(&owner) {
            owners.push(owner);
        }
    }
    for owner in owners {
        let methods: Vec<&Method> = METHODS
            .iter()
            .filter(|m| match m.owner {
                Owner::Constructor | Owner::CatalogStatic => owner == Owner::Class("Catalog"),
                other => other == owner,
            })
            .collect();
        let (indent, close) = match owner {
            Owner::Class(class) => {
                out.push_str(&format!("  class {class}\n"));
                ("    ", "  end\n")
            }
            _ => ("  ", ""),
        };
        let mut first = true;
        for m in methods {
            if !first || matches!(owner, Owner::Module) {
                out.push('\n');
            }
            first = false;
            out.push_str(&method(schema, m, indent));
        }
        out.push_str(close);
        if matches!(owner, Owner::Module) {
            out.push('\n');
        }
    }
    out.push_str("end\n");
    out
}

fn method(schema: &Schema, method: &Method, indent: &str) -> String {
    let params = params(schema, method);
    let mut text = format!("{}\n", method_doc(schema, method).replace('`', "+"));
    for (name, lead) in method.lead {
        let ty = match lead {
            Lead::Text => "[String]",
            Lead::OptionalText => "[String, nil]",
            Lead::Object => "[Hash]",
        };
        text.push_str(&format!("\n@param {name} {ty}"));
    }
    for p in &params {
        text.push_str(&format!(
            "\n@param {} {}",
            snake_case(p.key),
            first_paragraph(&p.doc).replace('`', "+")
        ));
    }
    let mut out = String::new();
    for line in text.trim().lines() {
        if line.is_empty() {
            out.push_str(&format!("{indent}#\n"));
        } else {
            out.push_str(&format!("{indent}# {line}\n"));
        }
    }
    let name = match method.owner {
        Owner::Constructor => "initialize".to_string(),
        Owner::CatalogStatic | Owner::Module => format!("self.{}", snake_case(method.name)),
        Owner::Class(_) => snake_case(method.name),
    };
    let mut args: Vec<String> = Vec::new();
    let mut call: Vec<String> = Vec::new();
    for (lead_name, lead) in method.lead {
        args.push(match lead {
            Lead::OptionalText => format!("{lead_name} = nil"),
            _ => lead_name.to_string(),
        });
        call.push(lead_name.to_string());
    }
    let mut pairs: Vec<String> = Vec::new();
    for p in &params {
        let key = snake_case(p.key);
        assert!(
            !RESERVED.contains(&key.as_str()),
            "the option `{key}` is a reserved word of Ruby"
        );
        args.push(if p.required {
            format!("{key}:")
        } else {
            format!("{key}: UNSET")
        });
        pairs.push(format!("\"{}\" => {key}", p.key));
    }
    call.push(format!("Flowspec.options({{{}}})", pairs.join(", ")));
    out.push_str(&format!(
        "{indent}def {name}({})\n{indent}  {}({})\n{indent}end\n",
        args.join(", "),
        snake_case(method.helper),
        call.join(", ")
    ));
    out
}
