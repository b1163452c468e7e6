//! TypeScript to JavaScript: types stripped, type-only imports elided,
//! parameter properties and enums lowered, by the oxc transformer.

use std::path::{Path, PathBuf};

use oxc_allocator::Allocator;
use oxc_codegen::{Codegen, CodegenOptions};
use oxc_parser::Parser;
use oxc_semantic::SemanticBuilder;
use oxc_span::{GetSpan, SourceType};
use oxc_transformer::{TransformOptions, Transformer};

/// A transpiled module: its JavaScript, what it imports at run time, and
/// where it uses the `Deno` global.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Transpiled {
    /// The module as JavaScript (an ES module).
    pub code: String,
    /// The specifiers of the imports and re-exports left after elision.
    pub imports: Vec<Import>,
    /// Where the module refers to the (undeclared) `Deno` global: the
    /// expression (`Deno.env`) and its line and column.
    pub deno: Vec<(String, usize, usize)>,
    /// Places of the JavaScript and where they came from in the source:
    /// (line, column) → (line, column), all from 0, in JavaScript order.
    pub lines: Vec<((u32, u32), (u32, u32))>,
}

impl Transpiled {
    /// The line and column (from 1) in the source of a line and column
    /// (from 1) of the JavaScript: those of the nearest mapped place at or
    /// before it.
    pub fn source_position(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        let at = (line.checked_sub(1)?, column.saturating_sub(1));
        let i = self.lines.partition_point(|(dst, _)| *dst <= at);
        let (_, (l, c)) = self.lines.get(i.checked_sub(1)?)?;
        Some((l + 1, c + 1))
    }
}

/// One import specifier of a module, with its line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Import {
    /// The specifier as written (`./helpers.ts`).
    pub specifier: String,
    /// Line of the specifier, from 1.
    pub line: usize,
    /// Column of the specifier, from 1, in characters.
    pub column: usize,
}

/// Transpiles TypeScript to JavaScript (an ES module): types are stripped,
/// imports used only as types are elided, and parameter properties, enums
/// and namespaces are lowered. `path` names the file in errors, each given
/// as `path:line:column: message`, one per line. A `path` ending in `.js`
/// or `.mjs` is parsed as JavaScript.
///
/// ```
/// use flowspec::testing::typescript::transpile;
/// let js = transpile(
///     "import { IDerivation, Document } from 'flow/acmeCo/x.ts';\n\
///      export class Derivation extends IDerivation { n: number = 1; }",
///     "derive.ts",
/// ).unwrap();
/// assert_eq!(js, "import { IDerivation } from \"flow/acmeCo/x.ts\";\n\
///     export class Derivation extends IDerivation {\n\tn = 1;\n}\n");
/// let err = transpile("let x: = 1;", "derive.ts").unwrap_err();
/// assert!(err.starts_with("derive.ts:1:8: "), "{err}");
/// ```
pub fn transpile(source: &str, path: &str) -> Result<String, String> {
    transpile_module(source, path).map(|t| t.code)
}

/// [`transpile`], also returning the imports and the uses of `Deno`.
pub(crate) fn transpile_module(source: &str, path: &str) -> Result<Transpiled, String> {
    let allocator = Allocator::default();
    let source_type = if path.ends_with(".js") || path.ends_with(".mjs") {
        SourceType::mjs()
    } else {
        SourceType::ts()
    };
    let parsed = Parser::new(&allocator, source, source_type).parse();
    if parsed.panicked || !parsed.diagnostics.is_empty() {
        return Err(render(source, path, parsed.diagnostics.into_vec()));
    }
    // `import("./x.ts")` with a literal specifier loads like a static import;
    // a computed one is resolved, and refused, when it runs.
    let dynamic: Vec<Import> = parsed
        .module_record
        .dynamic_imports
        .iter()
        .filter_map(|d| {
            let start = d.module_request.start as usize;
            let text = &source[start..d.module_request.end as usize];
            let quote = text.chars().next()?;
            let inner = text.strip_prefix(quote)?.strip_suffix(quote)?;
            let plain = matches!(quote, '"' | '\'' | '`')
                && !inner.contains(['\\', '$', quote])
                && !inner.is_empty();
            plain.then(|| {
                let (line, column) = line_column(source, start + 1);
                Import {
                    specifier: inner.to_string(),
                    line,
                    column,
                }
            })
        })
        .collect();
    let mut program = parsed.program;
    let built = SemanticBuilder::new()
        .with_check_syntax_error(true)
        .with_enum_eval(true)
        .build(&program);
    if !built.diagnostics.is_empty() {
        return Err(render(source, path, built.diagnostics.into_vec()));
    }
    let semantic = built.semantic;
    let deno = if semantic
        .scoping()
        .root_unresolved_references()
        .contains_key("Deno")
    {
        deno_uses(source, &program)
    } else {
        Vec::new()
    };
    let scoping = semantic.into_scoping();
    let options = TransformOptions::default();
    let transformed = Transformer::new(&allocator, Path::new(path), &options)
        .build_with_scoping(scoping, &mut program);
    if transformed.diagnostics.has_errors() {
        let errors = transformed.diagnostics.into_vec();
        return Err(render(source, path, errors));
    }
    let mut imports = Vec::new();
    for statement in &program.body {
        use oxc_ast::ast::Statement;
        let source_literal = match statement {
            Statement::ImportDeclaration(d) => Some(&d.source),
            Statement::ExportFromDeclaration(d) => Some(&d.source),
            Statement::ExportAllDeclaration(d) => Some(&d.source),
            _ => None,
        };
        if let Some(literal) = source_literal {
            // The span includes the quotes; point at the specifier itself.
            let (line, column) = line_column(source, literal.span.start as usize + 1);
            imports.push(Import {
                specifier: literal.value.to_string(),
                line,
                column,
            });
        }
    }
    imports.extend(dynamic);
    let options = CodegenOptions {
        source_map_path: Some(PathBuf::from(path)),
        ..CodegenOptions::default()
    };
    let generated = Codegen::new().with_options(options).build(&program);
    let mut lines: Vec<((u32, u32), (u32, u32))> = generated
        .map
        .iter()
        .flat_map(|map| map.get_tokens())
        .map(|t| {
            (
                (t.get_dst_line(), t.get_dst_col()),
                (t.get_src_line(), t.get_src_col()),
            )
        })
        .collect();
    lines.sort_unstable();
    Ok(Transpiled {
        code: generated.code,
        imports,
        deno,
        lines,
    })
}

/// Where `program` refers to the undeclared `Deno` global (found again
/// with the semantic model's nodes, which only this case needs).
fn deno_uses(source: &str, program: &oxc_ast::ast::Program<'_>) -> Vec<(String, usize, usize)> {
    let semantic = SemanticBuilder::new()
        .with_build_nodes(true)
        .build(program)
        .semantic;
    let mut uses = Vec::new();
    let Some(references) = semantic.scoping().root_unresolved_references().get("Deno") else {
        return uses;
    };
    for id in references {
        let reference = semantic.scoping().get_reference(*id);
        let span = semantic.nodes().get_node(reference.node_id()).span();
        let (start, mut end) = (span.start as usize, span.end as usize);
        // `Deno.env`: the global and the property read from it.
        if let Some(tail) = source.get(end..).and_then(|rest| rest.strip_prefix('.')) {
            let name = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
                .unwrap_or(tail.len());
            end += 1 + name;
        }
        let (line, column) = line_column(source, start);
        let text = source.get(start..end).unwrap_or("Deno").to_string();
        uses.push((text, line, column));
    }
    uses.sort_by_key(|d| (d.1, d.2));
    uses
}

/// The line and column (from 1; the column in characters) of a byte offset.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

fn render(source: &str, path: &str, diagnostics: Vec<oxc_diagnostics::OxcDiagnostic>) -> String {
    let mut lines = Vec::new();
    for diagnostic in diagnostics {
        let labels = &diagnostic.labels;
        let offset = labels
            .iter()
            .find(|l| l.primary())
            .or_else(|| labels.last())
            .map_or(0, |l| l.offset() as usize);
        let (line, column) = line_column(source, offset);
        let mut text = format!("{path}:{line}:{column}: {}", diagnostic.message);
        if let Some(help) = &diagnostic.help {
            text.push_str(&format!(" ({help})"));
        }
        lines.push(text);
    }
    lines.join("\n")
}
