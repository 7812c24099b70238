//! The house rules that the compiler does not check: only `src/grpc/` sees the
//! prost-generated wire types.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_grpc_folder_mentions_wire_types() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fence = root.join("src/grpc");
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("corpus/src"), &mut files);
    assert!(files.len() > 20, "the walk found the sources");
    let wire = [
        "pb::",
        "grpc::pb",
        "prost::",
        "prost_types",
        "tonic::include_proto",
    ];
    let mut breaches = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&fence)) {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            // `tonic_health::pb` is the health service's own wire code, used where the
            // server reports its health.
            let line = line.replace("tonic_health::pb", "");
            if wire.iter().any(|w| line.contains(w)) {
                breaches.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        breaches.is_empty(),
        "wire types outside src/grpc/:\n{}",
        breaches.join("\n")
    );
}
