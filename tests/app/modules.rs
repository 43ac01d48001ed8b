//! The module graph (architecture.md, "Layout"): dependencies point one way.
//! Reads the top-level modules of `src/` and the `crate::` paths each uses.
//!
//! - The base modules import no domain, and nothing but `main` imports `app`.
//! - Each domain imports only the base and the domains of lower layers
//!   (`LAYERS`), so no import cycle can form between top-level modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules below every domain: they may use each other, never a domain.
const BASE: &[&str] = &[
    "alloc", "audit", "authz", "clock", "crypto", "db", "error", "ids", "money", "schema", "state",
    "web",
];

/// The domains and the program around them, lowest first: a module may
/// import the base and the modules of lower layers, nothing at its own
/// layer or above. A new top-level module must be placed here.
const LAYERS: &[&[&str]] = &[
    &["programmes"],
    &["auth", "mothers"],
    &["families", "training"],
    &["visits"],
    &["events", "funding", "outcomes"],
    &["reports", "imports"],
    &["views", "my", "privacy"],
    &["cli", "health"],
    &["app", "config"],
];

type Graph = BTreeMap<String, BTreeSet<String>>;

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let name = name.strip_suffix(".rs").unwrap_or(&name).to_owned();
        if name != "lib" && name != "main" {
            modules.insert(name);
        }
    }
    let mut graph = Graph::new();
    for m in &modules {
        let mut text = String::new();
        let file = src.join(format!("{m}.rs"));
        if file.exists() {
            text.push_str(&std::fs::read_to_string(&file).expect("read"));
        }
        let dir = src.join(m);
        if dir.is_dir() {
            read_tree(&dir, &mut text);
        }
        let deps = crate_paths(&text)
            .into_iter()
            .filter(|d| d != m && modules.contains(d))
            .collect();
        graph.insert(m.clone(), deps);
    }
    graph
}

fn read_tree(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            read_tree(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&path).expect("read"));
            out.push('\n');
        }
    }
}

/// The first segment of every `crate::` path, grouped imports included
/// (`use crate::{a, b::c}`); comments are skipped.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + 7..];
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let first = item.trim().split("::").next().unwrap_or("").trim();
                    if !first.is_empty() && first != "self" {
                        out.insert(first.to_owned());
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.insert(name);
            }
        }
    }
    out
}

/// Edges that lie on a cycle (both ends in one strongly connected part).
fn cycle_edges(graph: &Graph) -> BTreeSet<(String, String)> {
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(m) = stack.pop() {
            if m == to {
                return true;
            }
            if seen.insert(m.clone()) {
                stack.extend(graph.get(&m).into_iter().flatten().cloned());
            }
        }
        false
    };
    let mut out = BTreeSet::new();
    for (from, deps) in graph {
        for to in deps {
            if reaches(to, from) {
                out.insert((from.clone(), to.clone()));
            }
        }
    }
    out
}

#[test]
fn base_modules_import_no_domain_and_nothing_imports_app() {
    let graph = graph();
    for base in BASE {
        let deps = &graph[*base];
        let domains: Vec<&String> = deps
            .iter()
            .filter(|d| !BASE.contains(&d.as_str()))
            .collect();
        assert!(domains.is_empty(), "{base} imports {domains:?}");
    }
    let importers: Vec<&String> = graph
        .iter()
        .filter(|(_, deps)| deps.contains("app"))
        .map(|(m, _)| m)
        .collect();
    assert!(importers.is_empty(), "app is imported by {importers:?}");
}

#[test]
fn domains_import_only_lower_layers_and_no_cycle_exists() {
    let graph = graph();
    let layer = |m: &str| -> Option<usize> {
        if BASE.contains(&m) {
            return Some(0);
        }
        LAYERS.iter().position(|l| l.contains(&m)).map(|i| i + 1)
    };
    for m in graph.keys() {
        assert!(
            layer(m).is_some(),
            "{m} is in no layer: add it to LAYERS or BASE"
        );
    }
    for (from, deps) in &graph {
        let lf = layer(from).unwrap_or(0);
        for to in deps {
            let lt = layer(to).unwrap_or(0);
            let ok = lt == 0 || lt < lf;
            assert!(ok, "{from} (layer {lf}) imports {to} (layer {lt})");
        }
    }
    let cycles = cycle_edges(&graph);
    assert!(cycles.is_empty(), "imports on a cycle: {cycles:?}");
}

#[test]
fn the_reader_finds_grouped_and_plain_paths() {
    let found = crate_paths(
        "use crate::{audit, auth::Role};\nuse crate::db::DbConn; // crate::web\nlet x = crate::money::parse(s);",
    );
    let found: Vec<&str> = found.iter().map(String::as_str).collect();
    assert_eq!(found, ["audit", "auth", "db", "money"]);
}

#[test]
fn only_the_clock_reads_the_time_of_day() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut text = String::new();
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(&src).expect("src") {
        let path = entry.expect("entry").path();
        text.clear();
        if path.is_dir() {
            read_tree(&path, &mut text);
        } else if path.file_name().is_some_and(|n| n != "clock.rs") {
            text = std::fs::read_to_string(&path).expect("read");
        }
        for needle in ["Utc::now()", "Local::now()", "SystemTime::now()"] {
            if text.contains(needle) {
                offenders.push(format!("{}: {needle}", path.display()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "use the clock (state.clock()): {offenders:?}"
    );
}
